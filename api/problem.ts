/**
 * RFC 9457 problem details. Every error the API returns is one of these, with a
 * stable `type`, a short `title`, a `detail` saying exactly what went wrong and,
 * for validation errors, `errors`: the JSON Pointer of each failing field.
 */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { ServiceErrorCode, Violation } from '../node/errors.js'

export const PROBLEM_TYPE_PREFIX = 'urn:keruen:problem:'

export type ProblemSlug =
  | ServiceErrorCode
  | 'unauthorized'
  | 'insufficient-scope'
  | 'malformed-json'
  | 'payload-too-large'
  | 'unsupported-media-type'
  | 'not-acceptable'
  | 'route-not-found'
  | 'method-not-allowed'
  | 'misdirected-request'
  | 'malformed-request'
  | 'headers-too-large'
  | 'internal'
  | 'starting'
  | 'storage-unavailable'
  | 'range-not-satisfiable'

const catalogue: Record<ProblemSlug, { status: ContentfulStatusCode, title: string }> = {
  'invalid-request': { status: 400, title: 'The request is not valid' },
  'malformed-json': { status: 400, title: 'The body is not valid JSON' },
  'malformed-request': { status: 400, title: 'The request is not valid HTTP' },
  'invalid-cursor': { status: 400, title: 'The cursor is not valid for this query' },
  'verification-failed': { status: 400, title: 'The record does not verify' },
  unauthorized: { status: 401, title: 'Missing or wrong API token' },
  'insufficient-scope': { status: 403, title: 'The token\'s scopes do not allow it' },
  'not-permitted': { status: 403, title: 'The data owner\'s policies do not allow it' },
  'not-owner': { status: 403, title: 'Only the record\'s issuer can do that' },
  'not-found': { status: 404, title: 'Not found' },
  'route-not-found': { status: 404, title: 'No such route' },
  'method-not-allowed': { status: 405, title: 'The route does not take that method' },
  'not-acceptable': { status: 406, title: 'No acceptable representation' },
  'already-superseded': { status: 409, title: 'The record is already superseded' },
  'already-revoked': { status: 409, title: 'The grant is already revoked' },
  'already-decided': { status: 409, title: 'The application is already decided' },
  'not-in-force': { status: 409, title: 'The decision\'s standing does not allow it' },
  'legal-id-taken': { status: 409, title: 'The legal id is certified to another participant' },
  'misdirected-request': { status: 421, title: 'The request is addressed to another host' },
  'payload-too-large': { status: 413, title: 'The body is too large' },
  'too-large': { status: 413, title: 'The record is too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported content type' },
  'range-not-satisfiable': { status: 416, title: 'The range is outside the file' },
  'headers-too-large': { status: 431, title: 'The request line or headers are too large' },
  'unregistered-type': { status: 422, title: 'The record type is not registered' },
  'schema-violation': { status: 422, title: 'The data does not match its record type' },
  prohibited: { status: 409, title: 'A measure in force prohibits the goods' },
  'payment-not-confirmed': { status: 409, title: 'The payments are not confirmed: the goods are not released' },
  'payments-mismatch': { status: 409, title: 'The payments the declaration states do not match customs\' calculation' },
  'quota-exceeded': { status: 409, title: 'The licence\'s quantity is used up' },
  'code-not-listed': { status: 422, title: 'A coded value is not in the code list in force on the document\'s date' },
  'non-canonical': { status: 422, title: 'The data cannot be encoded canonically' },
  'idempotency-conflict': { status: 422, title: 'The idempotency key was used with another request' },
  'supersedes-unknown': { status: 422, title: 'The superseded record is unknown' },
  'supersedes-mismatch': { status: 422, title: 'The record cannot supersede that one' },
  'unknown-participant': { status: 422, title: 'The participant holds no valid certificate here' },
  'bad-answer': { status: 502, title: 'The holder\'s answer does not verify' },
  'holder-unreachable': { status: 502, title: 'The holder cannot be reached' },
  'not-on-network': { status: 503, title: 'This node is not on the network' },
  'holder-busy': { status: 503, title: 'The holder asks this node to slow down' },
  'holder-timeout': { status: 504, title: 'The holder did not answer in time' },
  'attachment-missing': { status: 422, title: 'The record references an attachment this node does not hold as stated' },
  'attachment-mismatch': { status: 422, title: 'The file is not of the media type declared' },
  'reference-unknown': { status: 422, title: 'The data names a record this node does not hold, or one of another type' },
  internal: { status: 500, title: 'Internal error' },
  starting: { status: 503, title: 'The node is starting' },
  'storage-unavailable': { status: 503, title: 'The node takes no writes until its database is sound again' }
}

/** Every problem type the API can return. */
export const PROBLEM_SLUGS = Object.keys(catalogue) as readonly ProblemSlug[]

export function problemStatus (slug: ProblemSlug): ContentfulStatusCode {
  return catalogue[slug].status
}

/** The problem's JSON text and status. */
function problemBody (slug: ProblemSlug, detail: string, errors: readonly Violation[]): { text: string, status: ContentfulStatusCode } {
  const { status, title } = catalogue[slug]
  const body = {
    type: `${PROBLEM_TYPE_PREFIX}${slug}`,
    title,
    status,
    detail,
    ...(errors.length > 0 && { errors })
  }
  return { text: JSON.stringify(body), status }
}

export function problem (c: Context, slug: ProblemSlug, detail: string, errors: readonly Violation[] = []): Response {
  const { text, status } = problemBody(slug, detail, errors)
  return c.body(text, status, { 'content-type': 'application/problem+json' })
}

/** The answer as raw HTTP/1.1, for a connection whose request never became one (see server.ts); it closes the connection. */
export function problemHttp (slug: ProblemSlug, detail: string): string {
  const { text, status } = problemBody(slug, detail, [])
  const { title } = catalogue[slug]
  return `HTTP/1.1 ${status} ${title}\r\ncontent-type: application/problem+json\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`
}

/** The same answer where no request context exists (a server still starting). */
export function problemResponse (slug: ProblemSlug, detail: string, headers: Record<string, string> = {}): Response {
  const { text, status } = problemBody(slug, detail, [])
  return new Response(text, { status, headers: { ...headers, 'content-type': 'application/problem+json' } })
}
