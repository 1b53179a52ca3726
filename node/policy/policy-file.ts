/**
 * DIR/policies.json: the owner's access rules in a file it can read and edit.
 * At start the file is validated (a bad rule stops the node with the exact
 * path) and brought into force: each rule becomes a signed policy.grant named
 * "policies.json/<name>"; a changed rule is re-granted and the old grant
 * revoked; a rule deleted from the file is revoked. Grants made through the
 * API are left alone.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Type, type Static } from '@sinclair/typebox'
import { builtinTypes, RecordTypes } from '../../record/types/index.js'
import { grantProperties } from '../../record/types/policy.js'
import { arrayOf, date as dateSchema, object, string } from '../../record/types/common.js'
import { compileSchema, violationsOf } from '../../record/types/validator.js'
import { fingerprintOf } from '../records/fingerprint.js'
import type { Grant, GrantInput, GrantStatus } from './grant.js'

/** What bringing policies.json into force needs of the policy service. */
export interface PolicyFileTarget {
  list: () => Array<Grant & { status: GrantStatus }>
  grant: (input: GrantInput) => Promise<{ id: string }>
  revoke: (grantId: string, reason: string) => Promise<unknown>
}

export const POLICY_FILE = 'policies.json'

/** The policy file cannot be read or breaks the rules; the message names each bad path. */
export class PolicyFileError extends Error {
  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'PolicyFileError'
  }
}
const NAME_PREFIX = `${POLICY_FILE}/`

const { name: _name, ...ruleProperties } = grantProperties

