/**
 * What a node does with records: create and sign its own, import others'
 * after verifying them, and read them back by id, by query and by consignment.
 */
import { randomBytes } from 'node:crypto'
import {
  CanonicalError, CONSIGNMENT_PATTERN, createRecord, isRecordId, JsonWriter, mergeDisclosures, normaliseInstant, parseHead, parseRecord,
  RecordError, recordFromJson, timestamp, verifyRecord,
  type DataObject, type RecordDraft, type RecordHead, type Signer, type SignedRecord
} from '../../record/index.js'
import type { TypeRegistry } from '../../record/types/registry.js'
import { CursorError, type Database, type IdempotencyStore, type RecordPage, type RecordQuery, type RecordStore, type Share, type WriteOp } from '../../storage/index.js'
import type { NodeEvents } from '../events.js'
import { ServiceError } from '../errors.js'
import { fingerprintOf } from './fingerprint.js'
import { KeyedLock } from '../runtime/keyed-lock.js'
import { receivedRefusal, schemaRefusal } from './record-check.js'
import type { RecordIndexes } from './record-indexes.js'
import type { RecordGuards } from './record-guards.js'
import type { RecordCompletions } from './record-completions.js'
import { foldChains, type Chain } from './supersede-chains.js'
import { viewOf, viewOfBytes, viewOfStored, type ReadOptions, type RecordView, writeStoredView } from './record-view.js'

export interface CreateRecordInput {
  readonly type: string
  readonly consignment?: string
  readonly data: DataObject
  readonly validUntil?: string
  readonly supersedes?: string
  /** Participants to deliver the record to (not part of the record itself). */
  readonly share?: readonly string[]
  /** Shares of other records to queue in the same batch (an application's); never from the API. */
  readonly alsoShare?: readonly Share[]
}

export interface RecordResult {
  readonly record: SignedRecord
  /** False when an earlier identical request (same idempotency key) or an earlier import already stored it. */
  readonly created: boolean
}

/** What became of one record of a batch import. */
export type ImportOutcome = RecordResult | { readonly refused: ServiceError }

/** A record of a consignment that no other replaces, with the versions it replaced, newest first. */
export type ConsignmentEntry = Chain<RecordView>

/** What the record service needs of the node. */
export interface RecordServiceComponents {
  readonly db: Database
  readonly recordStore: RecordStore
  readonly idempotencyStore: IdempotencyStore
  readonly types: TypeRegistry
  /** What other components write in each new record's batch. */
  readonly indexes: RecordIndexes
  /** What a record must pass before it is signed (who may issue it). */
  readonly guards: RecordGuards
  /** What the node works out and adds to a record before signing it (a declaration's payments). */
  readonly completions?: RecordCompletions
  /** Told of every record new on disk ('record:stored'). */
  readonly events: NodeEvents
  readonly signer: Signer
  /** Builds and signs a draft as `signer` (a worker pool); on this thread when absent. */
  readonly signing?: { sign: (draft: RecordDraft) => Promise<SignedRecord> }
  readonly clock: () => number
  /** Where new consignment references come from. */
  readonly profile: { readonly country?: string, readonly legalId?: string }
}

/** At most this many records are read for one consignment view. */
export const MAX_CONSIGNMENT_RECORDS = 10_000

export function recordService () {
  return (components: RecordServiceComponents): RecordService => new RecordService(components)
}

export class RecordService {
  private readonly locks = new KeyedLock()
  private readonly db: Database
  private readonly store: RecordStore
  private readonly idempotency: IdempotencyStore
  private readonly types: TypeRegistry

  constructor (private readonly components: RecordServiceComponents) {
    this.db = components.db
    this.store = components.recordStore
    this.idempotency = components.idempotencyStore
    this.types = components.types
  }

  /** The participant this service signs as. */
  get participant (): string {
    return this.components.signer.participant
  }

  now (): string {
    return timestamp(this.components.clock())
  }

