/**
 * The people who use a node's cabinet, and their sessions.
 *
 * Sublevels:
 *   users      user id → account (name, role, password hash, disabled)
 *   sessions   SHA-256 of the session token → session (user, expiry, CSRF token)
 * A session is kept by the digest of its token: a copy of the database opens no session.
 */
import type { Database, Sublevel, WriteOp } from './database.js'

export type AccountRole = 'admin' | 'declarant' | 'officer' | 'viewer'

export interface Account {
  readonly id: string
  readonly name: string
  readonly role: AccountRole
  /** scrypt hash with its parameters and salt (node/accounts/password.ts). */
  readonly passwordHash: string
  readonly disabled: boolean
  readonly createdAt: string
}

export interface Session {
  readonly user: string
  readonly expiresAt: string
  /** The token every form of this session carries back (CSRF). */
  readonly csrf: string
}

export class AccountStore {
  private readonly users: Sublevel<Account>
  private readonly sessions: Sublevel<Session>

  constructor (private readonly db: Database) {
    this.users = db.sublevel<Account>('users', 'json')
    this.sessions = db.sublevel<Session>('sessions', 'json')
  }

  async get (id: string): Promise<Account | undefined> {
    return await this.users.get(id)
  }

  async all (): Promise<Account[]> {
    return await this.users.values().all()
  }

  async put (account: Account): Promise<void> {
    await this.db.commit([{ type: 'put', sublevel: this.users, key: account.id, value: account } as WriteOp])
  }

  async session (digest: string): Promise<Session | undefined> {
    return await this.sessions.get(digest)
  }

  async putSession (digest: string, session: Session): Promise<void> {
    await this.db.commit([{ type: 'put', sublevel: this.sessions, key: digest, value: session } as WriteOp])
  }

  async deleteSession (digest: string): Promise<void> {
    await this.db.commit([{ type: 'del', sublevel: this.sessions, key: digest } as WriteOp])
  }

  /** Ends every session of `user` (logout everywhere, a disabled account, a new password). */
  async deleteSessionsOf (user: string): Promise<void> {
    const ops: WriteOp[] = []
    for await (const [digest, session] of this.sessions.iterator()) {
      if (session.user === user) ops.push({ type: 'del', sublevel: this.sessions, key: digest } as WriteOp)
    }
    await this.db.commit(ops)
  }
}
