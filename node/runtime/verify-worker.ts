/**
 * Worker thread that checks records received from the network (see
 * verify-pool.ts): recomputing every field digest, checking the signature and
 * the schema is most of a receiver's CPU. Answers, per record, why it is
 * refused, or null.
 */
import { builtinTypes } from '../../record/types/index.js'
import { TypeRegistry } from '../../record/types/registry.js'
import { receivedRefusal } from '../records/record-check.js'
import { serveRequests } from './worker-serve.js'

const types = new TypeRegistry(builtinTypes)

serveRequests<readonly Uint8Array[], Array<string | null>>(records => ({ reply: records.map(bytes => receivedRefusal(types, bytes)) }))
