/**
 * The people who use a node's cabinet, and their sessions.
 *
 * Sublevels:
 *   users      user id → account (name, role, password hash, disabled)
 *   sessions   SHA-256 of the session token → session (user, expiry, CSRF token); expired ones are swept
 *   api-tokens SHA-256 of a system's API token → its name and scopes
 *   audit      time␀sequence → what was done, by whom (append-only)
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

export type TokenScope = 'read' | 'write' | 'decide' | 'admin'

export interface ApiToken {
  readonly id: string
  readonly name: string
  readonly scopes: readonly TokenScope[]
  readonly createdAt: string
  readonly revokedAt?: string
}

export interface AuditEntry {
  readonly at: string
  /** Who: an account (`user:aigerim`), a system's token (`token:erp`), or the administrator's token. */
  readonly who: string
  readonly action: string
  readonly detail?: string
  readonly from?: string
}

export class AccountStore {
  private readonly users: Sublevel<Account>
  private readonly sessions: Sublevel<Session>
  private readonly tokens: Sublevel<ApiToken>
  private readonly audit: Sublevel<AuditEntry>
  private sequence = 0
  private readonly prefix = Math.random().toString(36).slice(2, 8)

  constructor (private readonly db: Database) {
    this.users = db.sublevel<Account>('users', 'json')
    this.sessions = db.sublevel<Session>('sessions', 'json')
    this.tokens = db.sublevel<ApiToken>('api-tokens', 'json')
    this.audit = db.sublevel<AuditEntry>('audit', 'json')
  }

  async token (digest: string): Promise<ApiToken | undefined> {
    return await this.tokens.get(digest)
  }

  async allTokens (): Promise<Array<[digest: string, token: ApiToken]>> {
    return await this.tokens.iterator().all()
  }

  async putToken (digest: string, token: ApiToken): Promise<void> {
    await this.db.commit([{ type: 'put', sublevel: this.tokens, key: digest, value: token } as WriteOp])
  }

  /** Appends to the audit log; entries are never changed or removed. */
  async record (entry: AuditEntry): Promise<void> {
    // The process's own prefix keeps two entries of one millisecond apart across a restart.
    const key = `${entry.at}\u0000${this.prefix}${String(this.sequence++).padStart(12, '0')}`
    await this.db.commit([{ type: 'put', sublevel: this.audit, key, value: entry } as WriteOp])
  }

  /** The newest audit entries first, at most `limit`. */
  async auditLog (limit: number): Promise<AuditEntry[]> {
    return await this.audit.values({ reverse: true, limit }).all()
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

  /** Deletes the sessions that expired at `now` (ms since the epoch) or before; returns how many. */
  async deleteExpiredSessions (now: number): Promise<number> {
    const ops: WriteOp[] = []
    for await (const [digest, session] of this.sessions.iterator()) {
      if (!(Date.parse(session.expiresAt) > now)) ops.push({ type: 'del', sublevel: this.sessions, key: digest } as WriteOp)
    }
    await this.db.commit(ops)
    return ops.length
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
