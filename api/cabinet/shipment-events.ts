/**
 * A carrier's movement events as the cabinet handles them: the short form a
 * person fills in (what happened, when, where, on which vehicle) read into a
 * GS1 EPCIS 2.0 ObjectEvent, which the node validates against GS1's schema
 * and signs like any captured event; and the events a consignment holds,
 * either kind (`epcis.event`, `event.shipment`), as one timeline.
 */
import type { ConsignmentEntry } from '../../node/records/record-service.js'
import { RecordTypes } from '../../record/types/names.js'
import type { MessageKey } from './i18n.js'

/** The steps the form offers, in the order of a journey, each with its CBV disposition. */
export const EVENT_STEPS = [
  { step: 'loading', disposition: 'in_progress' },
  { step: 'departing', disposition: 'in_transit' },
  { step: 'entering_exiting', disposition: 'in_transit' },
  { step: 'inspecting', disposition: 'in_progress' },
  { step: 'arriving', disposition: 'in_transit' },
  { step: 'unloading', disposition: 'in_progress' }
] as const

export type EventStep = typeof EVENT_STEPS[number]['step']

/** UTC offsets a person picks from; Kazakhstan keeps one zone, UTC+5. */
export const UTC_OFFSETS: readonly string[] = [
  ...Array.from({ length: 12 }, (_, i) => `-${String(12 - i).padStart(2, '0')}:00`),
  '+00:00', '+01:00', '+02:00', '+03:00', '+03:30', '+04:00', '+04:30', '+05:00', '+05:30', '+05:45',
  '+06:00', '+07:00', '+08:00', '+09:00', '+10:00', '+11:00', '+12:00', '+13:00', '+14:00'
]
export const DEFAULT_OFFSET = '+05:00'

/** The JSON-LD prefix of the fields keruen adds to the events it builds. */
const EXTENSIONS = 'urn:keruen:epcis:'
const GS1_CONTEXT = 'https://ref.gs1.org/standards/epcis/epcis-context.jsonld'

export interface EventForm {
  readonly step: string
  /** `YYYY-MM-DDTHH:MM`, local to `offset`. */
  readonly time: string
  readonly offset: string
  readonly locode: string
  readonly placeName: string
  readonly gln: string
  readonly vehicle: string
  readonly note: string
  readonly share: readonly string[]
}

const field = (form: Record<string, unknown>, name: string, max: number): string => {
  const value = form[name]
  return typeof value === 'string' ? value.trim().slice(0, max) : ''
}

/** The form as sent, and what is wrong with it, by field name. */
export function readEventForm (form: Record<string, unknown>): { input: EventForm, errors: Map<string, MessageKey> } {
  const shared = form.share
  const input: EventForm = {
    step: field(form, 'step', 32),
    time: field(form, 'time', 32),
    offset: field(form, 'offset', 8),
    locode: field(form, 'locode', 16).toUpperCase().replace(/\s+/g, ''),
    placeName: field(form, 'placeName', 256),
    gln: field(form, 'gln', 32),
    vehicle: field(form, 'vehicle', 64),
    note: field(form, 'note', 1000),
    share: (Array.isArray(shared) ? shared : [shared]).filter((s): s is string => typeof s === 'string' && s !== '').slice(0, 50)
  }
  const errors = new Map<string, MessageKey>()
  if (!EVENT_STEPS.some(s => s.step === input.step)) errors.set('step', 'chooseStep')
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(input.time) || Number.isNaN(Date.parse(`${input.time}:00Z`))) errors.set('time', 'badTime')
  if (!UTC_OFFSETS.includes(input.offset)) errors.set('offset', 'badTime')
  // UN/LOCODE: the country's ISO code, then three letters or the digits 2–9.
  if (!/^[A-Z]{2}[A-Z2-9]{3}$/.test(input.locode)) errors.set('locode', 'badLocode')
  if (input.gln !== '' && !/^\d{13}$/.test(input.gln)) errors.set('gln', 'badGln')
  return { input, errors }
}

/**
 * The EPCIS 2.0 ObjectEvent the form describes, linked to `consignment`.
 * The place is its GLN as a GS1 Digital Link when given, else its UN/LOCODE
 * under keruen's own URN; name, vehicle and remark are extension fields.
 */
