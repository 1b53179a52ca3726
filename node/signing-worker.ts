/**
 * Worker thread that builds and signs records (see signing-pool.ts): salting,
 * hashing every field and signing are CPU work that would otherwise hold the
 * event loop.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { createRecord, ed25519Signer, RecordError, type RecordDraft } from '../record/index.js'

export interface SignRequest { readonly id: number, readonly draft: RecordDraft }
export type SignReply =
  | { readonly id: number, readonly bytes: Uint8Array }
  | { readonly id: number, readonly error: { readonly code: string, readonly message: string, readonly record: boolean } }

const signer = ed25519Signer(workerData.seed as Uint8Array)
const port = parentPort
if (port === null) throw new Error('signing-worker must run in a worker thread')

port.on('message', ({ id, draft }: SignRequest) => {
  try {
    const { bytes } = createRecord(signer, draft)
    port.postMessage({ id, bytes } satisfies SignReply, [bytes.buffer as ArrayBuffer])
  } catch (err) {
    const e = err as Error
    port.postMessage({ id, error: { code: (err as RecordError).code ?? 'internal', message: e.message, record: err instanceof RecordError } } satisfies SignReply)
  }
})
