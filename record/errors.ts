/** Why a record was refused; `code` is stable and machine-readable, `message` says what exactly. */
export type RecordErrorCode =
  | 'malformed'
  | 'non-canonical'
  | 'unknown-suite'
  | 'bad-signature'
  | 'digest-mismatch'
  | 'too-large'

/** Where in a record an error was found: the part ('data', 'envelope', 'record') and a JSON Pointer within it. */
export interface RecordErrorLocation {
  readonly part: string
  readonly path: string
}

export class RecordError extends Error {
  readonly code: RecordErrorCode
  /** Where the offending value sits, when the check that failed knows. */
  readonly location: RecordErrorLocation | undefined

  constructor (code: RecordErrorCode, message: string, options: ErrorOptions & { location?: RecordErrorLocation } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'RecordError'
    this.code = code
    this.location = options.location
  }
}
