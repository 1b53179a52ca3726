/**
 * Worker thread that builds and signs records (see signing-pool.ts): salting,
 * hashing every field and signing are CPU work that would otherwise hold the
 * event loop.
 */
import { workerData } from 'node:worker_threads'
import { createRecord, ed25519Signer, RecordError, type RecordDraft } from '../../record/index.js'
import { serveRequests } from './worker-serve.js'

export type SignReply =
  | { readonly bytes: Uint8Array }
  | { readonly error: { readonly code: string, readonly message: string, readonly record: boolean } }

const signer = ed25519Signer(workerData.seed as Uint8Array)

serveRequests<RecordDraft, SignReply>(draft => {
  try {
    const { bytes } = createRecord(signer, draft)
    return { reply: { bytes }, transfer: [bytes.buffer as ArrayBuffer] }
  } catch (err) {
    const e = err as Error
    return { reply: { error: { code: (err as RecordError).code ?? 'internal', message: e.message, record: err instanceof RecordError } } }
  }
})
