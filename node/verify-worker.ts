/**
 * Worker thread that checks records received from the network (see
 * verify-pool.ts): recomputing every field digest and checking the signature
 * is most of a receiver's CPU. Answers, per record, why it fails, or null.
 */
import { refusalOf } from './verify-pool.js'
import { serveRequests } from './worker-serve.js'

serveRequests<readonly Uint8Array[], Array<string | null>>(records => ({ reply: records.map(refusalOf) }))
