/**
 * This node's sharing as its administrator reads and changes it: a grant told
 * in words (to whom, which documents, which fields), the form that makes one
 * read back into a grant with what is wrong beside each field, and the
 * preview of one document: which of its fields each participant the grants
 * let in receives, and under which grant.
 */
import type { AccessEntry } from '../../node/policy/policy-service.js'
import type { Grantee, GrantInput } from '../../node/policy/grant.js'
import type { RecordView } from '../../node/records/record-view.js'
import { CONSIGNMENT_PATTERN } from '../../record/envelope.js'
import { covers, fieldPatterns, parseFieldPattern, type FieldPattern } from '../../record/index.js'
import { PARTICIPANT_ROLES, type ParticipantRole } from '../../record/types/trust-certificate.js'
import { pathLabel, pointerSteps } from './document-labels.js'
import type { Lang, MessageKey } from './i18n.js'
import { leaves, short, type Leaf } from './pages/format.js'

type T = (key: MessageKey, vars?: Record<string, string | number>) => string

/** The purpose of a grant: a country's code, then names separated by dots (record/types/policy.ts). */
const PURPOSE = /^[A-Z]{2}(\.[A-Za-z0-9-]+)+$/
const MAX_FIELDS = 512

/** One choice of the form's recipient select: a participant of the directory, or everyone certified with a role (and competence). */
export interface RecipientChoice {
  readonly value: string
  readonly to: Grantee
}

/** The choice of one participant. */
export function participantChoice (participant: string): RecipientChoice {
  return { value: `participant:${participant}`, to: { participant } }
}

/** The choice of everyone certified as `role`, with `competence` when given. */
export function roleChoice (role: ParticipantRole, competence?: string): RecipientChoice {
  return { value: `role:${role}${competence !== undefined ? `:${competence}` : ''}`, to: { role, ...(competence !== undefined && { competence }) } }
}

/**
 * What the form offers: each certified participant but this node, then each
 * role, and each role with a competence some participant is certified with.
 */
export function recipientChoices (directory: ReadonlyArray<{ participant: string, certificate?: { role: string, competence?: string } }>, self: string): { participants: RecipientChoice[], roles: RecipientChoice[] } {
  const participants = directory.filter(p => p.participant !== self && p.certificate !== undefined).map(p => participantChoice(p.participant))
  const competences = new Map<string, RecipientChoice>()
  for (const p of directory) {
    const role = PARTICIPANT_ROLES.find(r => r === p.certificate?.role)
    const competence = p.certificate?.competence
    if (role === undefined || competence === undefined || competence === '') continue
    const choice = roleChoice(role, competence)
    competences.set(choice.value, choice)
  }
  const roles = PARTICIPANT_ROLES.flatMap(role => [roleChoice(role), ...[...competences.values()].filter(c => c.to.role === role).sort((a, b) => a.value < b.value ? -1 : 1)])
  return { participants, roles }
}

/** Whom a grant is for, in words: a participant by its certified name, or what certificate its recipients hold. */
export function granteeText (t: T, to: Grantee, names: ReadonlyMap<string, string>): string {
  if (to.participant !== undefined) {
    const name = names.get(to.participant) ?? short(to.participant)
    return to.role === undefined && to.competence === undefined && to.country === undefined ? name : `${name}, ${certifiedText(t, to)}`
  }
  return certifiedText(t, to)
}

function certifiedText (t: T, to: Grantee): string {
  const parts = [
    to.role !== undefined ? t('granteeRole', { role: t(`prole_${to.role}`) }) : t('granteeAnyone'),
    ...(to.competence !== undefined ? [t('granteeCompetence', { competence: to.competence })] : []),
    ...(to.country !== undefined ? [t('granteeCountry', { country: to.country })] : [])
  ]
  return parts.join(', ')
}

/** A field pattern labelled in `lang` (`/lines/*\/hsCode` → "Lines › HS code"), with the pattern itself. */
export function patternLabel (lang: Lang, pattern: string): { label: string, pattern: string } {
  return { label: pathLabel(lang, pointerSteps(pattern)), pattern }
}

/** Whether a grant's fields are the whole record. */
export const wholeRecord = (fields: readonly string[]): boolean => fields.includes('')

/** The add-a-grant form as sent, kept to show it again. */
export interface GrantForm {
  readonly recipient: string
  readonly types: readonly string[]
  readonly fields: string
  readonly purpose: string
  readonly consignment: string
  readonly until: string
}

export const EMPTY_GRANT_FORM: GrantForm = { recipient: '', types: [], fields: '', purpose: '', consignment: '', until: '' }

/** Whether `value` is a day of the calendar, YYYY-MM-DD (not 31 February). */
function isCalendarDate (value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  const day = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value
}

const text = (form: Record<string, unknown>, name: string, max: number): string => {
  const value = form[name]
  return typeof value === 'string' ? value.trim().slice(0, max) : ''
}

/**
 * The form read into a grant, or what is wrong with it by field name, in the
 * person's words. `choices` are the recipients offered, `types` the record
 * types; `today` is the UTC date (YYYY-MM-DD) a last day may not precede.
 */
