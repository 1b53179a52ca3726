/**
 * Errors the node reports to its callers. `code` is stable; the API maps it to
 * an HTTP status and a problem type.
 */
import type { Violation } from '../record/types/validator.js'

export type ServiceErrorCode =
  | 'invalid-request'
  | 'unregistered-type'
  | 'schema-violation'
  | 'non-canonical'
  | 'idempotency-conflict'
  | 'supersedes-unknown'
  | 'supersedes-mismatch'
  | 'already-superseded'
  | 'verification-failed'
  | 'invalid-cursor'
  | 'not-found'
  | 'too-large'
  | 'already-revoked'
  | 'not-permitted'
  | 'not-owner'
  | 'unknown-participant'
  | 'already-decided'

export type { Violation } from '../record/types/validator.js'

export class ServiceError extends Error {
  readonly code: ServiceErrorCode
  readonly violations: readonly Violation[]

  constructor (code: ServiceErrorCode, message: string, violations: readonly Violation[] = []) {
    super(message)
    this.name = 'ServiceError'
    this.code = code
    this.violations = violations
  }
}
