/**
 * Asking the holder: authorised queries between nodes. A participant signs a
 * query (a record, an consignment, records of a type in a time range, records
 * naming goods) with its purpose and sends it to the holder; the holder
 * answers with its own records as its pull grants let the asker see them —
 * the same partial records a push under those grants would carry — or with a
 * signed answer that there is nothing the asker may see, which says nothing
 * of whether anything exists. The asker checks every signature, may keep
 * what it got (as if delivered: the inbox's checks apply), and acknowledges
 * it with a signed receipt that the holder's reuse ledger counts, with the
 * purpose. Both sides keep the query and the answer as evidence.
 */
import { peerIdFromString } from '@libp2p/peer-id'
import type { Connection } from '@libp2p/interface'
import { createRecord, dataOf, parseRecord, RecordError, verifyRecord, type DataObject, type SignedRecord, type Signer } from '../../record/index.js'
import { goodsOf } from '../../record/reference/coded-fields.js'
import { recordInput, RecordTypes, type QueryAnswerData, type QueryRequestData } from '../../record/types/index.js'
import { deliveryReceipt, type DeliveryReceiptData } from '../../record/types/delivery-receipt.js'
import { MAX_ANSWER_RECORDS, queryAnswer, queryRequest } from '../../record/types/query.js'
import type { TypeRegistry } from '../../record/types/registry.js'
import { PeerLimits } from '../../protocols/peer-limits.js'
import { MAX_ANSWER_BYTES, sendQuery, sendQueryReceipt, serveQueries, unserveQueries } from '../../protocols/query.js'
import { FrameError } from '../../protocols/stream-io.js'
import type { GoodsStore, RecordStore } from '../../storage/index.js'
import type { DeliveryService } from '../delivery/delivery-service.js'
import type { DeliveryNetwork } from '../delivery/outbox.js'
import { openConnection } from '../network/open-connection.js'
import { checkReceipt, entryData, fieldsOf } from '../delivery/receipts.js'
import { ServiceError } from '../errors.js'
import type { Disclosure } from '../policy/disclosure.js'
import type { RecordService } from '../records/record-service.js'
import { viewOf, type RecordView } from '../records/record-view.js'
import type { Logger } from '../runtime/log.js'
import type { NodeConfig } from '../setup/config.js'
import type { TrustService } from '../trust/trust-service.js'

/** How far a query's signing time may be from the holder's clock: older ones could be replays. */
export const QUERY_FRESH_MS = 5 * 60_000
/** What an answer spends besides its records: the answer record and the frame. */
const ANSWER_FRAME_BYTES = 1024 * 1024
/** How long the holder waits for the receipt of an answer. */
const RECEIPT_WAIT_MS = 10 * 60_000
/** Copies one asker may owe receipts for at once: a few full answers. */
const MAX_OWED = 5 * MAX_ANSWER_RECORDS

export type QuerySelection = QueryRequestData['select']

export interface QueryResult {
  readonly holder: string
  readonly query: string
  readonly answer: { readonly id: string, readonly issuedAt: string, readonly outcome: 'records' | 'nothing', readonly truncated: boolean, readonly reason?: string }
  readonly records: RecordView[]
  /** Ids of the records kept here (`store`), and why any was not. */
  readonly stored?: { readonly kept: string[], readonly refused: ReadonlyArray<{ readonly record: string, readonly reason: string }> }
  /** Whether the holder took this node's receipt. */
  readonly receipt?: { readonly id: string, readonly kept: boolean, readonly reason?: string }
}

export interface QueryServiceComponents {
  readonly recordStore: RecordStore
  readonly goodsStore: GoodsStore
  readonly types: TypeRegistry
  readonly records: Pick<RecordService, 'participant' | 'now' | 'consignment' | 'importVerifiedMany'>
  /** Queries, answers and receipts are signed here and stored together, in one write per side. */
  readonly signer: Signer
  readonly disclosure: Pick<Disclosure, 'pulledBy'>
  readonly trust: Pick<TrustService, 'status'>
  readonly delivery: Pick<DeliveryService, 'accept' | 'keepReceipt'>
  readonly config: Pick<NodeConfig, 'queryLimits'>
  readonly clock: () => number
  readonly logger: Logger
  readonly network?: DeliveryNetwork
}