  /**
   * Validates, signs and stores a new record of this node. With an idempotency
   * key, a repeat of the same request returns the first record; the same key with
   * another request is refused.
   */
  async create (input: CreateRecordInput, idempotencyKey?: string): Promise<RecordResult> {
    const fingerprint = idempotencyKey === undefined ? '' : fingerprintOf(input)
    const keys = [
      ...(idempotencyKey !== undefined ? [`idem:${idempotencyKey}`] : []),
      ...(input.supersedes !== undefined ? [`supersede:${input.supersedes}`] : []),
      ...this.components.completions?.locks(input) ?? []
    ]
    return await this.locks.run(keys, async () => {
      if (idempotencyKey !== undefined) {
        const earlier = await this.idempotency.get(idempotencyKey)
        if (earlier !== undefined) {
          if (earlier.fingerprint !== fingerprint) {
            throw new ServiceError('idempotency-conflict', `Idempotency-Key ${JSON.stringify(idempotencyKey)} was already used with a different request`)
          }
          const bytes = await this.store.get(earlier.recordId)
          if (bytes === undefined) throw new Error(`idempotency key ${idempotencyKey} names missing record ${earlier.recordId}`)
          return { record: parseRecord(bytes), created: false }
        }
      }
      const draft = await this.draftOf(input)
      // From here the record's commit is certain to come soon: the group
      // commit may wait for it (Database.expectCommit).
      const expected = this.db.expectCommit()
      try {
        const record = await this.sign(draft)
        const extra = idempotencyKey === undefined
          ? []
          : this.idempotency.putOps(idempotencyKey, { fingerprint, recordId: record.id, at: record.envelope.issuedAt })
        const stored = this.store.put(record, [...extra, ...this.indexOps(record, input)])
        expected.end()
        await stored
        this.components.events.emit('record:stored', record)
        return { record, created: true }
      } finally {
        expected.end()
      }
    })
  }

  /** The draft to sign for `given`, validated and completed; throws ServiceError for what cannot be signed. */
  private async draftOf (given: CreateRecordInput): Promise<RecordDraft> {
    const definition = this.types.get(given.type)
    if (definition === undefined) {
      throw new ServiceError('unregistered-type', `record type ${JSON.stringify(given.type)} is not registered`, [{ path: '/type', message: 'is not a registered record type' }])
    }
    await this.components.guards.check(given)
    this.validate(given)
    const input = await this.components.completions?.complete(given) ?? given
    if (input !== given) this.validate(input)
    const issuedAt = this.now()
    let consignment = input.consignment
    if (consignment !== undefined && !CONSIGNMENT_PATTERN.test(consignment)) {
      throw new ServiceError('invalid-request', 'consignment is not a consignment reference', [{ path: '/consignment', message: 'must be a WCO-style UCR: year digit, ISO country, then up to 32 of A-Z 0-9 . / -' }])
    }
    let validUntil: string | undefined
    if (input.validUntil !== undefined) {
      validUntil = normaliseInstant(input.validUntil)
      if (validUntil === undefined) throw new ServiceError('invalid-request', 'validUntil is not a date or an RFC 3339 date-time', [{ path: '/validUntil', message: 'must be a date (YYYY-MM-DD) or an RFC 3339 date-time' }])
      if (validUntil <= issuedAt) throw new ServiceError('invalid-request', 'validUntil has already passed', [{ path: '/validUntil', message: 'must be in the future' }])
    }
    if (input.supersedes !== undefined) {
      consignment = await this.checkSupersedes(input, consignment)
    }
    if (consignment === undefined && definition.consignmentRequired) consignment = this.newConsignmentRef(issuedAt)
    return {
      type: input.type,
      issuedAt,
      data: input.data,
      ...(consignment !== undefined && { consignment }),
      ...(validUntil !== undefined && { validUntil }),
      ...(input.supersedes !== undefined && { supersedes: input.supersedes })
    }
  }

