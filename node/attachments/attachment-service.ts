/**
 * Attachments on a node: uploads kept by digest, the guard that a record
 * this node signs references only files it holds as stated, the holder's side
 * of /keruen/attachment/1.0.0 (a chunk goes only to a peer entitled to the
 * record's `attachments` field), and the fetcher that brings in the files of
 * a record received, in the background, resuming where a broken transfer
 * stopped (docs/attachments.md).
 */
import type { Connection } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import {
  coversAny, disclosedLeavesWhere, fieldPatterns, isRecordId, parseRecord, pathText,
  type LeafPath, type SignedRecord
} from '../../record/index.js'
import { ATTACHMENT_DIGEST_PATTERN } from '../../record/types/common.js'
import { RecordTypes } from '../../record/types/names.js'
import {
  ATTACHMENT_PROTOCOL, DEFAULT_CHUNK_BYTES, MAX_CHUNK_BYTES, requestChunk, serveChunks, type ChunkAnswer, type ChunkRequest
} from '../../protocols/attachment.js'
import type { TypeRegistry } from '../../record/types/registry.js'
import type { Handshake } from '../../protocols/handshake.js'
import { AttachmentError, type AttachmentMeta, type AttachmentStore, type DeliveryStore, type FetchJob } from '../../storage/index.js'
import type { DeliveryService } from '../delivery/delivery-service.js'
import { ServiceError, type Violation } from '../errors.js'
import { listen, type NodeEvents } from '../events.js'
import type { P2PHost } from '../network/p2p.js'
import { openConnection } from '../network/open-connection.js'
import type { Disclosure } from '../policy/disclosure.js'
import type { RecordGuards } from '../records/record-guards.js'
import type { CreateRecordInput, RecordService } from '../records/record-service.js'
import { backOffMs } from '../runtime/back-off.js'
import type { Logger } from '../runtime/log.js'
import type { NodeConfig } from '../setup/config.js'

/** Test hooks: what a holder sends, and what a fetcher has written. */
export interface AttachmentHooks {
  /** Holder side: the bytes of a chunk about to be sent to `peer`; what it returns is sent instead. */
  readonly servedChunk?: (peer: string, digest: string, offset: number, bytes: Uint8Array) => Uint8Array
  /** Fetcher side: a chunk was written; the partial file now ends at `end` of `size` bytes. */
  readonly chunkWritten?: (digest: string, end: number, size: number) => void | Promise<void>
}

export interface AttachmentOptions {
  /** Bytes asked for per chunk (default 256 KiB). */
  readonly chunkBytes?: number
  /** First retry delay of a fetch (default 1 s); doubles per failure up to maxRetryMs (default 60 s). */
  readonly retryMs?: number
  readonly maxRetryMs?: number
  /** Attempts before a fetch is given up as failed (default 10). */
  readonly maxAttempts?: number
  /** How long a dial or a chunk may take (default 20 s). */
  readonly timeoutMs?: number
  /**
   * How long a record stored without having been delivered (imported) waits
   * before its files are asked of its issuer (default 1 s): a delivered record
   * is announced as received just after it is stored, and its sender is the
   * better source.
   */
  readonly issuerWaitMs?: number
  readonly hooks?: AttachmentHooks
}

export interface AttachmentNetwork {
  readonly host: Pick<P2PHost, 'getConnections' | 'dial' | 'handle' | 'unhandle'>
  readonly handshake: Pick<Handshake, 'admission'>
}

export interface AttachmentComponents {
  readonly attachmentStore: AttachmentStore
  readonly deliveryStore: DeliveryStore
  readonly config: Pick<NodeConfig, 'attachmentMaxBytes' | 'attachmentTypes'>
  readonly records: Pick<RecordService, 'participant' | 'getBytes'>
  readonly disclosure: Pick<Disclosure, 'allowedFor'>
  readonly delivery: Pick<DeliveryService, 'receipts'>
  readonly guards: RecordGuards
  /** Which types can reference files at all: the others' records are not looked into. */
  readonly types: Pick<TypeRegistry, 'get'>
  readonly events: NodeEvents
  readonly logger: Logger
  /** Read at start: a node off the network neither serves nor fetches. */
  readonly network?: AttachmentNetwork
}

