/**
 * Errors the node reports to its callers. `code` is stable; the API maps it to
 * an HTTP status and a problem type.
 */
import type { Violation } from '../record/types/validator.js'

export type ServiceErrorCode =
  | 'invalid-request'
  | 'unregistered-type'
  | 'schema-violation'
  | 'code-not-listed'
  | 'prohibited'
  | 'payment-not-confirmed'
  | 'payments-mismatch'
  | 'quota-exceeded'
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
  | 'not-in-force'
  | 'not-on-network'
  | 'holder-unreachable'
  | 'holder-timeout'
  | 'holder-busy'
  | 'bad-answer'
  | 'legal-id-taken'
  | 'attachment-missing'
  | 'attachment-mismatch'
  | 'reference-unknown'

export type { Violation } from '../record/types/validator.js'

export class ServiceError extends Error {
  readonly code: ServiceErrorCode
  readonly violations: readonly Violation[]
  /** When to try again, for a refusal that passes (a holder asking to slow down). */
  retryAfterMs?: number

  constructor (code: ServiceErrorCode, message: string, violations: readonly Violation[] = [], options?: ErrorOptions) {
    super(message, options)
    this.name = 'ServiceError'
    this.code = code
    this.violations = violations
  }
}

export type StartErrorCode = 'p2p-port-in-use' | 'api-port-in-use' | 'data-folder-unusable' | 'database-of-another-participant' | 'tls-unusable'

/**
 * A node cannot start for a reason its operator can fix; the message says
 * how, in one line. The underlying error is the `cause`.
 */
export class StartError extends Error {
  readonly code: StartErrorCode

  constructor (code: StartErrorCode, message: string, cause?: unknown) {
    super(message, { cause })
    this.name = 'StartError'
    this.code = code
  }
}
