/**
 * Worker thread that checks records received from the network (see
 * verify-pool.ts): recomputing every field digest and checking the signature
 * is most of a receiver's CPU. Answers, per record, why it fails, or null.
 */
import { parentPort } from 'node:worker_threads'
import { parseRecord, RecordError, verifyRecord } from '../record/index.js'

export interface VerifyRequest { readonly id: number, readonly records: readonly Uint8Array[] }
export interface VerifyReply { readonly id: number, readonly refusals: ReadonlyArray<string | null> }

const port = parentPort
if (port === null) throw new Error('verify-worker must run in a worker thread')

function refusalOf (bytes: Uint8Array): string | null {
  try {
    verifyRecord(parseRecord(bytes))
    return null
  } catch (err) {
    return err instanceof RecordError ? `${err.code}: ${err.message}` : (err as Error).message
  }
}

port.on('message', ({ id, records }: VerifyRequest) => {
  port.postMessage({ id, refusals: records.map(refusalOf) } satisfies VerifyReply)
})
// Loading takes a moment; until this arrives the pool verifies in place.
port.postMessage('ready')