/** An attachment as a record held here states it: whatever of it the copy discloses. */
export interface AttachmentReference {
  readonly index: number
  readonly digest: string
  readonly mediaType?: string
  readonly name?: string
  readonly size?: number
}

export type AttachmentState = 'held' | 'fetching' | 'failed' | 'missing'

export interface AttachmentStatus extends AttachmentReference {
  /** held: here; fetching: on its way (or waiting to retry); failed: given up, with the reason; missing: not held and not being fetched. */
  readonly status: AttachmentState
  /** Bytes arrived so far, while fetching. */
  readonly received?: number
  readonly attempts?: number
  readonly reason?: string
  readonly resumedFrom?: readonly number[]
  readonly from?: readonly string[]
}

/** A fetch failed for good: the bytes are wrong, or could never fit. */
class FinalFailure extends Error {}

export function attachmentService (options: AttachmentOptions = {}) {
  return (components: AttachmentComponents): AttachmentService => new AttachmentService(components, options)
}

export class AttachmentService {
  private readonly store: AttachmentStore
  private unlisten: (() => void) | undefined
  private network: AttachmentNetwork | undefined
  private stopped = true
  /** Fetches running, by digest. */
  private readonly running = new Map<string, Promise<void>>()
  /** Fetches waiting to start or to retry, by digest. */
  private readonly timers = new Map<string, NodeJS.Timeout>()
  /** Bytes written so far, by digest, while a fetch runs. */
  private readonly progress = new Map<string, number>()
  private readonly chunkBytes: number
  private readonly retryMs: number
  private readonly maxRetryMs: number
  private readonly maxAttempts: number
  private readonly timeoutMs: number
  private readonly issuerWaitMs: number

  constructor (private readonly components: AttachmentComponents, private readonly options: AttachmentOptions = {}) {
    this.store = components.attachmentStore
    this.chunkBytes = Math.min(options.chunkBytes ?? DEFAULT_CHUNK_BYTES, MAX_CHUNK_BYTES)
    this.retryMs = options.retryMs ?? 1000
    this.maxRetryMs = options.maxRetryMs ?? 60_000
    this.maxAttempts = options.maxAttempts ?? 10
    this.timeoutMs = options.timeoutMs ?? 20_000
    this.issuerWaitMs = options.issuerWaitMs ?? 1000
  }

  /** The largest attachment this node takes, in bytes. */
  get maxBytes (): number {
    return this.components.config.attachmentMaxBytes
  }

  /** The media types attachments may have here. */
  get mediaTypes (): readonly string[] {
    return this.components.config.attachmentTypes
  }

  async start (): Promise<void> {
    await this.store.init()
    this.stopped = false
    this.components.guards.add('attachments', async input => await this.refusal(input))
    this.network = this.components.network
    if (this.network === undefined) return
    const network = this.network
    await serveChunks(network.host, {
      admitted: async peer => await network.handshake.admission(peer),
      serve: async (peer, request) => await this.serve(peer, request),
      onRefusedRequest: (peer, reason) => { this.components.logger.warn({ peer, reason }, 'attachment request refused') },
      timeoutMs: this.timeoutMs
    })
    this.unlisten = listen(this.components.events, {
      // Only a record that references files is looked at again.
      'record:received': (sender, id, record) => {
        if (this.carriesFiles(record) && attachmentsOf(record).length > 0) this.later(`received:${id}`, 0, async () => { await this.received(id, sender) })
      },
      'record:stored': record => {
        if (record.envelope.issuer === this.components.records.participant || !this.carriesFiles(record) || attachmentsOf(record).length === 0) return
        this.later(`issuer:${record.id}`, this.issuerWaitMs, async () => { await this.received(record.id, record.envelope.issuer, false) })
      }
    })
    // Fetches a stop or a crash interrupted go on.
    for (const job of await this.store.allJobs()) {
      if (job.state === 'fetching') this.schedule(job.digest, 0)
    }
  }

