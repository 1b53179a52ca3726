/**
 * EPCIS 2.0 capture and query. Captured events are validated, each stored as
 * an `epcis.event` record signed by this node and linked to its consignment;
 * queries take the common SimpleEventQuery parameters and answer with an
 * EPCISQueryDocument, a page at a time.
 *
 * Linking rule: an event belongs to the consignment named by a
 * bizTransaction `urn:keruen:consignment:<reference>`, else to the one the
 * capture request names.
 */
import type { ErrorObject, ValidateFunction } from 'ajv'
import {
  CONSIGNMENT_PATTERN, EPCIS_CONTEXT, EPCIS_EVENT_TYPES, EPCIS_JSON_SCHEMA, effectiveContext, epcsOf, isGs1Context, MAX_EVENT_JSON, MAX_EVENTS_PER_DOCUMENT,
  type EpcisEventType, type JsonLdContext
} from '../../record/index.js'
import { compileDraft07Schema, violationsOf } from '../../record/types/validator.js'
import { RecordTypes } from '../../record/types/names.js'
import { recordInput } from '../../record/types/data.js'
import { epcisEvent } from '../../record/types/epcis-event.js'
import type { RecordStore } from '../../storage/index.js'
import { ServiceError, type Violation } from '../errors.js'
import { listen, type NodeEvents } from '../events.js'
import type { RecordService } from '../records/record-service.js'
import { storedRecord } from '../records/stored-record.js'
import { assignedEventId } from './epcis-event-id.js'

export const EPCIS_EVENT = RecordTypes.epcisEvent
export { EPCIS_CONTEXT }
const CONSIGNMENT_BT = 'urn:keruen:consignment:'

export interface EpcisQuery {
  readonly eventType?: string
  readonly GE_eventTime?: string
  readonly LT_eventTime?: string
  readonly EQ_bizStep?: string
  readonly EQ_disposition?: string
  readonly MATCH_epc?: string
  readonly MATCH_anyEPC?: string
  readonly EQ_bizLocation?: string
  readonly EQ_readPoint?: string
  readonly consignment?: string
  readonly perPage?: number
  readonly nextPageToken?: string
}

type Event = Record<string, unknown>

let gs1: ValidateFunction | undefined
/** GS1's schema, compiled on first use: it takes a fifth of a second. */
const validateEpcis = (): ValidateFunction => (gs1 ??= compileDraft07Schema(EPCIS_JSON_SCHEMA))

/** Keywords Ajv reports for each alternative it tried on a property name GS1 does not know. */
const NAME_ALTERNATIVES = new Set(['enum', 'format', 'anyOf', 'pattern'])

/**
 * GS1's schema's faults as violations: a field it does not know named as
 * such, without the alternatives Ajv tried for its name or the if/then that
 * chose the event type's schema.
 */
function gs1Violations (errors: readonly ErrorObject[] | null | undefined): Violation[] {
  const list = errors ?? []
  const namesFailedAt = new Set(list.filter(e => e.keyword === 'propertyNames').map(e => e.instancePath))
  const kept = list
    .filter(e => e.keyword !== 'if' && !(namesFailedAt.has(e.instancePath) && NAME_ALTERNATIVES.has(e.keyword)))
    .map(e => e.keyword === 'propertyNames' ? { ...e, keyword: 'additionalProperties', params: { additionalProperty: (e.params as { propertyName: string }).propertyName } } : e)
  return violationsOf(kept).map(v =>
    v.message === 'is not a known field' ? { ...v, message: 'is not an EPCIS 2.0 field (extensions need a namespace prefix)' } : v)
}

/** CBV values may be written bare ("shipping") or as their GS1 URI; compare the bare form. */
function bare (value: unknown): string {
  const text = String(value)
  const slash = text.lastIndexOf('/')
  const tail = slash >= 0 ? text.slice(slash + 1) : text
  return tail.replace(/^(BizStep|Disp)-/, '').replace(/^urn:epcglobal:cbv:(bizstep|disp):/, '')
}

const anyOf = (list: string | undefined): string[] | undefined => list === undefined ? undefined : list.split('|').map(s => s.trim()).filter(s => s !== '')

export interface EpcisServiceComponents {
  readonly recordStore: RecordStore
  readonly records: Pick<RecordService, 'create'>
  /** Announces each stored shipment event ('shipment:event'). */
  readonly events: NodeEvents
}

export function epcisService () {
  return (components: EpcisServiceComponents): EpcisService => new EpcisService(components)
}

export class EpcisService {
  private readonly store: RecordStore
  private readonly records: Pick<RecordService, 'create'>
  private unlisten: (() => void) | undefined

  constructor (private readonly components: EpcisServiceComponents) {
    this.store = components.recordStore
    this.records = components.records
  }