export interface QueryOptions {
  /** How long to wait for the holder (default 20 s). */
  readonly timeoutMs?: number
}

export function queryService (options: QueryOptions = {}) {
  return (components: QueryServiceComponents): QueryService => new QueryService(components, options)
}

export class QueryService {
  /** Queries answered lately, by id: one is answered once. */
  private readonly answered = new Map<string, number>()
  /** What each asker was given and has not acknowledged yet: `record|fields|purpose` → until when a receipt is taken. */
  private readonly owed = new Map<string, Map<string, number>>()
  private serving = false
  private readonly timeoutMs: number

  constructor (private readonly components: QueryServiceComponents, options: QueryOptions) {
    this.timeoutMs = options.timeoutMs ?? 20_000
  }

  async start (): Promise<void> {
    const network = this.components.network
    if (network === undefined) return
    const limits = this.components.config.queryLimits
    await serveQueries(network.host, {
      limits: { queries: new PeerLimits(limits, this.components.clock), receipts: new PeerLimits(limits, this.components.clock) },
      answer: async (peer, bytes) => await this.answer(peer, bytes),
      keep: async (peer, bytes) => await this.keep(peer, bytes),
      onRefusedRequest: (peer, reason) => { this.components.logger.warn({ peer, reason }, 'query refused') },
      onSlowedDown: (peer, reason) => { this.components.logger.info({ peer, reason }, 'query: peer told to slow down') },
      timeoutMs: this.timeoutMs
    })
    this.serving = true
  }

  async stop (): Promise<void> {
    if (this.serving && this.components.network !== undefined) await unserveQueries(this.components.network.host)
    this.serving = false
  }

  /** Signs a record of this node without storing it: it is stored with the others of its exchange, in one write. */
  private sign (type: string, data: object): SignedRecord {
    const violations = this.components.types.validate(type, data)
    if (violations.length > 0) throw new ServiceError('invalid-request', `the ${type} breaks its schema`, violations)
    return createRecord(this.components.signer, { type, issuedAt: this.components.records.now(), data: data as DataObject })
  }

  // ---------------------------------------------------------------- holder

  /** The holder's answer to one query from `peer`: the records its pull grants allow, or a signed nothing. Malformed bytes throw. */
  async answer (peer: string, bytes: Uint8Array): Promise<{ answer: Uint8Array, records: Uint8Array[] }> {
    let query: SignedRecord
    try {
      query = parseRecord(bytes)
      verifyRecord(query)
    } catch (err) {
      if (err instanceof RecordError) throw new FrameError(`query does not verify: ${err.message}`, { cause: err })
      throw err
    }
    if (query.envelope.type !== RecordTypes.queryRequest) throw new FrameError(`a query is a ${RecordTypes.queryRequest}, not a ${query.envelope.type}`)
    if (query.envelope.issuer !== peer) throw new FrameError('a query is signed by the peer that sends it')
    // Read once: the checks, the selection and the receipt owed all look at it.
    const data = dataOf(query)
    const reason = this.invalidity(query, data)
    const given = reason === undefined ? await this.select(peer, data as unknown as QueryRequestData) : { records: [], truncated: false }
    const fields = given.records.map(r => fieldsOf(r))
    const answer = this.sign(RecordTypes.queryAnswer, recordInput(queryAnswer, {
      query: query.id,
      requester: peer,
      outcome: given.records.length > 0 ? 'records' : 'nothing',
      records: given.records.map((r, i) => ({ record: r.id, fields: fields[i] as string[] })),
      truncated: given.truncated,
      ...(reason !== undefined && { reason })
    }).data)
    // The query, when it is one this node answers, and the answer: kept as evidence, in one write.
    const kept = await this.components.records.importVerifiedMany(reason === undefined ? [query, answer] : [answer])
    const refused = kept.find(k => 'refused' in k)
    if (refused !== undefined && 'refused' in refused) throw new FrameError(`the query or its answer is not kept: ${refused.refused.message}`)
    if (given.records.length > 0) {
      const owed = this.owed.get(peer) ?? new Map<string, number>()
      const now = this.components.clock()
      // An asker that never acknowledges holds no more than the last 10 minutes' answers, and at most MAX_OWED of them.
      for (const [key, until] of owed) if (until < now || owed.size >= MAX_OWED) owed.delete(key)
      const purpose = typeof data.purpose === 'string' ? data.purpose : undefined
      given.records.forEach((r, i) => owed.set(owedKey(r.id, fields[i] as string[], purpose), now + RECEIPT_WAIT_MS))
      this.owed.set(peer, owed)
    }
    return { answer: answer.bytes, records: given.records.map(r => r.bytes) }
  }