  /** Whether the record's type has an attachments list: a record of any other type references no file. */
  private carriesFiles (record: SignedRecord): boolean {
    const schema = this.components.types.get(record.envelope.type)?.schema as { properties?: Record<string, unknown> } | undefined
    return schema?.properties?.attachments !== undefined
  }

  async stop (): Promise<void> {
    this.stopped = true
    this.unlisten?.()
    this.unlisten = undefined
    for (const timer of this.timers.values()) clearTimeout(timer)
    this.timers.clear()
    await Promise.allSettled([...this.running.values()])
    await this.network?.host.unhandle(ATTACHMENT_PROTOCOL)
    this.network = undefined
    this.components.guards.remove('attachments')
  }

  private warn (err: unknown): void {
    if (!this.stopped) this.components.logger.warn({ err }, 'attachment follow-up failed')
  }

  // ------------------------------------------------------------ uploads and reads

  /**
   * Stores an uploaded file. Throws ServiceError attachment-mismatch when its
   * bytes do not start as its media type does, and AttachmentError too-large
   * past the size limit (the API answers 413); nothing is left behind.
   */
  async upload (source: AsyncIterable<Uint8Array>, mediaType: string, name?: string): Promise<AttachmentMeta> {
    try {
      return await this.store.put(source, { mediaType, maxBytes: this.maxBytes, ...(name !== undefined && { name }) })
    } catch (err) {
      if (err instanceof AttachmentError && (err.code === 'mismatch' || err.code === 'empty')) {
        throw new ServiceError('attachment-mismatch', `the file is not ${mediaType}: ${err.message}`)
      }
      throw err
    }
  }

  async meta (digest: string): Promise<AttachmentMeta | undefined> {
    return await this.store.get(digest)
  }

  /** A held file's bytes from `start` to `end` inclusive. */
  stream (digest: string, start: number, end: number): NodeJS.ReadableStream {
    return this.store.stream(digest, start, end)
  }

  /** What a held record says of its attachments, each with where it stands here; undefined when the record is not held. */
  async statusOf (recordId: string): Promise<AttachmentStatus[] | undefined> {
    const bytes = await this.components.records.getBytes(recordId)
    if (bytes === undefined) return undefined
    return await Promise.all(attachmentsOf(parseRecord(bytes)).map(async ref => await this.statusOfOne(ref)))
  }

  private async statusOfOne (ref: AttachmentReference): Promise<AttachmentStatus> {
    if (await this.store.has(ref.digest)) return { ...ref, status: 'held' }
    const job = await this.store.job(ref.digest)
    if (job === undefined) return { ...ref, status: 'missing' }
    const received = this.progress.get(ref.digest) ?? await this.store.partialSize(ref.digest)
    return {
      ...ref,
      status: job.state,
      received,
      attempts: job.attempts,
      ...(job.reason !== undefined && { reason: job.reason }),
      resumedFrom: job.resumedFrom,
      from: job.sources
    }
  }

  // ------------------------------------------------------------ the guard

