/**
 * Worker thread that builds and signs records (see signing-pool.ts): salting,
 * hashing every field and signing are CPU work that would otherwise hold the
 * event loop.
 */
import { workerData } from 'node:worker_threads'
import { CanonicalError, createRecord, ed25519Signer, RecordError, type RecordDraft, type RecordErrorLocation } from '../../record/index.js'
import { serveRequests } from './worker-serve.js'

export type SignReply =
  | { readonly bytes: Uint8Array }
  | { readonly error: SignError }

/** A refusal, as it crosses to the pool: a RecordError's code, place and the codec's error it wraps. */
export interface SignError {
  readonly code: string
  readonly message: string
  readonly record: boolean
  readonly location?: RecordErrorLocation
  readonly canonical?: { readonly reason: string, readonly segments: Array<string | number> }
}

const signer = ed25519Signer(workerData.seed as Uint8Array)

serveRequests<RecordDraft, SignReply>(draft => {
  try {
    const { bytes } = createRecord(signer, draft)
    return { reply: { bytes }, transfer: [bytes.buffer as ArrayBuffer] }
  } catch (err) {
    const e = err as Error
    const record = err instanceof RecordError
    const cause = record ? err.cause : undefined
    return {
      reply: {
        error: {
          code: (err as RecordError).code ?? 'internal',
          message: e.message,
          record,
          ...(record && err.location !== undefined && { location: err.location }),
          ...(cause instanceof CanonicalError && { canonical: { reason: cause.reason, segments: cause.segments } })
        }
      }
    }
  }
})