/** One rule of the file: a grant's terms, a unique name and the last day (or instant) it applies. */
const policyRule = object({
  name: string({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$', description: 'unique name of the rule' }),
  ...ruleProperties,
  until: Type.Union([dateSchema, string({ format: 'date-time' })], { description: 'last day (or instant) the rule applies' }),
  $comment: Type.String()
}, ['name', 'types', 'to', 'fields', 'purpose'])

const policyFile = object({
  $comment: Type.String(),
  grants: arrayOf(policyRule, 1000)
}, ['grants'])

export type PolicyRule = Static<typeof policyRule>
export type PolicyFile = Static<typeof policyFile>

const validate = compileSchema(policyFile)
const registered = new Set(builtinTypes.map(t => t.type))

/** Reads and checks the file; undefined when there is none. Throws PolicyFileError naming each bad path. */
export async function readPolicyFile (dataDir: string): Promise<PolicyFile | undefined> {
  const path = join(dataDir, POLICY_FILE)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new PolicyFileError(`${path} is not valid JSON: ${(err as Error).message}`, { cause: err })
  }
  const fail = (problems: readonly string[]): PolicyFileError => new PolicyFileError(`${path} is not a valid policy file:\n  ${problems.join('\n  ')}`)
  if (!validate(json)) throw fail(violationsOf(validate.errors).map(v => `${v.path || '/'}: ${v.message}`))
  const problems: string[] = []
  const names = new Set<string>()
  json.grants.forEach((rule, i) => {
    if (names.has(rule.name)) problems.push(`/grants/${i}/name: ${rule.name} is used twice`)
    names.add(rule.name)
    rule.types.forEach((type, j) => { if (!registered.has(type)) problems.push(`/grants/${i}/types/${j}: ${type} is not a registered record type`) })
    if (rule.until !== undefined && Number.isNaN(Date.parse(rule.until))) problems.push(`/grants/${i}/until: not a date`)
  })
  if (problems.length > 0) throw fail(problems)
  return json
}

function untilInstant (until: string | undefined): string | undefined {
  if (until === undefined) return undefined
  // A bare date means "through that day".
  return /^\d{4}-\d{2}-\d{2}$/.test(until) ? `${until}T23:59:59.999Z` : until
}

function grantInputOf (rule: PolicyRule): GrantInput {
  const validUntil = untilInstant(rule.until)
  return {
    types: rule.types,
    ...(rule.consignment !== undefined && { consignment: rule.consignment }),
    to: rule.to,
    fields: rule.fields,
    purpose: rule.purpose,
    name: `${NAME_PREFIX}${rule.name}`,
    ...(rule.mode !== undefined && { mode: rule.mode }),
    ...(validUntil !== undefined && { validUntil })
  }
}

function sameRule (grant: Grant, input: GrantInput): boolean {
  const { id: _id, issuedAt: _issuedAt, patterns: _patterns, revokedBy: _revokedBy, status: _status, ...rest } = grant as Grant & { status?: string }
  return fingerprintOf(rest) === fingerprintOf(input)
}

/** Brings the file's rules into force; returns what changed. */
export async function syncPolicyFile (dataDir: string, policy: PolicyFileTarget): Promise<{ granted: string[], revoked: string[] }> {
  const file = await readPolicyFile(dataDir)
  if (file === undefined) return { granted: [], revoked: [] }
  const active = policy.list().filter(g => g.status === 'active' && g.name?.startsWith(NAME_PREFIX) === true)
  const granted: string[] = []
  const revoked: string[] = []
  const kept = new Set<string>()
  for (const rule of file.grants) {
    const input = grantInputOf(rule)
    if (input.validUntil !== undefined && input.validUntil <= new Date().toISOString()) continue
    const same = active.find(g => g.name === input.name && sameRule(g, input))
    if (same !== undefined) {
      kept.add(same.id)
      continue
    }
    granted.push((await policy.grant(input)).id)
  }
  for (const grant of active) {
    if (kept.has(grant.id)) continue
    await policy.revoke(grant.id, `rule ${grant.name?.slice(NAME_PREFIX.length) ?? ''} changed or removed in ${POLICY_FILE}`)
    revoked.push(grant.id)
  }
  return { granted, revoked }
}

/** Goods fields a phytosanitary inspection needs: who, what, how much, from where, how carried — never prices. */
export const SPS_FIELDS = [
  '/number', '/date', '/seller', '/buyer', '/consignee', '/exporter', '/producer', '/sender', '/carrier',
  '/originCountry', '/destinationCountry', '/mode', '/vehicle', '/means', '/route', '/takenOverAt',
  '/lines/*/lineNumber', '/lines/*/hsCode', '/lines/*/description', '/lines/*/quantity', '/lines/*/unit',
  '/lines/*/netWeight', '/lines/*/grossWeight', '/lines/*/originCountry', '/lines/*/marks', '/lines/*/packages',
  '/goods', '/packages', '/totalPackages', '/totalNetWeight', '/totalGrossWeight'
]

/**
 * The rules a new trader's (or carrier's) node starts with: customs of its own
 * country gets every customs-relevant document and shipment event whole; the phytosanitary service of its own
 * country gets the goods fields of the documents it inspects, no prices.
 * Without a country the rules name none, and so cover those agencies anywhere.
 */
export function defaultPolicyFile (country?: string): PolicyFile {
  const where = country !== undefined ? { country } : {}
  const prefix = country ?? 'XX'
  return {
    grants: [
      {
        name: 'customs',
        types: [RecordTypes.tradeInvoice, RecordTypes.tradePackingList, RecordTypes.tradeContract, RecordTypes.transportWaybill, RecordTypes.certOrigin,
          RecordTypes.certPhytosanitary, RecordTypes.customsDeclaration, RecordTypes.eventShipment, RecordTypes.epcisEvent],
        to: { role: 'agency', competence: 'customs', ...where },
        fields: [''],
        purpose: `${prefix}.customs.export-declaration`
      },
      {
        name: 'phytosanitary',
        types: [RecordTypes.tradeInvoice, RecordTypes.tradePackingList, RecordTypes.transportWaybill, RecordTypes.certOrigin],
        to: { role: 'agency', competence: 'phytosanitary', ...where },
        fields: SPS_FIELDS,
        purpose: `${prefix}.sps.phytosanitary-certificate`
      }
    ]
  }
}

/** Writes the default rules unless the folder already has a policy file. */
export async function writeDefaultPolicyFile (dataDir: string, country?: string): Promise<void> {
  try {
    await writeFile(join(dataDir, POLICY_FILE), `${JSON.stringify(defaultPolicyFile(country), null, 2)}\n`, { flag: 'wx', mode: 0o600 })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
  }
}