  start (): void {
    const { events } = this.components
    this.unlisten = listen(events, {
      'record:stored': ({ id, envelope }) => {
        if (envelope.type === EPCIS_EVENT || envelope.type === RecordTypes.eventShipment) events.emit('shipment:event', id, envelope.consignment ?? '', envelope.issuer)
      }
    })
  }

  stop (): void {
    this.unlisten?.()
    this.unlisten = undefined
  }

  /**
   * Validates a document or a single event against GS1's schema; throws with
   * every failing path, nothing stored. Each event comes with the context it
   * is read in (its document's and its own).
   */
  parse (body: unknown): Array<{ event: Event, path: string, context: JsonLdContext }> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ServiceError('schema-violation', 'an EPCISDocument or a single EPCIS event is expected', [{ path: '', message: 'must be an object' }])
    const document = (body as Event).type === 'EPCISDocument'
    const list = document ? (body as { epcisBody?: { eventList?: unknown } }).epcisBody?.eventList : [body]
    if (Array.isArray(list) && list.length > MAX_EVENTS_PER_DOCUMENT) {
      throw new ServiceError('schema-violation', `a document may carry at most ${MAX_EVENTS_PER_DOCUMENT} events`, [{ path: '/epcisBody/eventList', message: `holds ${list.length} events` }])
    }
    const events = (Array.isArray(list) ? list as Event[] : []).map((event, i) => ({ event, path: document ? `/epcisBody/eventList/${i}` : '' }))
    const problems: Violation[] = []
    // Only the five EPCIS 2.0 event types are captured; GS1's faults in another are beside the point.
    const skipped: string[] = []
    for (const { event, path } of events) {
      if (typeof event !== 'object' || event === null) continue
      if (!(EPCIS_EVENT_TYPES as readonly unknown[]).includes(event.type)) {
        problems.push({ path: `${path}/type`, message: `must be one of ${EPCIS_EVENT_TYPES.join(', ')}` })
        skipped.push(path)
      } else if (JSON.stringify(event).length > MAX_EVENT_JSON) {
        problems.push({ path, message: `event is larger than ${MAX_EVENT_JSON} bytes of JSON` })
      }
    }
    if (!document && skipped.length > 0) throw new ServiceError('schema-violation', 'an EPCISDocument or a single EPCIS event is expected', problems)
    const validate = validateEpcis()
    if (!validate(body)) {
      const inSkipped = (path: string): boolean => skipped.some(s => path === s || path.startsWith(`${s}/`))
      problems.push(...gs1Violations(validate.errors).filter(v => !inSkipped(v.path)))
    }
    if (problems.length > 0) throw new ServiceError('schema-violation', `${problems.length} problem(s) with the EPCIS ${document ? 'document' : 'event'}`, problems)
    const documentContext = document ? (body as Event)['@context'] : undefined
    return events.map(({ event, path }) => ({ event, path, context: effectiveContext(documentContext, event['@context']) }))
  }

  /** Validates, links and stores every event as a signed record; shares each with `share`. */
  async capture (body: unknown, options: { consignment?: string, share?: readonly string[] } = {}): Promise<Array<{ eventID: string, record: string, consignment: string }>> {
    const events = this.parse(body)
    const linked = events.map(({ event, path, context }) => {
      const consignment = linkOf(event) ?? options.consignment
      if (consignment === undefined || !CONSIGNMENT_PATTERN.test(consignment)) {
        throw new ServiceError('invalid-request', 'an event is linked to no consignment', [{
          path: `${path}/bizTransactionList`,
          message: `add a bizTransaction "${CONSIGNMENT_BT}<reference>", or pass ?consignment=`
        }])
      }
      return { event, context, consignment }
    })
    const out: Array<{ eventID: string, record: string, consignment: string }> = []
    for (const { event: captured, context, consignment } of linked) {
      const event = storedEvent(captured, context)
      const eventID = event.eventID as string
      const location = (key: string): string | undefined => {
        const value = event[key] as { id?: unknown } | undefined
        return typeof value?.id === 'string' ? value.id : undefined
      }
      const readPoint = location('readPoint')
      const bizLocation = location('bizLocation')
      const { record } = await this.records.create({
        ...recordInput(epcisEvent, {
          // parse() found a validator for the type: it is one of EPCIS_EVENT_TYPES.
          eventType: event.type as EpcisEventType,
          eventTime: event.eventTime as string,
          eventID,
          ...(typeof event.bizStep === 'string' && { bizStep: event.bizStep }),
          ...(typeof event.disposition === 'string' && { disposition: event.disposition }),
          ...(readPoint !== undefined && { readPoint }),
          ...(bizLocation !== undefined && { bizLocation }),
          event: JSON.stringify(event)
        }),
        consignment,
        ...(options.share !== undefined && { share: options.share })
      })
      out.push({ eventID, record: record.id, consignment })
    }
    return out
  }

  /** One page of events matching every parameter given, in capture order. */
  async query (q: EpcisQuery): Promise<{ document: Record<string, unknown>, next?: string }> {
    const perPage = Math.max(1, Math.min(q.perPage ?? 30, 500))
    const types = anyOf(q.eventType)
    const steps = anyOf(q.EQ_bizStep)?.map(bare)
    const dispositions = anyOf(q.EQ_disposition)?.map(bare)
    const epcs = anyOf(q.MATCH_epc)
    const anyEpcs = anyOf(q.MATCH_anyEPC)
    const readPoints = anyOf(q.EQ_readPoint)
    const bizLocations = anyOf(q.EQ_bizLocation)
    const from = q.GE_eventTime === undefined ? undefined : Date.parse(q.GE_eventTime)
    const until = q.LT_eventTime === undefined ? undefined : Date.parse(q.LT_eventTime)
    if (Number.isNaN(from) || Number.isNaN(until)) throw new ServiceError('invalid-request', 'GE_eventTime and LT_eventTime are date-times', [{ path: Number.isNaN(from) ? '/query/GE_eventTime' : '/query/LT_eventTime', message: 'must be an RFC 3339 date-time' }])
    const matches = (event: Event): boolean => {
      const time = Date.parse(String(event.eventTime))
      const { about, any } = epcsOf(event)
      const id = (key: string): string | undefined => (event[key] as { id?: string } | undefined)?.id
      return (types === undefined || types.includes(String(event.type))) &&
        (from === undefined || time >= from) && (until === undefined || time < until) &&
        (steps === undefined || (event.bizStep !== undefined && steps.includes(bare(event.bizStep)))) &&
        (dispositions === undefined || (event.disposition !== undefined && dispositions.includes(bare(event.disposition)))) &&
        (epcs === undefined || about.some(e => epcs.includes(e))) &&
        (anyEpcs === undefined || any.some(e => anyEpcs.includes(e))) &&
        (readPoints === undefined || readPoints.includes(id('readPoint') ?? '')) &&
        (bizLocations === undefined || bizLocations.includes(id('bizLocation') ?? ''))
    }
    const found: Event[] = []
    let cursor = q.nextPageToken
    let next: string | undefined
    // Scan the event records page by page until a page of matches is found.
    for (;;) {
      const page = await this.store.list({ type: EPCIS_EVENT, limit: perPage - found.length, ...(q.consignment !== undefined && { consignment: q.consignment }), ...(cursor !== undefined && { cursor }) })
      for (const bytes of page.records) {
        const record = storedRecord(bytes)
        if (record === undefined || record.envelope.type !== EPCIS_EVENT) continue
        const text = record.disclosures.find(d => d.path.length === 1 && d.path[0] === 'event')?.value
        if (typeof text !== 'string') continue
        const event = JSON.parse(text) as Event
        if (matches(event)) found.push(event)
      }
      cursor = page.next
      if (cursor === undefined || found.length >= perPage) {
        next = cursor
        break
      }
    }
    return {
      document: {
        '@context': answerContext(found),
        type: 'EPCISQueryDocument',
        schemaVersion: '2.0',
        creationDate: new Date().toISOString(),
        epcisBody: { queryResults: { queryName: 'SimpleEventQuery', resultsBody: { eventList: found } } }
      },
      ...(next !== undefined && { next })
    }
  }
}

