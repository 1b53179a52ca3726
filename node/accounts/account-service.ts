/**
 * The people of the organisation that runs the node: accounts with a role,
 * passwords (password.ts), sessions for the cabinet, and the throttling of
 * failed logins. A session token is random and given once; the node keeps
 * only its digest.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { Account, AccountRole, AccountStore, ApiToken, AuditEntry, Session, TokenScope } from '../../storage/index.js'
import { ServiceError } from '../errors.js'
import { hashPassword, verifyPassword } from './password.js'

export const ACCOUNT_ROLES: readonly AccountRole[] = ['admin', 'declarant', 'officer', 'viewer']
export type { AccountRole, ApiToken, AuditEntry, TokenScope } from '../../storage/index.js'
export const TOKEN_SCOPES: readonly TokenScope[] = ['read', 'write', 'decide', 'admin']

/** Whether a token of `scopes` may do what needs `need`: admin may all, write or decide may read. */
export function scopeAllows (scopes: readonly TokenScope[], need: TokenScope): boolean {
  return scopes.includes('admin') || scopes.includes(need) || (need === 'read' && scopes.length > 0)
}

/** How long a session lasts without a new login. */
export const SESSION_MS = 8 * 60 * 60 * 1000
/** Failed logins of one account, or from one address, before logins are refused for LOCK_MS. */
export const MAX_FAILED_LOGINS = 5
export const LOCK_MS = 15 * 60 * 1000
const LOGIN = /^[a-z0-9][a-z0-9._-]{1,63}$/
const MIN_PASSWORD = 12

/** An account as others see it: never its password hash. */
export interface AccountView {
  readonly id: string
  readonly name: string
  readonly role: AccountRole
  readonly disabled: boolean
  readonly createdAt: string
}

/** Who took an action through the cabinet: recorded inside the record the node signs for it. */
export interface Actor {
  readonly user: string
  readonly name: string
}

/** The actor of an account. */
export const actorOf = (account: AccountView): Actor => ({ user: account.id, name: account.name })

export interface AccountServiceComponents {
  readonly accountStore: AccountStore
  readonly clock: () => number
}

export type LoginResult =
  | { readonly token: string, readonly account: AccountView, readonly session: Session }
  | { readonly refused: 'wrong' | 'locked', readonly retryAfterMs?: number }

const view = ({ passwordHash: _hash, ...account }: Account): AccountView => account
const digest = (token: string): string => createHash('sha256').update(token).digest('base64url')
const newSecret = (): string => randomBytes(24).toString('base64url')

export function accountService () {
  return (components: AccountServiceComponents): AccountService => new AccountService(components)
}

export class AccountService {
  /** Failed logins by account and by address: how many, and until when logins are refused. */
  private readonly failures = new Map<string, { count: number, lockedUntil: number }>()

  constructor (private readonly components: AccountServiceComponents) {}

  private now (): number {
    return this.components.clock()
  }

  /** Adds an account; without a password one is made, and returned this once. */
  async add (input: { id: string, name?: string, role: string, password?: string }): Promise<{ account: AccountView, password: string }> {
    if (!LOGIN.test(input.id)) throw new ServiceError('invalid-request', 'a login is 2 to 64 of a-z 0-9 . _ -, starting with a letter or digit', [{ path: '/id', message: 'not a valid login' }])
    if (!(ACCOUNT_ROLES as readonly string[]).includes(input.role)) throw new ServiceError('invalid-request', `role must be one of ${ACCOUNT_ROLES.join(', ')}`, [{ path: '/role', message: 'not a role' }])
    if (input.password !== undefined && input.password.length < MIN_PASSWORD) throw new ServiceError('invalid-request', `a password has at least ${MIN_PASSWORD} characters`, [{ path: '/password', message: 'too short' }])
    if (await this.components.accountStore.get(input.id) !== undefined) throw new ServiceError('invalid-request', `account ${input.id} exists already`, [{ path: '/id', message: 'taken' }])
    const password = input.password ?? newSecret()
    const account: Account = {
      id: input.id,
      name: input.name?.trim() === '' || input.name === undefined ? input.id : input.name.trim().slice(0, 200),
      role: input.role as AccountRole,
      passwordHash: await hashPassword(password),
      disabled: false,
      createdAt: new Date(this.now()).toISOString()
    }
    await this.components.accountStore.put(account)
    return { account: view(account), password }
  }

  async list (): Promise<AccountView[]> {
    return (await this.components.accountStore.all()).map(view)
  }

  async get (id: string): Promise<AccountView | undefined> {
    const account = await this.components.accountStore.get(id)
    return account === undefined ? undefined : view(account)
  }

  /** Disables an account and ends its sessions. */
  async disable (id: string): Promise<AccountView> {
    const account = await this.existing(id)
    await this.components.accountStore.put({ ...account, disabled: true })
    await this.components.accountStore.deleteSessionsOf(id)
    return view({ ...account, disabled: true })
  }

  /** Gives an account a new password (returned this once), enables it, and ends its sessions. */
  async reset (id: string): Promise<{ account: AccountView, password: string }> {
    const account = await this.existing(id)
    const password = newSecret()
    const renewed = { ...account, disabled: false, passwordHash: await hashPassword(password) }
    await this.components.accountStore.put(renewed)
    await this.components.accountStore.deleteSessionsOf(id)
    this.failures.delete(`user:${id}`)
    return { account: view(renewed), password }
  }

