/**
 * Where certified peers said they listen, kept across restarts: libp2p holds
 * it in memory only, and a node that restarts with records to deliver must
 * still find their recipients.
 *
 *   peer-addresses   participant → [multiaddr, …]
 */
import type { Database, Sublevel, WriteOp } from './database.js'

export class AddressStore {
  private readonly addresses: Sublevel<string[]>

  constructor (private readonly db: Database) {
    this.addresses = db.sublevel<string[]>('peer-addresses', 'json')
  }

  async put (participant: string, addresses: readonly string[]): Promise<void> {
    await this.db.commit([{ type: 'put', sublevel: this.addresses, key: participant, value: [...addresses] } as WriteOp])
  }

  async get (participant: string): Promise<string[] | undefined> {
    return await this.addresses.get(participant)
  }

  async all (): Promise<Array<[string, string[]]>> {
    return await this.addresses.iterator().all()
  }
}