  /** Why a query gets nothing whatever the grants say: not for this node, not fresh, answered before, or not a valid query. */
  private invalidity (query: SignedRecord, data: DataObject): string | undefined {
    const now = this.components.clock()
    for (const [id, until] of this.answered) if (until < now) this.answered.delete(id)
    if (data.holder !== this.components.records.participant) return 'the query is for another holder'
    const at = Date.parse(query.envelope.issuedAt)
    if (!Number.isFinite(at) || Math.abs(now - at) > QUERY_FRESH_MS) return `the query was signed at ${query.envelope.issuedAt}, more than ${QUERY_FRESH_MS / 60_000} minutes from this node's clock`
    if (this.answered.has(query.id)) return 'the query was answered before'
    this.answered.set(query.id, now + 2 * QUERY_FRESH_MS)
    const violations = this.components.types.validate(RecordTypes.queryRequest, data)
    if (violations.length > 0) return `the query breaks its schema: ${violations.map(v => `${v.path} ${v.message}`).join('; ').slice(0, 400)}`
    return undefined
  }

  /** The holder's own records the query selects, as the asker may see them, within the answer's limits. */
  private async select (peer: string, data: QueryRequestData): Promise<{ records: SignedRecord[], truncated: boolean }> {
    // Nothing for a participant without a valid certificate here: no grant can name it.
    if ((await this.components.trust.status(peer)).status !== 'valid') return { records: [], truncated: false }
    const limit = Math.min(data.limit ?? MAX_ANSWER_RECORDS, MAX_ANSWER_RECORDS)
    const candidates = await this.candidates(data.select)
    const out: SignedRecord[] = []
    let bytes = ANSWER_FRAME_BYTES
    let truncated = false
    for (const record of candidates) {
      if (!this.selected(record, data.select)) continue
      const partial = this.components.disclosure.pulledBy(record, peer)
      if (partial === undefined) continue
      if (out.length >= limit || bytes + partial.bytes.length + 16 > MAX_ANSWER_BYTES) {
        truncated = true
        break
      }
      out.push(partial)
      bytes += partial.bytes.length + 16
    }
    return { records: out, truncated }
  }

  /** The holder's current records a selection may take, oldest first: from its most selective part. */
  private async candidates (select: QuerySelection): Promise<SignedRecord[]> {
    const self = this.components.records.participant
    const read = async (ids: readonly string[]): Promise<SignedRecord[]> =>
      (await this.components.recordStore.getMany(ids)).flatMap(b => b === undefined ? [] : [parseRecord(b)])
    let records: SignedRecord[]
    if (select.record !== undefined) {
      records = await read([select.record])
    } else if (select.consignment !== undefined) {
      records = await read((await this.components.records.consignment(select.consignment)).map(e => e.current.id))
    } else if (select.hsCode !== undefined) {
      records = await read([...new Set((await this.components.goodsStore.withGoods(select.hsCode, 5000)).map(g => g.record))])
    } else {
      const page = await this.components.recordStore.list({
        issuer: self,
        ...(select.type !== undefined && { type: select.type }),
        ...(select.since !== undefined && { since: select.since }),
        limit: MAX_ANSWER_RECORDS + 1
      })
      records = page.records.map(b => parseRecord(b))
    }
    return records.filter(r => r.envelope.issuer === self).sort((a, b) => a.envelope.issuedAt < b.envelope.issuedAt ? -1 : a.envelope.issuedAt > b.envelope.issuedAt ? 1 : 0)
  }

