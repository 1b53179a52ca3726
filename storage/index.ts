export * from './database.js'
export * from './idempotency-store.js'
export * from './meta-store.js'
export * from './record-store.js'
