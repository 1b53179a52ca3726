// Entry of a signing worker thread: loads the TypeScript worker through tsx,
// as scripts/keruen.js does for the main thread.
import { register } from 'tsx/esm/api'

register()
await import('./signing-worker.ts')