  /** Whether a record meets every part of a selection. */
  private selected (record: SignedRecord, select: QuerySelection): boolean {
    const { id, envelope } = record
    if (select.record !== undefined && id !== select.record) return false
    if (select.consignment !== undefined && envelope.consignment !== select.consignment) return false
    if (select.type !== undefined && envelope.type !== select.type) return false
    if (select.since !== undefined && envelope.issuedAt < select.since) return false
    if (select.until !== undefined && envelope.issuedAt >= select.until) return false
    if (select.hsCode !== undefined) {
      const schema = this.components.types.get(envelope.type)?.schema
      const prefix = select.hsCode
      if (schema === undefined || !goodsOf(schema as Record<string, unknown>, dataOf(record)).some(g => g.hsCode.startsWith(prefix))) return false
    }
    return true
  }

  /** Keeps a receipt `peer` signed for what this node answered it; why not, when it lists anything else. */
  async keep (peer: string, bytes: Uint8Array): Promise<string | undefined> {
    const checked = checkReceipt(bytes, peer, this.components.records.participant)
    if (typeof checked === 'string') return checked
    const owed = this.owed.get(peer)
    const now = this.components.clock()
    const keys = checked.data.records.map(e => owedKey(e.record, e.fields, e.purpose))
    const stray = keys.findIndex(k => (owed?.get(k) ?? 0) < now)
    if (stray >= 0) return `the receipt lists ${checked.data.records[stray]?.record ?? ''}, which this node did not answer ${peer} (or not lately)`
    await this.components.delivery.keepReceipt(checked.record)
    for (const k of keys) owed?.delete(k)
    if (owed?.size === 0) this.owed.delete(peer)
    return undefined
  }

  // ---------------------------------------------------------------- asker

  /**
   * Asks `holder` for what `select` names, for `purpose`: the records
   * verified, kept here when `store`, acknowledged with a signed receipt.
   */
  async ask (holder: string, select: QuerySelection, options: { purpose: string, limit?: number, store?: boolean }): Promise<QueryResult> {
    const network = this.components.network
    if (network === undefined) throw new ServiceError('not-on-network', 'this node was started without the network: it asks no one')
    if (holder === this.components.records.participant) throw new ServiceError('invalid-request', 'a node does not query itself', [{ path: '/holder', message: 'is this node' }])
    const query = this.sign(RecordTypes.queryRequest, recordInput(queryRequest, {
      holder,
      select: { ...select },
      purpose: options.purpose,
      ...(options.limit !== undefined && { limit: options.limit })
    }).data)
    const connection = await this.connectionTo(network, holder)
    let reply
    try {
      reply = await sendQuery(connection, query.bytes, this.timeoutMs)
    } catch (err) {
      throw this.networkError(holder, err)
    }
    if ('slowDown' in reply) {
      const busy = new ServiceError('holder-busy', `${holder} asks this node to slow down (${reply.reason}): ask again in ${reply.slowDown} ms`)
      busy.retryAfterMs = reply.slowDown
      throw busy
    }
    const { answer, data, records } = this.checkedAnswer(holder, query, reply.answer, reply.records)
    const now = this.components.records.now()
    const result: QueryResult = {
      holder,
      query: query.id,
      answer: { id: answer.id, issuedAt: answer.envelope.issuedAt, outcome: data.outcome, truncated: data.truncated === true, ...(data.reason !== undefined && { reason: data.reason }) },
      records: records.map(r => viewOf(r, now))
    }
    // The query and the answer are kept as evidence, with the receipt that says what was received: one write.
    const { receipts, stored } = records.length === 0
      ? { receipts: [], stored: undefined }
      : options.store === true
        ? await this.storeAsDelivered(holder, records, options.purpose)
        : { receipts: [this.signReceipt(holder, records, options.purpose)], stored: undefined }
    await this.components.records.importVerifiedMany([query, answer, ...(options.store === true ? [] : receipts.map(b => parseRecord(b)))])
    if (records.length === 0) return result
    let receipt: QueryResult['receipt']
    for (const bytes of receipts) {
      const id = parseRecord(bytes).id
      try {
        const answered = await sendQueryReceipt(connection, bytes, this.timeoutMs)
        receipt = 'kept' in answered ? { id, kept: true } : { id, kept: false, reason: 'refused' in answered ? answered.refused : `slow down: ${answered.reason}` }
      } catch (err) {
        receipt = { id, kept: false, reason: (err as Error).message }
      }
      if (!receipt.kept) this.components.logger.warn({ holder, receipt: id, reason: receipt.reason }, 'query receipt not taken')
    }
    return { ...result, ...(stored !== undefined && { stored }), ...(receipt !== undefined && { receipt }) }
  }