  /** Builds and signs `draft` as this node; throws ServiceError if the format refuses it. */
  private async sign (draft: RecordDraft): Promise<SignedRecord> {
    const signing = this.components.signing
    try {
      return signing !== undefined ? await signing.sign(draft) : createRecord(this.components.signer, draft)
    } catch (err) {
      if (err instanceof RecordError) throw recordRefusal(err)
      throw err
    }
  }

  private validate (input: CreateRecordInput): void {
    const violations = this.types.validate(input.type, input.data)
    if (violations.length > 0) {
      throw new ServiceError('schema-violation', `data does not match the ${input.type} schema`, violations.map(v => ({ ...v, path: `/data${v.path}` })))
    }
  }

  /** A new version may only replace this node's own current record of the same type and consignment. */
  private async checkSupersedes (input: CreateRecordInput, consignment: string | undefined): Promise<string | undefined> {
    const id = input.supersedes as string
    if (!isRecordId(id)) throw new ServiceError('invalid-request', 'supersedes is not a record id', [{ path: '/supersedes', message: 'must be a record id' }])
    const bytes = await this.store.get(id)
    if (bytes === undefined) throw new ServiceError('supersedes-unknown', `supersedes names record ${id}, which this node does not hold`)
    const old = parseRecord(bytes).envelope
    if (old.issuer !== this.participant) throw new ServiceError('supersedes-mismatch', `record ${id} was issued by ${old.issuer}; only its issuer can supersede it`)
    if (old.type !== input.type) throw new ServiceError('supersedes-mismatch', `record ${id} is a ${old.type}, not a ${input.type}`)
    if (consignment !== undefined && old.consignment !== consignment) {
      throw new ServiceError('supersedes-mismatch', `record ${id} belongs to consignment ${old.consignment ?? '(none)'}, not ${consignment}`)
    }
    const successor = await this.store.supersessorOf(id)
    if (successor !== undefined) throw new ServiceError('already-superseded', `record ${id} is already superseded by ${successor}; supersede that one instead`)
    return old.consignment
  }

  /** A WCO-style UCR: year digit, country, the issuer's identifier, a random reference. */
  private newConsignmentRef (issuedAt: string): string {
    const country = this.components.profile.country ?? 'ZZ'
    const owner = (this.components.profile.legalId ?? this.participant.slice(-12)).toUpperCase().replace(/[^0-9A-Z]/g, '').slice(0, 20) || 'X'
    const reference = randomBytes(5).toString('hex').toUpperCase()
    return `${issuedAt.slice(3, 4)}${country}${owner}-${reference}`
  }

  /** Verifies and stores a record signed by anyone (itself included). */
  async import (input: Uint8Array | unknown): Promise<RecordResult> {
    let record: SignedRecord
    try {
      record = input instanceof Uint8Array ? parseRecord(input) : recordFromJson(input)
      verifyRecord(record)
    } catch (err) {
      if (err instanceof RecordError) throw new ServiceError(err.code === 'too-large' ? 'too-large' : 'verification-failed', `record refused (${err.code}): ${err.message}`, [], { cause: err })
      throw err
    }
    return await this.importVerified(record)
  }

  /** Why a received record's wire form is refused (see receivedRefusal), or null. */
  receivedRefusal (bytes: Uint8Array): string | null {
    return receivedRefusal(this.types, bytes)
  }