  /** Why a record may not be signed here: it references a file not held as stated, or verifies a document not held. */
  private async refusal (input: CreateRecordInput): Promise<ServiceError | undefined> {
    const list = (input.data as Record<string, unknown>).attachments
    const violations: Violation[] = []
    if (Array.isArray(list)) {
      for (const [i, item] of list.entries()) {
        const a = item as Record<string, unknown>
        if (typeof a !== 'object' || a === null || typeof a.digest !== 'string' || !ATTACHMENT_DIGEST_PATTERN.test(a.digest)) continue
        const held = await this.store.get(a.digest)
        const at = `/data/attachments/${i}`
        if (held === undefined) {
          violations.push({ path: `${at}/digest`, message: 'this node holds no attachment with this digest: upload the file first (POST /v1/attachments)' })
          continue
        }
        if (a.size !== held.size) violations.push({ path: `${at}/size`, message: `the attachment held is ${held.size} bytes` })
        if (a.mediaType !== held.mediaType) violations.push({ path: `${at}/mediaType`, message: `the attachment held is ${held.mediaType}` })
      }
    }
    if (violations.length > 0) {
      return new ServiceError('attachment-missing', `the record references attachments this node does not hold as stated (${violations.length})`, violations)
    }
    if (input.type === RecordTypes.foreignVerification) return await this.verificationRefusal(input)
    return undefined
  }

  /** A verification mark names a foreign.document this node holds. */
  private async verificationRefusal (input: CreateRecordInput): Promise<ServiceError | undefined> {
    const document = (input.data as Record<string, unknown>).document
    if (typeof document !== 'string' || !isRecordId(document)) return undefined
    const bytes = await this.components.records.getBytes(document)
    const type = bytes === undefined ? undefined : parseRecord(bytes).envelope.type
    if (type === RecordTypes.foreignDocument) return undefined
    const message = type === undefined ? 'this node holds no record with this id' : `is a ${type}, not a ${RecordTypes.foreignDocument}`
    return new ServiceError('reference-unknown', `the document to verify ${message}`, [{ path: '/data/document', message }])
  }

  // ------------------------------------------------------------ the holder

  /** Answers one chunk request of `peer`. */
  async serve (peer: string, request: ChunkRequest): Promise<ChunkAnswer> {
    const { digest, offset } = request
    const meta = await this.store.get(digest)
    if (meta === undefined) return { refused: `this node does not hold attachment ${digest}` }
    const bytes = await this.components.records.getBytes(request.record)
    if (bytes === undefined) return { refused: `this node does not hold record ${request.record}` }
    const record = parseRecord(bytes)
    const ref = attachmentsOf(record).find(a => a.digest === digest)
    if (ref === undefined) return { refused: `record ${record.id} does not reference attachment ${digest}` }
    const refusal = await this.entitlementRefusal(peer, record, ref.index)
    if (refusal !== undefined) {
      this.components.logger.warn({ peer, record: record.id, digest, reason: refusal }, 'attachment refused')
      return { refused: refusal }
    }
    if (offset > meta.size) return { refused: `offset ${offset} is past the end of the file (${meta.size} bytes)` }
    let chunk = await this.store.read(digest, offset, Math.min(request.length, MAX_CHUNK_BYTES, meta.size - offset))
    chunk = this.options.hooks?.servedChunk?.(peer, digest, offset, chunk) ?? chunk
    return { size: meta.size, mediaType: meta.mediaType, bytes: chunk }
  }

  /**
   * Why `peer` may not have the file at `attachments/index` of `record`, or
   * undefined: it may when this node's grants would disclose that field of
   * its own record to it now (the evaluation a push makes), or when this node
   * owes or has delivered it a copy that carries the field.
   */
  private async entitlementRefusal (peer: string, record: SignedRecord, index: number): Promise<string | undefined> {
    const leaf: LeafPath = ['attachments', index, 'digest']
    if (record.envelope.issuer === this.components.records.participant) {
      try {
        if (this.components.disclosure.allowedFor(record, peer)(leaf)) return undefined
      } catch (err) {
        if (!(err instanceof ServiceError)) throw err
      }
    }
    for (const copy of await this.components.deliveryStore.pendingCopies(peer, record.envelope.issuedAt, record.id)) {
      if (copy.fields === undefined || coversAny(fieldPatterns(copy.fields), leaf)) return undefined
    }
    const text = pathText(leaf)
    for (const receipt of await this.components.delivery.receipts(record.id)) {
      if (receipt.receiver === peer && (receipt.fields.includes('') || receipt.fields.includes(text))) return undefined
    }
    return `not entitled: no grant of this node discloses /attachments/${index} of record ${record.id} to ${peer}, and this node sent it no copy with that field`
  }