export function readGrantForm (form: Record<string, unknown>, options: { t: T, choices: readonly RecipientChoice[], types: readonly string[], today: string }): { input: GrantForm, grant?: GrantInput, errors: Map<string, string> } {
  const { t } = options
  const sent = form.types
  const input: GrantForm = {
    recipient: text(form, 'recipient', 300),
    types: (Array.isArray(sent) ? sent : [sent]).filter((s): s is string => typeof s === 'string' && s !== '').slice(0, 64),
    fields: typeof form.fields === 'string' ? form.fields.slice(0, 64 * 1024) : '',
    purpose: text(form, 'purpose', 200),
    consignment: text(form, 'consignment', 64),
    until: text(form, 'until', 32)
  }
  const errors = new Map<string, string>()
  const choice = options.choices.find(c => c.value === input.recipient)
  if (choice === undefined) errors.set('recipient', t('errRecipient'))
  const types = [...new Set(input.types)]
  if (types.length === 0) errors.set('types', t('errTypes'))
  else if (types.some(type => !options.types.includes(type))) errors.set('types', t('errChoice'))

  // One pointer a line or between commas; a missing leading slash is added.
  const written = input.fields.split(/[\n\r,]+/).map(f => f.trim()).filter(f => f !== '')
  const fields: string[] = []
  for (const field of written) {
    const pointer = field.startsWith('/') ? field : `/${field}`
    if (typeof parseFieldPattern(pointer) === 'string' || pointer.includes(' ')) {
      errors.set('fields', t('errFieldPointer', { field }))
      break
    }
    if (!fields.includes(pointer)) fields.push(pointer)
  }
  if (fields.length > MAX_FIELDS) errors.set('fields', t('errFieldsMany', { max: MAX_FIELDS }))

  if (input.purpose === '') errors.set('purpose', t('errRequired'))
  else if (!PURPOSE.test(input.purpose) || input.purpose.length > 128) errors.set('purpose', t('errPurpose'))
  if (input.consignment !== '' && !CONSIGNMENT_PATTERN.test(input.consignment)) errors.set('consignment', t('errConsignment'))
  if (input.until !== '') {
    if (!isCalendarDate(input.until)) errors.set('until', t('errDate'))
    else if (input.until < options.today) errors.set('until', t('errUntilPast'))
  }
  if (errors.size > 0 || choice === undefined) return { input, errors }
  return {
    input,
    errors,
    grant: {
      types,
      to: choice.to,
      fields: fields.length > 0 ? fields : [''],
      purpose: input.purpose,
      ...(input.consignment !== '' && { consignment: input.consignment }),
      // A day means through that day.
      ...(input.until !== '' && { validUntil: `${input.until}T23:59:59.999Z` })
    }
  }
}

/** One participant the grants let in to the document previewed. */
export interface PreviewRecipient {
  readonly participant: string
  readonly name: string
  readonly role?: string | undefined
  /** How many of the document's fields it receives. */
  readonly received: number
  /** The grants that let it in; none when the type is published to every certified participant. */
  readonly grants: AccessEntry['grants']
}

/** One field of the document previewed, and for each recipient (in the order of `recipients`) the grants it comes under; undefined when not sent. */
export interface PreviewRow {
  readonly leaf: Leaf
  readonly label: string
  readonly by: ReadonlyArray<readonly string[] | undefined>
}

export interface Preview {
  readonly recipients: readonly PreviewRecipient[]
  readonly rows: readonly PreviewRow[]
}

/**
 * `data` with each object's properties in the order its schema lists them (a
 * record keeps them in its canonical, alphabetical order), any others after.
 */
export function inSchemaOrder (data: unknown, schema: unknown): unknown {
  const s = (typeof schema === 'object' && schema !== null ? schema : {}) as { properties?: Record<string, unknown>, items?: unknown }
  if (Array.isArray(data)) return data.map(item => inSchemaOrder(item, s.items))
  if (typeof data !== 'object' || data === null) return data
  const entries = Object.entries(data)
  const order = Object.keys(s.properties ?? {})
  const rank = (key: string): number => { const i = order.indexOf(key); return i === -1 ? order.length : i }
  return Object.fromEntries(entries
    .map(([key, value], i) => ({ key, value, i }))
    .sort((a, b) => rank(a.key) - rank(b.key) || a.i - b.i)
    .map(({ key, value }) => [key, inSchemaOrder(value, s.properties?.[key])]))
}

/**
 * Who receives which field of `view`, its fields in the order of `schema`:
 * `access` is what the policy service says of the record, `patternsOf` a
 * grant's parsed field patterns.
 */
export function previewOf (lang: Lang, view: RecordView, schema: unknown, allowed: readonly AccessEntry[], patternsOf: (grant: string) => readonly FieldPattern[] | undefined, names: ReadonlyMap<string, string>): Preview {
  const nameOf = (entry: AccessEntry): string => entry.name ?? names.get(entry.participant) ?? short(entry.participant)
  // Recipients by name, so that the columns keep their places from one look to the next.
  const access = [...allowed].sort((a, b) => nameOf(a).localeCompare(nameOf(b), lang) || (a.participant < b.participant ? -1 : 1))
  const fieldsOf = access.map(entry => {
    const patterns = fieldPatterns(entry.fields)
    // Per grant, what it covers; a grant no longer known covers what the entry as a whole does.
    const grants = entry.grants.map(g => ({ id: g.id, patterns: patternsOf(g.id) ?? patterns }))
    return { patterns, grants }
  })
  const rows = leaves(inSchemaOrder(view.data, schema)).map(leaf => ({
    leaf,
    label: pathLabel(lang, leaf.steps),
    by: fieldsOf.map(({ patterns, grants }) => {
      if (!patterns.some(p => covers(p, leaf.steps))) return undefined
      return grants.filter(g => g.patterns.some(p => covers(p, leaf.steps))).map(g => g.id)
    })
  }))
  const recipients = access.map((entry, i) => ({
    participant: entry.participant,
    name: nameOf(entry),
    role: entry.role,
    received: rows.filter(r => r.by[i] !== undefined).length,
    grants: entry.grants
  }))
  return { recipients, rows }
}