  /**
   * Stores records the caller has already parsed and verified — the records of
   * one delivery — in one batch. Each gets its own outcome: stored, merged into
   * the copy held, or refused. Copies of one record in the list merge in order.
   * `schemasChecked`: the caller has checked types and schemas already
   * (receivedRefusal), so the data need not be rebuilt here.
   */
  async importVerifiedMany (records: readonly SignedRecord[], schemasChecked = false): Promise<ImportOutcome[]> {
    const outcomes: ImportOutcome[] = new Array(records.length)
    const accepted: number[] = []
    records.forEach((record, i) => {
      const refusal = schemasChecked ? undefined : schemaRefusal(this.types, record)
      if (refusal !== undefined) outcomes[i] = { refused: refusal }
      else accepted.push(i)
    })
    const ids = [...new Set(accepted.map(i => (records[i] as SignedRecord).id))]
    if (ids.length === 0) return outcomes
    return await this.locks.run(ids.map(id => `record:${id}`), async () => {
      const held = new Map<string, { record: SignedRecord, isNew: boolean, changed: boolean }>()
      const stored = await this.store.getMany(ids)
      ids.forEach((id, k) => {
        const bytes = stored[k]
        if (bytes !== undefined) held.set(id, { record: parseRecord(bytes), isNew: false, changed: false })
      })
      for (const i of accepted) {
        const record = records[i] as SignedRecord
        const current = held.get(record.id)
        if (current === undefined) {
          held.set(record.id, { record, isNew: true, changed: true })
          outcomes[i] = { record, created: true }
          continue
        }
        // Another copy of a record held in part: keep every field either discloses.
        const merged = mergeDisclosures(current.record, record)
        if (merged !== current.record) {
          current.record = merged
          current.changed = true
        }
        outcomes[i] = { record: merged, created: false }
      }
      const ops: WriteOp[] = []
      for (const { record, isNew, changed } of held.values()) {
        if (isNew) ops.push(...this.store.putOps(record), ...this.indexOps(record))
        else if (changed) ops.push(...this.store.replaceOps(record), ...this.indexOps(record, undefined, true))
      }
      await this.db.commit(ops)
      for (const { record, isNew } of held.values()) if (isNew) this.components.events.emit('record:stored', record)
      return outcomes
    })
  }

  /** Stores a record the caller has already parsed and verified (see import). */
  async importVerified (record: SignedRecord): Promise<RecordResult> {
    const [outcome] = await this.importVerifiedMany([record]) as [ImportOutcome]
    if ('refused' in outcome) throw outcome.refused
    return outcome
  }

  /** `replaced`: a record already held gains fields (another copy arrived); nothing new happened. */
  private indexOps (record: SignedRecord, input?: CreateRecordInput, replaced = false): WriteOp[] {
    return this.components.indexes.opsFor(record, input, replaced)
  }

  /** The view of a record this node has just created. */
  viewOfCreated (result: RecordResult): RecordView {
    return viewOf(result.record, this.now(), result.created)
  }

  /** A stored record's view; `verify` checks its signature and digests again (they were checked when it was stored). */
  async get (id: string, options: ReadOptions = {}): Promise<RecordView | undefined> {
    if (!isRecordId(id)) return undefined
    const bytes = await this.store.get(id)
    if (bytes === undefined) return undefined
    return viewOfBytes(id, bytes, this.now(), options) as RecordView
  }

  async getBytes (id: string): Promise<Uint8Array | undefined> {
    return isRecordId(id) ? await this.store.get(id) : undefined
  }

  async list (query: RecordQuery, options: ReadOptions = {}): Promise<{ records: RecordView[], next?: string }> {
    const page = await this.storedPage(query)
    const now = this.now()
    return { records: page.records.map(bytes => viewOfStored(bytes, now, options)), ...(page.next !== undefined && { next: page.next }) }
  }

  /**
   * The page `list` gives, as its JSON text in UTF-8, written straight from
   * the stored bytes (see writeStoredView): a reader of many records, an ERP
   * through the API, leaves no objects behind for each.
   */
  async listJson (query: RecordQuery, options: ReadOptions = {}): Promise<Uint8Array> {
    const page = await this.storedPage(query)
    const now = this.now()
    const out = writerFor(page.records)
    out.raw('{"records":[')
    page.records.forEach((bytes, i) => {
      if (i > 0) out.raw(',')
      writeStoredView(out, bytes, now, options)
    })
    out.raw(']')
    if (page.next !== undefined) out.raw(',"next":').string(page.next)
    return out.raw('}').written()
  }

