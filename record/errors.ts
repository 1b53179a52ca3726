/** Why a record was refused; `code` is stable and machine-readable, `message` says what exactly. */
export type RecordErrorCode =
  | 'malformed'
  | 'non-canonical'
  | 'unknown-suite'
  | 'bad-signature'
  | 'digest-mismatch'
  | 'too-large'

export class RecordError extends Error {
  readonly code: RecordErrorCode

  constructor (code: RecordErrorCode, message: string) {
    super(message)
    this.name = 'RecordError'
    this.code = code
  }
}