function linkOf (event: Event): string | undefined {
  const list = Array.isArray(event.bizTransactionList) ? event.bizTransactionList as Array<{ bizTransaction?: unknown }> : []
  const link = list.find(b => typeof b.bizTransaction === 'string' && b.bizTransaction.startsWith(CONSIGNMENT_BT))
  return link === undefined ? undefined : (link.bizTransaction as string).slice(CONSIGNMENT_BT.length)
}

/**
 * The event as it is signed and stored: with the context it is read in, so
 * that its extension fields keep their meaning wherever it goes, and with an
 * eventID, assigned if it came without one (epcis-event-id.ts).
 */
function storedEvent (event: Event, context: JsonLdContext): Event {
  const { '@context': _own, ...rest } = event
  return {
    '@context': context,
    type: rest.type,
    ...(typeof rest.eventID !== 'string' && { eventID: assignedEventId(event, context) }),
    ...rest
  }
}

/**
 * The context of a query answer: GS1's, then every other entry of the
 * returned events' contexts. Each event also keeps its own, which JSON-LD
 * applies within it, so two events that bind one prefix differently each
 * keep their meaning.
 */
function answerContext (events: readonly Event[]): JsonLdContext {
  const entries = events.flatMap(e => effectiveContext(undefined, e['@context']).filter(c => !isGs1Context(c)))
  return effectiveContext([EPCIS_CONTEXT], entries)
}
