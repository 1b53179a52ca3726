import { CanonicalError } from './cbor-model.js'

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

/** A refusal of a record's shape. */
export function malformed (message: string): RecordError {
  return new RecordError('malformed', message)
}

/** Rethrows a codec error as the record's `non-canonical` refusal, saying where; anything else as it is. */
export function asCanonicalError (err: unknown, where: string): never {
  if (err instanceof CanonicalError) throw new RecordError('non-canonical', `${where}${err.path}: ${err.reason}`, { cause: err, location: { part: where, path: err.path } })
  throw err
}
