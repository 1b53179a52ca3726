/**
 * Asking a participant in the cabinet: the form (whom to ask, what for, the
 * purpose, whether to keep what comes) read into a query's selection with
 * what is wrong beside each field, the participants it may ask, and the
 * node's refusal of a query said as a sentence.
 */
import type { NodeApi } from '../../node/node-api.js'
import { ServiceError } from '../../node/errors.js'
import type { QuerySelection } from '../../node/query/query-service.js'
import { CONSIGNMENT_PATTERN, RECORD_ID_PATTERN, TYPE_PATTERN } from '../../record/index.js'
import type { MessageKey } from './i18n.js'
import { normaliseStart } from '../../record/time.js'

type T = (key: MessageKey, vars?: Record<string, string | number>) => string

/** What a query asks for: the records of a consignment, one record, or records by type, time and goods. */
export const ASK_KINDS = ['consignment', 'record', 'type'] as const
export type AskKind = typeof ASK_KINDS[number]

/** The purpose of a query, as the node's API takes it: `CC.competence.procedure`. */
export const PURPOSE_PATTERN = /^[A-Z]{2}(\.[A-Za-z0-9-]+)+$/
const DATE = /^\d{4}-\d{2}-\d{2}$/
const HS_PREFIX = /^[0-9]{2,10}$/

/** The form as sent (or empty at first), kept to show it again. */
export interface AskForm {
  readonly holder: string
  readonly kind: AskKind
  readonly consignment: string
  readonly record: string
  readonly type: string
  readonly since: string
  readonly until: string
  readonly hsCode: string
  readonly purpose: string
  readonly store: boolean
}

export const EMPTY_ASK_FORM: AskForm = { holder: '', kind: 'consignment', consignment: '', record: '', type: '', since: '', until: '', hsCode: '', purpose: '', store: false }

/** A participant the form offers: certified, valid, not this node. */
export interface AskChoice {
  readonly participant: string
  readonly name: string
  readonly role: string
  readonly competence?: string | undefined
}

/** The participants this node may ask: those the directory holds a valid certificate of, this node aside, by name. */
export async function askChoices (node: NodeApi): Promise<AskChoice[]> {
  return (await node.trust.directory())
    .filter(p => p.status === 'valid' && p.certificate !== undefined && p.participant !== node.participant)
    .map(p => ({ participant: p.participant, name: p.certificate?.name ?? '', role: p.certificate?.role ?? '', ...(p.certificate?.competence !== undefined && { competence: p.certificate.competence }) }))
    .sort((a, b) => a.name.localeCompare(b.name))
}

const text = (form: Record<string, unknown>, name: string, max: number): string => {
  const value = form[name]
  return typeof value === 'string' ? value.trim().slice(0, max) : ''
}

/**
 * The form as sent, what is wrong by field name, and, when nothing is, the
 * selection and the options of the query. `holders` are the participants the
 * form offers: no other may be asked from it.
 */
export function readAskForm (form: Record<string, unknown>, holders: readonly AskChoice[], t: T): { input: AskForm, errors: Map<string, string>, query?: { holder: string, select: QuerySelection, purpose: string, store: boolean } } {
  const kind = ASK_KINDS.find(k => k === form.kind) ?? 'consignment'
  const input: AskForm = {
    holder: text(form, 'holder', 64),
    kind,
    consignment: text(form, 'consignment', 35).toUpperCase(),
    record: text(form, 'record', 64),
    type: text(form, 'type', 64),
    since: text(form, 'since', 10),
    until: text(form, 'until', 10),
    hsCode: text(form, 'hsCode', 10).replace(/\s+/g, ''),
    purpose: text(form, 'purpose', 128),
    store: form.store === 'on' || form.store === 'true'
  }
  const errors = new Map<string, string>()
  if (!holders.some(h => h.participant === input.holder)) errors.set('holder', t('errAskHolder'))
  if (input.purpose === '') errors.set('purpose', t('errAskPurposeMissing'))
  else if (!PURPOSE_PATTERN.test(input.purpose)) errors.set('purpose', t('errAskPurpose'))
  let select: QuerySelection = {}
  if (kind === 'consignment') {
    if (!CONSIGNMENT_PATTERN.test(input.consignment)) errors.set('consignment', t('errAskConsignment'))
    select = { consignment: input.consignment }
  } else if (kind === 'record') {
    if (!RECORD_ID_PATTERN.test(input.record)) errors.set('record', t('errAskRecord'))
    select = { record: input.record }
  } else {
    if (input.type !== '' && !TYPE_PATTERN.test(input.type)) errors.set('type', t('errAskType'))
    // A date of the calendar, the start of that day.
    const day = (value: string): string | undefined => value !== '' && DATE.test(value) ? normaliseStart(value) : undefined
    const since = day(input.since)
    const until = day(input.until)
    if (input.since !== '' && since === undefined) errors.set('since', t('errAskDate'))
    if (input.until !== '' && until === undefined) errors.set('until', t('errAskDate'))
    else if (input.until !== '' && input.since !== '' && input.until <= input.since) errors.set('until', t('errAskUntil'))
    if (input.hsCode !== '' && !HS_PREFIX.test(input.hsCode)) errors.set('hsCode', t('errAskHsCode'))
    if (input.type === '' && input.since === '' && input.until === '' && input.hsCode === '') errors.set('type', t('errAskSelection'))
    select = {
      ...(input.type !== '' && { type: input.type }),
      ...(since !== undefined && { since }),
      ...(until !== undefined && { until }),
      ...(input.hsCode !== '' && { hsCode: input.hsCode })
    }
  }
  if (errors.size > 0) return { input, errors }
  return { input, errors, query: { holder: input.holder, select, purpose: input.purpose, store: input.store } }
}

/** The node's refusal of a query as a plain sentence with its reason, and the HTTP status the page is sent with. */
export function askFailure (err: ServiceError, t: T): { message: string, status: 422 | 502 | 503 | 504, retryAfter?: number } {
  const reason = err.message
  switch (err.code) {
    case 'holder-unreachable': return { message: t('askUnreachable', { reason }), status: 502 }
    case 'holder-timeout': return { message: t('askTimeout', { reason }), status: 504 }
    case 'bad-answer': return { message: t('askBadAnswer', { reason }), status: 502 }
    case 'not-on-network': return { message: t('askNotOnNetwork', { reason }), status: 503 }
    case 'holder-busy': {
      const seconds = Math.max(1, Math.ceil((err.retryAfterMs ?? 1000) / 1000))
      return { message: t('askBusy', { seconds, reason }), status: 503, retryAfter: seconds }
    }
    default: return { message: t('failed', { reason }), status: 422 }
  }
}
