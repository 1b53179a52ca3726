/**
 * Fakes of the parts services declare they need: a record store held in a
 * map, an application index, a record service that signs with a given signer
 * on a clock the test moves, and a trust directory the test fills. Each does
 * only what the services under test call.
 */
import { randomBytes } from 'node:crypto'
import {
  createRecord, ed25519Signer, pathText, timestamp,
  type RecordDraft, type SignedRecord, type Signer
} from '../../../record/index.js'
import type { ApplicationStore, RecordPage, RecordQuery, RecordStore, WriteOp } from '../../../storage/index.js'
import type { NodeEvents } from '../../../node/events.js'
import type { RecordIndexes } from '../../../node/records/record-indexes.js'
import type { CreateRecordInput, RecordResult } from '../../../node/records/record-service.js'
import type { Certification, ParticipantStatus } from '../../../node/trust/trust-service.js'

export const signer = (): Signer => ed25519Signer(randomBytes(32))

/** A clock the test sets; starts at a fixed instant. */
export class FakeClock {
  ms = Date.parse('2026-11-02T08:00:00.000Z')
  readonly now = (): number => this.ms
  iso (): string { return timestamp(this.ms) }
  advance (ms: number): void { this.ms += ms }
}

/** Signs a record as `by`; issued at `issuedAt` (default: a fixed instant). */
export function signed (by: Signer, draft: Omit<RecordDraft, 'issuedAt'> & { issuedAt?: string }): SignedRecord {
  return createRecord(by, { issuedAt: '2026-11-02T08:00:00.000Z', ...draft })
}

/** A write operation of the fake stores: run when the record's batch is "written". */
interface FakeOp { readonly fake: () => void }

/**
 * Records by id, in insertion order. `put` runs the indexers registered in
 * `indexes` (if given) the way the record service does, and applies the fake
 * operations they return.
 */
export class FakeRecordStore {
  readonly records = new Map<string, SignedRecord>()
  constructor (private readonly indexes?: RecordIndexes) {}

  put (record: SignedRecord, input?: CreateRecordInput): void {
    this.records.set(record.id, record)
    for (const op of this.indexes?.opsFor(record, input) ?? []) (op as unknown as FakeOp).fake()
  }

  async get (id: string): Promise<Uint8Array | undefined> { return this.records.get(id)?.bytes }
  async has (id: string): Promise<boolean> { return this.records.has(id) }
  async supersessorOf (id: string): Promise<string | undefined> {
    return [...this.records.values()].find(r => r.envelope.supersedes === id)?.id
  }

  async list (query: RecordQuery): Promise<RecordPage> {
    const records = [...this.records.values()].filter(r =>
      (query.type === undefined || r.envelope.type === query.type) &&
      (query.issuer === undefined || r.envelope.issuer === query.issuer) &&
      (query.consignment === undefined || r.envelope.consignment === query.consignment))
    return { records: records.map(r => r.bytes) }
  }

  async listIds (query: RecordQuery): Promise<{ ids: string[] }> {
    const ids = (await this.list(query)).records.map(bytes => [...this.records.values()].find(r => r.bytes === bytes)?.id ?? '')
    return { ids: query.newestFirst === true ? ids.reverse() : ids }
  }

  async consignment (ref: string, max: number): Promise<Uint8Array[]> {
    return [...this.records.values()].filter(r => r.envelope.consignment === ref).slice(0, max).map(r => r.bytes)
  }

  /** Typed as the real store for the services; only the methods above are called. */
  get asStore (): RecordStore { return this as unknown as RecordStore }
}

/** The application index in memory: refOps returns an operation that adds the ref when applied. */
export class FakeApplicationStore {
  readonly refs: Array<{ applicationId: string, issuedAt: string, recordId: string, type: string }> = []

  refOps (applicationId: string, issuedAt: string, recordId: string, type: string): WriteOp[] {
    const op: FakeOp = { fake: () => { this.refs.push({ applicationId, issuedAt, recordId, type }) } }
    return [op as unknown as WriteOp]
  }

  async refsOf (applicationId: string): Promise<Array<{ recordId: string, type: string }>> {
    return this.refs.filter(r => r.applicationId === applicationId)
      .sort((a, b) => a.issuedAt < b.issuedAt ? -1 : a.issuedAt > b.issuedAt ? 1 : 0)
      .map(({ recordId, type }) => ({ recordId, type }))
  }

  get asStore (): ApplicationStore { return this as unknown as ApplicationStore }
}

/**
 * The record service as far as services use it: who this node is, the time,
 * and `create`, which signs at the clock's time, stores the record in the
 * fake store and announces it like the real one does.
 */
export class FakeRecords {
  readonly created: CreateRecordInput[] = []
  constructor (
    private readonly self: Signer,
    private readonly store: FakeRecordStore,
    private readonly clock: FakeClock,
    private readonly events?: NodeEvents
  ) {}

  get participant (): string { return this.self.participant }
  now (): string { return this.clock.iso() }

  async create (input: CreateRecordInput): Promise<RecordResult> {
    this.created.push(input)
    const record = createRecord(this.self, {
      type: input.type,
      issuedAt: this.now(),
      data: input.data,
      ...(input.consignment !== undefined && { consignment: input.consignment }),
      ...(input.validUntil !== undefined && { validUntil: input.validUntil }),
      ...(input.supersedes !== undefined && { supersedes: input.supersedes })
    })
    this.store.put(record, input)
    this.events?.emit('record:stored', record)
    return { record, created: true }
  }
}

/** A certified participant's status, as the trust service reports it. */
export function certified (participant: string, cert: Omit<Certification, 'participant' | 'name'> & { name?: string }): ParticipantStatus {
  return {
    participant,
    status: 'valid',
    reason: 'test certificate',
    certificate: { id: `cert-${participant.slice(-6)}`, issuer: 'authority', name: cert.name ?? cert.role, ...cert, participant }
  }
}

/** A trust directory the test fills; everyone else is absent. */
export class FakeTrust {
  readonly statuses = new Map<string, ParticipantStatus>()
  directoryReads = 0

  add (status: ParticipantStatus): this {
    this.statuses.set(status.participant, status)
    return this
  }

  async directory (): Promise<ParticipantStatus[]> {
    this.directoryReads++
    return [...this.statuses.values()]
  }

  async status (participant: string): Promise<ParticipantStatus> {
    return this.statuses.get(participant) ?? { participant, status: 'absent', reason: 'no certificate' }
  }
}

/** The paths of the leaves a record discloses, sorted. */
export function pathsOf (record: SignedRecord): string[] {
  return record.disclosures.map(d => pathText(d.path)).sort()
}
