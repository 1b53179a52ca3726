/**
 * The data folder: everything that makes a node itself.
 *
 *   node.key     Ed25519 private key, PKCS#8 PEM, mode 0600
 *   profile.json participant profile (id, name, role, country, legal id)
 *   api-token    bearer token of the local API, mode 0600
 *   config.json  optional settings (ports, bootstrap peers)
 *   db/          LevelDB
 *
 * The same key signs records and is the node's libp2p identity: see
 * docs/record-format.md, "Participants".
 */
import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto'
import { chmod, mkdir, open, readFile, rename, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { ed25519Signer, type Signer } from '../../record/index.js'
import { writeDefaultPolicyFile } from '../policy/policy-file.js'
import { PARTICIPANT_ROLES as ROLES, type ParticipantRole as Role } from '../../record/types/trust-certificate.js'

export { PARTICIPANT_ROLES as ROLES, type ParticipantRole as Role } from '../../record/types/trust-certificate.js'

export interface Profile {
  readonly participant: string
  readonly name: string
  readonly role: Role
  readonly country?: string
  readonly legalId?: string
}

export interface ProfileInput {
  readonly name?: string
  readonly role?: string
  readonly country?: string
  readonly legalId?: string
}

export interface Identity {
  readonly dir: string
  readonly signer: Signer
  /** The 32-byte Ed25519 seed, for the libp2p key. */
  readonly seed: Uint8Array
  readonly profile: Profile
  readonly apiToken: string
}

export const KEY_FILE = 'node.key'
export const PROFILE_FILE = 'profile.json'
export const TOKEN_FILE = 'api-token'
export const CONFIG_FILE = 'config.json'
export const DB_DIR = 'db'
export const BLOB_DIR = 'blobs'

const COUNTRY = /^[A-Z]{2}$/
const LEGAL_ID = /^[0-9A-Za-z./ -]{1,35}$/

export class DataDirError extends Error {
  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'DataDirError'
  }
}

/** Validates init options; throws DataDirError naming the bad option. */
export function checkProfileInput (input: ProfileInput): void {
  if (input.role !== undefined && !(ROLES as readonly string[]).includes(input.role)) {
    throw new DataDirError(`--role must be one of ${ROLES.join(', ')}`)
  }
  if (input.country !== undefined && !COUNTRY.test(input.country)) throw new DataDirError('--country must be an ISO 3166-1 alpha-2 code such as KZ')
  if (input.name !== undefined && (input.name.trim() === '' || input.name.length > 200)) throw new DataDirError('--name must be 1 to 200 characters')
  if (input.legalId !== undefined && !LEGAL_ID.test(input.legalId)) throw new DataDirError('--legal-id must be 1 to 35 letters, digits, spaces or ./-')
  if (input.role === 'authority' && input.country === undefined) throw new DataDirError('an authority needs --country: the state whose participants it certifies')
}

async function exists (path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw err
  }
}

/** Tightens a file or folder others can reach to `mode`, and says so; one that is missing is left to its reader. */
async function keepPrivate (path: string, mode: number): Promise<void> {
  let current: number
  try {
    current = (await stat(path)).mode & 0o777
  } catch {
    return
  }
  if ((current & 0o077) === 0) return
  await chmod(path, mode)
  process.emitWarning(`${path} was open to others (mode ${current.toString(8)}); set to ${mode.toString(8)}`)
}