  // ------------------------------------------------------------ the fetcher

  /** A record arrived from `source` (or was stored, its issuer being `source`): fetch each file it references that is not held. */
  private async received (recordId: string, source: string, delivered = true): Promise<void> {
    if (this.stopped) return
    const bytes = await this.components.records.getBytes(recordId)
    if (bytes === undefined) return
    for (const ref of attachmentsOf(parseRecord(bytes))) {
      if (await this.store.has(ref.digest)) continue
      const job = await this.store.job(ref.digest)
      if (job !== undefined) {
        // Another source for a fetch known already; the sender of a delivery goes first.
        const sources = delivered ? [source, ...job.sources.filter(s => s !== source)] : job.sources.includes(source) ? job.sources : [...job.sources, source]
        const again = job.state === 'failed' && delivered
        if (sources.join() !== job.sources.join() || again) {
          await this.store.putJob({ ...job, sources, ...(again && { state: 'fetching' as const, attempts: 0 }) })
        }
        if (again) this.schedule(ref.digest, 0)
        continue
      }
      await this.store.putJob({
        digest: ref.digest,
        record: recordId,
        sources: [source],
        ...(ref.size !== undefined && { size: ref.size }),
        ...(ref.mediaType !== undefined && { mediaType: ref.mediaType }),
        ...(ref.name !== undefined && { name: ref.name }),
        state: 'fetching',
        attempts: 0,
        resumedFrom: [],
        since: new Date().toISOString()
      })
      this.schedule(ref.digest, 0)
    }
  }

  /** Runs `task` after `delayMs`, once per key; stop() cancels it. */
  private later (key: string, delayMs: number, task: () => Promise<void>): void {
    if (this.stopped || this.timers.has(key)) return
    const timer = setTimeout(() => {
      this.timers.delete(key)
      if (this.stopped) return
      const run = task().catch(err => { this.warn(err) }).finally(() => this.running.delete(key))
      this.running.set(key, run)
    }, delayMs)
    this.timers.set(key, timer)
  }

  /** Starts the fetch of `digest` after `delayMs`, unless it runs or waits already. */
  private schedule (digest: string, delayMs: number): void {
    const key = `fetch:${digest}`
    if (this.running.has(key)) return
    const waiting = this.timers.get(key)
    if (waiting !== undefined) {
      if (delayMs > 0) return
      clearTimeout(waiting)
      this.timers.delete(key)
    }
    this.later(key, delayMs, async () => { await this.attempt(digest) })
  }

  /** One attempt at a fetch; a failure schedules the next, or gives up. */
  private async attempt (digest: string): Promise<void> {
    const job = await this.store.job(digest)
    if (job === undefined || job.state !== 'fetching' || this.stopped) return
    if (await this.store.has(digest)) {
      await this.store.deleteJob(digest)
      return
    }
    const source = job.sources[job.attempts % job.sources.length] as string
    try {
      await this.fetch(job, source)
      await this.store.deleteJob(digest)
      this.components.logger.info({ digest, record: job.record, from: source }, 'attachment fetched')
    } catch (err) {
      if (this.stopped && !(err instanceof FinalFailure)) return
      const reason = (err as Error).message
      const attempts = job.attempts + 1
      const latest = await this.store.job(digest) ?? job
      if (err instanceof FinalFailure || attempts >= this.maxAttempts) {
        this.components.logger.warn({ digest, record: job.record, from: source, attempts, reason }, 'attachment fetch failed')
        await this.store.putJob({ ...latest, state: 'failed', attempts, reason })
        return
      }
      const wait = backOffMs(attempts, this.retryMs, this.maxRetryMs)
      this.components.logger.info({ digest, from: source, attempts, retryInMs: wait, reason }, 'attachment fetch interrupted')
      await this.store.putJob({ ...latest, attempts, reason })
      // Scheduled once this attempt is off the running list.
      setImmediate(() => { this.schedule(digest, wait) })
    } finally {
      this.progress.delete(digest)
    }
  }

