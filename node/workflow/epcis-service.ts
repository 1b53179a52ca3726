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
import type { ValidateFunction } from 'ajv/dist/2020.js'
import { CONSIGNMENT_PATTERN, EPCIS_DOCUMENT_SCHEMA, EPCIS_EVENT_SCHEMAS, EPCIS_EVENT_TYPES, epcsOf, MAX_EVENT_JSON, type EpcisEventType } from '../../record/index.js'
import { compileSchema, violationsOf } from '../../record/types/validator.js'
import { RecordTypes } from '../../record/types/names.js'
import { recordInput } from '../../record/types/data.js'
import { epcisEvent } from '../../record/types/epcis-event.js'
import type { RecordStore } from '../../storage/index.js'
import { ServiceError, type Violation } from '../errors.js'
import { listen, type NodeEvents } from '../events.js'
import type { RecordService } from '../records/record-service.js'
import { verifiedRecord } from '../records/verified-record.js'

export const EPCIS_EVENT = RecordTypes.epcisEvent
export const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/epcis-context.jsonld'
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

const validateDocument = compileSchema(EPCIS_DOCUMENT_SCHEMA)
const validators = Object.fromEntries(EPCIS_EVENT_TYPES.map(t => [t, compileSchema(EPCIS_EVENT_SCHEMAS[t])])) as Record<EpcisEventType, ValidateFunction>

/** The schema's faults, an unknown field with the hint EPCIS needs. */
function violations (validate: ValidateFunction, prefix: string): Violation[] {
  return violationsOf(validate.errors, prefix).map(v =>
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

  /** Validates a document or a single event; throws with every failing path, nothing stored. */
  parse (body: unknown): Array<{ event: Event, path: string }> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ServiceError('schema-violation', 'an EPCISDocument or a single EPCIS event is expected', [{ path: '', message: 'must be an object' }])
    const type = (body as Event).type
    let events: Array<{ event: Event, path: string }>
    if (type === 'EPCISDocument') {
      if (!validateDocument(body)) throw new ServiceError('schema-violation', 'the EPCISDocument does not match EPCIS 2.0', violations(validateDocument, ''))
      events = ((body as { epcisBody: { eventList: Event[] } }).epcisBody.eventList).map((event, i) => ({ event, path: `/epcisBody/eventList/${i}` }))
    } else {
      events = [{ event: body as Event, path: '' }]
    }
    const problems: Violation[] = []
    for (const { event, path } of events) {
      const validate = validators[event.type as EpcisEventType]
      if (validate === undefined) {
        problems.push({ path: `${path}/type`, message: `must be one of ${EPCIS_EVENT_TYPES.join(', ')}` })
        continue
      }
      if (!validate(event)) problems.push(...violations(validate, path))
      if (JSON.stringify(event).length > MAX_EVENT_JSON) problems.push({ path, message: `event is larger than ${MAX_EVENT_JSON} bytes of JSON` })
    }
    if (problems.length > 0) throw new ServiceError('schema-violation', `${problems.length} problem(s) with the EPCIS events`, problems)
    return events
  }

  /** Validates, links and stores every event as a signed record; shares each with `share`. */
  async capture (body: unknown, options: { consignment?: string, share?: readonly string[] } = {}): Promise<Array<{ eventID?: string, record: string, consignment: string }>> {
    const events = this.parse(body)
    const linked = events.map(({ event, path }) => {
      const consignment = linkOf(event) ?? options.consignment
      if (consignment === undefined || !CONSIGNMENT_PATTERN.test(consignment)) {
        throw new ServiceError('invalid-request', 'an event is linked to no consignment', [{
          path: `${path}/bizTransactionList`,
          message: `add a bizTransaction "${CONSIGNMENT_BT}<reference>", or pass ?consignment=`
        }])
      }
      return { event, consignment }
    })
    const out: Array<{ eventID?: string, record: string, consignment: string }> = []
    for (const { event, consignment } of linked) {
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
          ...(typeof event.eventID === 'string' && { eventID: event.eventID }),
          ...(typeof event.bizStep === 'string' && { bizStep: event.bizStep }),
          ...(typeof event.disposition === 'string' && { disposition: event.disposition }),
          ...(readPoint !== undefined && { readPoint }),
          ...(bizLocation !== undefined && { bizLocation }),
          event: JSON.stringify(event)
        }),
        consignment,
        ...(options.share !== undefined && { share: options.share })
      })
      out.push({ ...(typeof event.eventID === 'string' && { eventID: event.eventID }), record: record.id, consignment })
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
        const record = verifiedRecord(bytes)
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
        '@context': [EPCIS_CONTEXT],
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