  private async storedPage (query: RecordQuery): Promise<RecordPage> {
    try {
      return await this.store.list(query)
    } catch (err) {
      if (err instanceof CursorError) throw new ServiceError('invalid-cursor', err.message, [{ path: '/cursor', message: err.message }])
      throw err
    }
  }

  /** The record that replaces `id`, if one does. */
  async supersessorOf (id: string): Promise<string | undefined> {
    return isRecordId(id) ? await this.store.supersessorOf(id) : undefined
  }

  /** The consignments this node holds records of, by reference (at most `max`). */
  async consignments (max = 500): Promise<string[]> {
    return await this.store.consignmentRefs(max)
  }

  /**
   * Every record of a consignment in time order, each supersede chain folded
   * into its current version with the earlier ones as history.
   */
  async consignment (ref: string, options: ReadOptions = {}): Promise<ConsignmentEntry[]> {
    return chainsOfViews(await this.store.consignment(ref, MAX_CONSIGNMENT_RECORDS), this.now(), options)
  }

  /**
   * `{ consignment, records }` of `consignment`, each entry the current
   * version's view with its `history`, as JSON text in UTF-8 written straight
   * from the stored bytes (see listJson); undefined when the node holds no
   * record of it.
   */
  async consignmentJson (ref: string, options: ReadOptions = {}): Promise<Uint8Array | undefined> {
    const stored = await this.store.consignment(ref, MAX_CONSIGNMENT_RECORDS)
    if (stored.length === 0) return undefined
    const now = this.now()
    let heads: Array<{ bytes: Uint8Array, head: RecordHead }>
    try {
      heads = stored.map(bytes => ({ bytes, head: parseHead(bytes) }))
    } catch (err) {
      if (!(err instanceof RecordError)) throw err
      // Bytes that no longer parse: the views say how (or throw, as consignment() does).
      const entries = chainsOfViews(stored, now, options)
      return new TextEncoder().encode(JSON.stringify({ consignment: ref, records: entries.map(e => ({ ...e.current, history: e.history })) }))
    }
    const out = writerFor(stored)
    out.raw('{"consignment":').string(ref).raw(',"records":[')
    foldChains(heads, h => h.head.id, h => h.head.envelope.supersedes).forEach(({ current, history }, i) => {
      if (i > 0) out.raw(',')
      writeStoredView(out, current.bytes, now, options, current.head)
      // The view is an object: its history goes before its closing brace.
      out.truncate(out.length - 1).raw(',"history":[')
      history.forEach((earlier, j) => {
        if (j > 0) out.raw(',')
        writeStoredView(out, earlier.bytes, now, options, earlier.head)
      })
      out.raw(']}')
    })
    return out.raw(']}').written()
  }
}

/** A consignment's stored records as views, folded by their supersede chains. */
function chainsOfViews (stored: readonly Uint8Array[], now: string, options: ReadOptions): ConsignmentEntry[] {
  return foldChains(stored.map(bytes => viewOfStored(bytes, now, options)), v => v.id, v => v.supersedes)
}

/** A writer with room for the JSON of these records: some 1.8 times their wire form. */
function writerFor (stored: readonly Uint8Array[]): JsonWriter {
  return new JsonWriter(stored.reduce((sum, bytes) => sum + 2 * bytes.length, 64))
}

function recordRefusal (err: RecordError): ServiceError {
  if (err.code === 'too-large') return new ServiceError('too-large', err.message, [], { cause: err })
  if (err.code === 'non-canonical') {
    const at = err.location
    const reason = err.cause instanceof CanonicalError ? err.cause.reason : err.message
    return new ServiceError('non-canonical', err.message, at?.part === 'data' ? [{ path: `/data${at.path}`, message: reason }] : [], { cause: err })
  }
  return new ServiceError('invalid-request', err.message, [], { cause: err })
}