/** Writes a file completely or not at all: a crash never leaves half a key. */
async function writeFileAtomic (path: string, content: string, mode: number): Promise<void> {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`
  const handle = await open(temp, 'wx', mode)
  try {
    await handle.writeFile(content)
    await handle.sync()
  } finally {
    await handle.close()
  }
  await rename(temp, path)
}

export async function isInitialised (dir: string): Promise<boolean> {
  return await exists(join(dir, KEY_FILE))
}

/** Creates a new data folder. Refuses one that already holds a key. */
/** Roles whose nodes start with the default access rules (their records are what agencies need). */
const ROLES_WITH_DEFAULT_POLICIES: ReadonlySet<string> = new Set(['trader', 'broker', 'carrier'])

export interface InitOptions {
  /** Write the default policies.json for traders, brokers and carriers (default true). */
  readonly defaultPolicies?: boolean
}

export async function initDataDir (dir: string, input: ProfileInput = {}, options: InitOptions = {}): Promise<Identity> {
  checkProfileInput(input)
  if (await isInitialised(dir)) throw new DataDirError(`${dir} already holds a node identity (${KEY_FILE})`)
  await mkdir(dir, { recursive: true, mode: 0o700 }).catch(async (err: NodeJS.ErrnoException) => {
    // A recursive mkdir says ENOENT for a parent it may not write to (read-only, say); a plain one says why.
    if (err.code !== 'ENOENT') throw err
    await mkdir(dir, { mode: 0o700 })
  })
  const { privateKey } = generateKeyPairSync('ed25519')
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()
  const signer = signerFromPem(pem)
  const profile: Profile = {
    participant: signer.participant,
    name: input.name ?? `keruen node ${signer.participant.slice(-6)}`,
    role: (input.role ?? 'trader') as Role,
    ...(input.country !== undefined && { country: input.country }),
    ...(input.legalId !== undefined && { legalId: input.legalId })
  }
  // The profile and token first, the key last: a folder counts as initialised only once all three exist.
  await writeFileAtomic(join(dir, PROFILE_FILE), `${JSON.stringify(profile, null, 2)}\n`, 0o600)
  await writeFileAtomic(join(dir, TOKEN_FILE), `${randomBytes(32).toString('base64url')}\n`, 0o600)
  if (options.defaultPolicies !== false && ROLES_WITH_DEFAULT_POLICIES.has(profile.role)) await writeDefaultPolicyFile(dir, profile.country)
  await writeFileAtomic(join(dir, KEY_FILE), pem, 0o600)
  return await loadDataDir(dir)
}

function signerFromPem (pem: string): Signer & { seed: Uint8Array } {
  let key
  try {
    key = createPrivateKey({ key: pem, format: 'pem' })
  } catch (err) {
    throw new DataDirError(`${KEY_FILE} is not a readable private key (PEM): restore it from a backup, as it is the node's identity`, { cause: err })
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new DataDirError(`${KEY_FILE} is not an Ed25519 key`)
  const jwk = key.export({ format: 'jwk' })
  const seed = new Uint8Array(Buffer.from(jwk.d as string, 'base64url'))
  return Object.assign(ed25519Signer(seed), { seed })
}

/** Loads an initialised data folder, checking that its parts belong together. */
export async function loadDataDir (dir: string): Promise<Identity> {
  if (!(await isInitialised(dir))) throw new DataDirError(`${dir} holds no node identity; run keruen init --data ${dir}`)
  const keyPath = join(dir, KEY_FILE)
  // The key signs as the participant and the token opens its API: neither is for others to read.
  await keepPrivate(dir, 0o700)
  await keepPrivate(keyPath, 0o600)
  await keepPrivate(join(dir, TOKEN_FILE), 0o600)
  const signer = signerFromPem(await readFile(keyPath, 'utf8'))
  let profile: Profile
  try {
    profile = JSON.parse(await readFile(join(dir, PROFILE_FILE), 'utf8')) as Profile
  } catch (err) {
    throw new DataDirError(`${join(dir, PROFILE_FILE)} cannot be read: ${(err as Error).message}`, { cause: err })
  }
  checkProfileInput(profile)
  if (profile.participant !== signer.participant) {
    throw new DataDirError(`${PROFILE_FILE} names participant ${profile.participant} but ${KEY_FILE} is the key of ${signer.participant}`)
  }
  const tokenPath = join(dir, TOKEN_FILE)
  let apiToken: string
  try {
    apiToken = (await readFile(tokenPath, 'utf8')).trim()
  } catch (err) {
    throw new DataDirError(`${tokenPath} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): write a new token of 16 characters or more into it, e.g. openssl rand -base64 32 > ${tokenPath}`, { cause: err })
  }
  if (apiToken.length < 16) throw new DataDirError(`${join(dir, TOKEN_FILE)} holds no usable token (16 characters at least)`)
  return { dir, signer, seed: signer.seed, profile, apiToken }
}