  /** The holder's answer, checked: signed by it, for this query and this node, listing exactly the records sent, each its own and verified. */
  private checkedAnswer (holder: string, query: SignedRecord, answerBytes: Uint8Array, recordBytes: readonly Uint8Array[]): { answer: SignedRecord, data: QueryAnswerData, records: SignedRecord[] } {
    const bad = (why: string): ServiceError => new ServiceError('bad-answer', `the answer of ${holder} is refused: ${why}`)
    let answer: SignedRecord
    let records: SignedRecord[]
    try {
      answer = parseRecord(answerBytes)
      verifyRecord(answer)
      records = recordBytes.map(b => {
        const r = parseRecord(b)
        verifyRecord(r)
        return r
      })
    } catch (err) {
      if (err instanceof RecordError) throw bad(`it does not verify: ${err.message}`)
      throw err
    }
    if (answer.envelope.type !== RecordTypes.queryAnswer || answer.envelope.issuer !== holder) throw bad('the answer is not a query.answer signed by the holder')
    const data = dataOf(answer) as unknown as QueryAnswerData
    if (data.query !== query.id || data.requester !== this.components.records.participant) throw bad('the answer is for another query')
    if (!Array.isArray(data.records) || data.records.length !== records.length) throw bad('the answer lists other records than it carries')
    records.forEach((r, i) => {
      const listed = data.records[i]
      if (r.envelope.issuer !== holder) throw bad(`record ${r.id} is not the holder's own`)
      if (listed === undefined || listed.record !== r.id || JSON.stringify(listed.fields) !== JSON.stringify(fieldsOf(r))) throw bad(`record ${r.id} is not as the answer lists it`)
    })
    return { answer, data, records }
  }

  /** Keeps what was received as if it were delivered (the inbox's checks and receipt). */
  private async storeAsDelivered (holder: string, records: readonly SignedRecord[], purpose: string): Promise<{ receipts: Uint8Array[], stored: NonNullable<QueryResult['stored']> }> {
    const results = await this.components.delivery.accept(holder, records.map(r => ({ record: r.bytes, purpose })))
    const receipts = [...new Set(results.flatMap(r => 'receipt' in r ? [r.receipt] : []))]
    const kept: string[] = []
    const refused: Array<{ record: string, reason: string }> = []
    results.forEach((r, i) => {
      const id = (records[i] as SignedRecord).id
      if ('receipt' in r) kept.push(id)
      else refused.push({ record: id, reason: r.refused })
    })
    return { receipts, stored: { kept, refused } }
  }

  /** A receipt for records received and not kept. */
  private signReceipt (holder: string, records: readonly SignedRecord[], purpose: string): Uint8Array {
    return this.sign(RecordTypes.deliveryReceipt, recordInput(deliveryReceipt, {
      sender: holder,
      receivedAt: this.components.records.now(),
      records: records.map(r => entryData({ record: r.id, fields: fieldsOf(r), purpose })) as unknown as DeliveryReceiptData['records']
    }).data).bytes
  }

  private async connectionTo (network: DeliveryNetwork, holder: string): Promise<Connection> {
    let peer
    try {
      peer = peerIdFromString(holder)
    } catch {
      throw new ServiceError('invalid-request', `${holder} is not a participant id`, [{ path: '/participant', message: 'not a participant id' }])
    }
    try {
      return await openConnection(network.host, peer, this.timeoutMs)
    } catch (err) {
      throw new ServiceError('holder-unreachable', `${holder} cannot be reached: ${(err as Error).message}`, [], { cause: err })
    }
  }

  private networkError (holder: string, err: unknown): ServiceError {
    const message = (err as Error).message
    if (/within \d+ ms|timed? ?out|aborted/i.test(message)) return new ServiceError('holder-timeout', `${holder} did not answer within ${this.timeoutMs} ms`, [], { cause: err })
    return new ServiceError('holder-unreachable', `${holder} dropped the query: ${message}`, [], { cause: err })
  }
}

function owedKey (record: string, fields: readonly string[], purpose: string | undefined): string {
  return JSON.stringify([record, fields, purpose ?? null])
}