  /** Fetches the rest of a file from `source`, from where its partial file ends, then checks and keeps it. */
  private async fetch (job: FetchJob, source: string): Promise<void> {
    const { digest } = job
    const connection = await this.connectionTo(source)
    let offset = await this.store.partialSize(digest)
    if (job.size !== undefined && offset > job.size) {
      await this.store.discardPartial(digest)
      offset = 0
    }
    if (offset > 0) await this.store.putJob({ ...job, resumedFrom: [...job.resumedFrom, offset] })
    let size = job.size
    let mediaType = job.mediaType
    while (size === undefined || offset < size) {
      if (this.stopped) throw new Error('the node is stopping')
      const answer = await requestChunk(connection, { record: job.record, digest, offset, length: this.chunkBytes }, this.timeoutMs)
      if ('refused' in answer) throw new Error(`${source} refused: ${answer.refused}`)
      if (size !== undefined && answer.size !== size) throw new FinalFailure(`${source} serves ${answer.size} bytes; the record states ${size}`)
      if (answer.size > this.maxBytes) throw new FinalFailure(`the file is ${answer.size} bytes, over this node's limit of ${this.maxBytes}`)
      mediaType ??= answer.mediaType
      if (!this.mediaTypes.includes(mediaType)) throw new FinalFailure(`media type ${mediaType} is not one this node takes`)
      size = answer.size
      if (answer.bytes.length === 0 && offset < size) throw new Error(`${source} sent no bytes at ${offset}`)
      await this.store.writePartial(digest, offset, answer.bytes)
      offset += answer.bytes.length
      this.progress.set(digest, offset)
      await this.options.hooks?.chunkWritten?.(digest, offset, size)
    }
    try {
      await this.store.completePartial(digest, { size, mediaType: mediaType as string, ...(job.name !== undefined && { name: job.name }) })
    } catch (err) {
      if (err instanceof AttachmentError) throw new FinalFailure(`refused the file from ${source}: ${err.message}`)
      throw err
    }
  }

  private async connectionTo (peer: string): Promise<Connection> {
    const network = this.network
    if (network === undefined) throw new Error('the node is not on the network')
    const connection = await openConnection(network.host, peerIdFromString(peer), this.timeoutMs)
    if (!(await network.handshake.admission(peer))) throw new Error(`${peer} is not admitted`)
    return connection
  }
}

/** A leaf of the attachments list: `attachments/<index>/<field>`. */
const isAttachmentLeaf = (path: LeafPath): boolean =>
  path.length === 3 && path[0] === 'attachments' && typeof path[1] === 'number' && typeof path[2] === 'string'

/** The attachments a record's copy discloses, by index: those whose digest it discloses. */
export function attachmentsOf (record: SignedRecord): AttachmentReference[] {
  const byIndex = new Map<number, Record<string, unknown>>()
  // Only these leaves are decoded: every record a node receives is asked, and most reference no file.
  for (const { path, value } of disclosedLeavesWhere(record, isAttachmentLeaf)) {
    const entry = byIndex.get(path[1] as number) ?? {}
    entry[path[2] as string] = value
    byIndex.set(path[1] as number, entry)
  }
  const out: AttachmentReference[] = []
  for (const [index, e] of [...byIndex].sort(([a], [b]) => a - b)) {
    if (typeof e.digest !== 'string' || !ATTACHMENT_DIGEST_PATTERN.test(e.digest)) continue
    out.push({
      index,
      digest: e.digest,
      ...(typeof e.mediaType === 'string' && { mediaType: e.mediaType }),
      ...(typeof e.name === 'string' && { name: e.name }),
      ...(typeof e.size === 'number' && { size: e.size })
    })
  }
  return out
}
