/**
 * What a record must pass before this node signs it, beyond its schema:
 * components add their checks in start() and remove them in stop(), as
 * they do their indexes (record-indexes.ts). The trust service checks that
 * this node's role may issue the type (trust/issuers.ts).
 */
import type { ServiceError } from '../errors.js'
import type { CreateRecordInput } from './record-service.js'

/** Why the record `input` describes may not be signed here, or undefined. */
export type RecordGuard = (input: CreateRecordInput) => Promise<ServiceError | undefined>

export class RecordGuards {
  private readonly guards = new Map<string, RecordGuard>()

  add (name: string, guard: RecordGuard): void {
    if (this.guards.has(name)) throw new Error(`record guard ${name} is already registered`)
    this.guards.set(name, guard)
  }

  remove (name: string): void {
    this.guards.delete(name)
  }

  /** Throws the first refusal. */
  async check (input: CreateRecordInput): Promise<void> {
    for (const guard of this.guards.values()) {
      const refusal = await guard(input)
      if (refusal !== undefined) throw refusal
    }
  }
}