  private async existing (id: string): Promise<Account> {
    const account = await this.components.accountStore.get(id)
    if (account === undefined) throw new ServiceError('not-found', `no account ${id}`)
    return account
  }

  /**
   * Checks a login, `from` an address. After MAX_FAILED_LOGINS failures of the
   * account or of the address, every login of either is refused for LOCK_MS,
   * the right password too.
   */
  async login (id: string, password: string, from: string): Promise<LoginResult> {
    const keys = [`user:${id}`, `from:${from}`]
    const now = this.now()
    const locked = keys.map(k => this.failures.get(k)).find(f => f !== undefined && f.lockedUntil > now)
    if (locked !== undefined) {
      await this.record({ who: `user:${id}`, action: 'login refused: locked', from })
      return { refused: 'locked', retryAfterMs: locked.lockedUntil - now }
    }
    const account = await this.components.accountStore.get(id)
    // A missing account costs a hash too: timing does not tell which logins exist.
    const ok = await verifyPassword(password, account?.passwordHash ?? await dummyHash()) && account !== undefined && !account.disabled
    if (!ok || account === undefined) {
      for (const key of keys) {
        const failure = this.failures.get(key) ?? { count: 0, lockedUntil: 0 }
        failure.count++
        if (failure.count >= MAX_FAILED_LOGINS) {
          failure.count = 0
          failure.lockedUntil = now + LOCK_MS
        }
        this.failures.set(key, failure)
      }
      if (this.failures.size > 100_000) this.failures.clear()
      await this.record({ who: `user:${id}`, action: 'login failed', from })
      return { refused: 'wrong' }
    }
    for (const key of keys) this.failures.delete(key)
    const token = newSecret()
    const session: Session = { user: id, expiresAt: new Date(now + SESSION_MS).toISOString(), csrf: newSecret() }
    await this.components.accountStore.putSession(digest(token), session)
    await this.record({ who: `user:${id}`, action: 'login', from })
    return { token, account: view(account), session }
  }

  /** The account and session of a session token still valid; undefined otherwise. */
  async session (token: string): Promise<{ account: AccountView, session: Session } | undefined> {
    const session = await this.components.accountStore.session(digest(token))
    if (session === undefined) return undefined
    if (Date.parse(session.expiresAt) <= this.now()) {
      await this.components.accountStore.deleteSession(digest(token))
      return undefined
    }
    const account = await this.components.accountStore.get(session.user)
    if (account === undefined || account.disabled) return undefined
    return { account: view(account), session }
  }

  /**
   * Deletes the sessions expired by now, which session() refuses anyway:
   * a session nobody signs out of would otherwise stay in the store for good.
   * Returns how many went.
   */
  async sweepSessions (): Promise<number> {
    return await this.components.accountStore.deleteExpiredSessions(this.now())
  }

  async logout (token: string): Promise<void> {
    await this.components.accountStore.deleteSession(digest(token))
  }

  /** Makes an API token for a system, with its scopes; the token is returned this once. */
  async addToken (name: string, scopes: readonly TokenScope[]): Promise<{ token: ApiToken, secret: string }> {
    const label = name.trim()
    if (label === '' || label.length > 100) throw new ServiceError('invalid-request', 'a token needs a name of 1 to 100 characters', [{ path: '/name', message: 'required' }])
    const unknown = scopes.filter(s => !TOKEN_SCOPES.includes(s))
    if (scopes.length === 0 || unknown.length > 0) throw new ServiceError('invalid-request', `scopes are some of ${TOKEN_SCOPES.join(', ')}`, [{ path: '/scopes', message: 'not valid scopes' }])
    const secret = `kt_${newSecret()}`
    const token: ApiToken = { id: randomBytes(6).toString('hex'), name: label, scopes: [...new Set(scopes)], createdAt: new Date(this.now()).toISOString() }
    await this.components.accountStore.putToken(digest(secret), token)
    return { token, secret }
  }

  async tokens (): Promise<ApiToken[]> {
    return (await this.components.accountStore.allTokens()).map(([, token]) => token)
  }

  async revokeToken (id: string): Promise<ApiToken> {
    const found = (await this.components.accountStore.allTokens()).find(([, token]) => token.id === id)
    if (found === undefined) throw new ServiceError('not-found', `no token ${id}`)
    const [key, token] = found
    const revoked = { ...token, revokedAt: token.revokedAt ?? new Date(this.now()).toISOString() }
    await this.components.accountStore.putToken(key, revoked)
    return revoked
  }

  /** The token `secret` is, if it is one in force. */
  async tokenOf (secret: string): Promise<ApiToken | undefined> {
    if (!secret.startsWith('kt_')) return undefined
    const token = await this.components.accountStore.token(digest(secret))
    return token === undefined || token.revokedAt !== undefined ? undefined : token
  }

  /** Appends to the audit log. */
  async record (entry: Omit<AuditEntry, 'at'>): Promise<void> {
    await this.components.accountStore.record({ at: new Date(this.now()).toISOString(), ...entry })
  }

  /** The newest audit entries first. */
  async auditLog (limit = 500): Promise<AuditEntry[]> {
    return await this.components.accountStore.auditLog(Math.max(1, Math.min(limit, 5000)))
  }

  /** Ends every session of the account (logout everywhere). */
  async logoutEverywhere (id: string): Promise<void> {
    await this.components.accountStore.deleteSessionsOf(id)
  }
}

let dummy: Promise<string> | undefined
/** A valid hash of a random password, verified against when the account does not exist. */
const dummyHash = async (): Promise<string> => await (dummy ??= hashPassword(newSecret()))