export function epcisEventOf (input: EventForm, consignment: string): Record<string, unknown> {
  const step = EVENT_STEPS.find(s => s.step === input.step) ?? EVENT_STEPS[0]
  const place = input.gln !== '' ? `https://id.gs1.org/414/${input.gln}` : `urn:keruen:locode:${input.locode}`
  return {
    '@context': [GS1_CONTEXT, { keruen: EXTENSIONS }],
    type: 'ObjectEvent',
    eventTime: `${input.time}:00${input.offset === '+00:00' ? 'Z' : input.offset}`,
    eventTimeZoneOffset: input.offset,
    epcList: [],
    action: 'OBSERVE',
    bizStep: step.step,
    disposition: step.disposition,
    readPoint: { id: place },
    bizTransactionList: [{ bizTransaction: `urn:keruen:consignment:${consignment}` }],
    'keruen:unLocode': input.locode,
    ...(input.placeName !== '' && { 'keruen:placeName': input.placeName }),
    ...(input.vehicle !== '' && { 'keruen:vehicle': input.vehicle }),
    ...(input.note !== '' && { 'keruen:note': input.note })
  }
}

/** One movement of a consignment, as its timeline shows it. */
export interface Movement {
  readonly record: string
  readonly type: string
  readonly by: string
  readonly verified: boolean
  /** The event's time as written, with its offset. */
  readonly at: string
  /** The CBV step without its URI prefix, e.g. `departing`. */
  readonly step: string
  readonly place: string
  readonly placeCode?: string
  readonly vehicle?: string
  readonly note?: string
}

const MOVEMENT_TYPES: readonly string[] = [RecordTypes.epcisEvent, RecordTypes.eventShipment]

export const isMovement = (type: string): boolean => MOVEMENT_TYPES.includes(type)

/** CBV values may be bare or URIs; the bare name is what a label is found by. */
export function bareStep (value: unknown): string {
  const text = typeof value === 'string' ? value : ''
  return text.replace(/^.*[/:]/, '').replace(/^BizStep-/, '')
}

const textOf = (value: unknown): string | undefined => typeof value === 'string' && value !== '' ? value : undefined

/** The name an extension gives a thing, whatever the prefix: `example:name`, `keruen:placeName`. */
function nameIn (value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const key = Object.keys(value).find(k => /:(place)?name$/i.test(k))
  return key === undefined ? undefined : textOf((value as Record<string, unknown>)[key])
}

function movementOf (entry: ConsignmentEntry): Movement | undefined {
  const view = entry.current
  const data = view.data as Record<string, unknown>
  const base = { record: view.id, type: view.type, by: view.issuer, verified: view.verified }
  if (view.type === RecordTypes.epcisEvent) {
    let event: Record<string, unknown> = {}
    try {
      event = JSON.parse(String(data.event)) as Record<string, unknown>
    } catch {}
    const readPoint = event.readPoint as Record<string, unknown> | undefined
    const code = textOf(event['keruen:unLocode']) ?? textOf(data.readPoint)
    const vehicle = textOf(event['keruen:vehicle'])
    const note = textOf(event['keruen:note'])
    return {
      ...base,
      at: textOf(data.eventTime) ?? view.issuedAt,
      step: bareStep(data.bizStep),
      place: nameIn(event) ?? nameIn(readPoint) ?? code ?? '',
      ...(code !== undefined && { placeCode: code }),
      ...(vehicle !== undefined && { vehicle }),
      ...(note !== undefined && { note })
    }
  }
  if (view.type === RecordTypes.eventShipment) {
    const readPoint = (data.readPoint ?? {}) as Record<string, unknown>
    const code = textOf(readPoint.unLocode) ?? textOf(readPoint.id)
    const vehicle = textOf((data.vehicle as Record<string, unknown> | undefined)?.registration)
    const note = textOf(data.description)
    return {
      ...base,
      at: textOf(data.eventTime) ?? view.issuedAt,
      step: bareStep(data.bizStep),
      place: textOf(readPoint.name) ?? code ?? '',
      ...(code !== undefined && { placeCode: code }),
      ...(vehicle !== undefined && { vehicle }),
      ...(note !== undefined && { note })
    }
  }
  return undefined
}

/** The consignment's movement events, in the order they happened. */
export function movementsOf (entries: readonly ConsignmentEntry[]): Movement[] {
  return entries
    .flatMap(e => movementOf(e) ?? [])
    .sort((a, b) => (Date.parse(a.at) || 0) - (Date.parse(b.at) || 0))
}
