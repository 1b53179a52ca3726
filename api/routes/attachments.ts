/** Attachments: upload a file, list a record's files and where each stands here, download one (with ranges). */
import { Readable } from 'node:stream'
import { Type } from '@sinclair/typebox'
import type { Context } from 'hono'
import { ServiceError } from '../../node/errors.js'
import type { NodeApi } from '../../node/node-api.js'
import { AttachmentError, DIGEST_PATTERN } from '../../storage/index.js'
import { problem } from '../problem.js'
import type { RouteTable } from '../routes.js'

/** Where files are uploaded: the app's body limit leaves this path to the route, which has its own. */
export const ATTACHMENT_UPLOAD_PATH = '/v1/attachments'

const attachmentParams = Type.Object({ id: Type.String({ maxLength: 64 }), digest: Type.String({ maxLength: 64 }) })

const metaSchema = {
  type: 'object',
  properties: {
    digest: { type: 'string' },
    mediaType: { type: 'string' },
    size: { type: 'integer' },
    name: { type: 'string' }
  },
  required: ['digest', 'mediaType', 'size']
}

const statusSchema = {
  type: 'object',
  properties: {
    record: { type: 'string' },
    attachments: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          index: { type: 'integer' },
          digest: { type: 'string' },
          mediaType: { type: 'string' },
          name: { type: 'string' },
          size: { type: 'integer' },
          status: { enum: ['held', 'fetching', 'failed', 'missing'] },
          received: { type: 'integer', description: 'bytes arrived so far, while fetching' },
          attempts: { type: 'integer' },
          reason: { type: 'string', description: 'why the last attempt failed, or why the fetch was given up' },
          resumedFrom: { type: 'array', items: { type: 'integer' }, description: 'where each resumed attempt started' },
          from: { type: 'array', items: { type: 'string' }, description: 'the peers asked, the likeliest first' }
        },
        required: ['index', 'digest', 'status']
      }
    }
  },
  required: ['record', 'attachments']
}

export function attachmentRoutes (table: RouteTable, node: NodeApi): void {
  table.add({
    method: 'post',
    path: ATTACHMENT_UPLOAD_PATH,
    operationId: 'uploadAttachment',
    tag: 'attachments',
    summary: 'Upload a file to attach to records',
    description: 'The body is the file itself, its Content-Type its media type (application/pdf, image/jpeg, image/png, application/xml, text/xml unless the node\'s attachmentTypes says otherwise). ' +
      'It is streamed to disk and kept under its SHA-256 digest; a record then references it by digest, media type, name and size. The same bytes uploaded again are stored once.',
    query: Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'the file name, e.g. certificate.pdf' })) }),
    responses: {
      201: { description: 'Stored', content: { 'application/json': metaSchema } }
    },
    problems: {
      'payload-too-large': 'the file is over the attachment size limit (attachmentMaxBytes, 25 MiB by default); nothing is kept',
      'unsupported-media-type': 'the Content-Type is not a media type attachments may have',
      'attachment-mismatch': 'the file is empty, or does not start as its media type does (%PDF-, a JPEG or a PNG signature)'
    },
    handler: async (c, { query }) => {
      const mediaType = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
      const attachments = node.attachments
      if (!attachments.mediaTypes.includes(mediaType)) {
        return problem(c, 'unsupported-media-type', `content type ${JSON.stringify(mediaType)} is not a media type attachments may have; send one of ${attachments.mediaTypes.join(', ')}`)
      }
      const tooLarge = (): Response => {
        // The rest of the body is never read: the connection cannot carry another request.
        c.header('connection', 'close')
        return problem(c, 'payload-too-large', `the file is larger than the attachment limit of ${attachments.maxBytes} bytes`)
      }
      const length = c.req.header('content-length')
      if (length !== undefined && c.req.header('transfer-encoding') === undefined && !(Number(length) <= attachments.maxBytes)) return tooLarge()
      const body = c.req.raw.body
      if (body === null) throw new ServiceError('attachment-mismatch', 'the file is empty')
      try {
        const stored = await attachments.upload(body as unknown as AsyncIterable<Uint8Array>, mediaType, query.name)
        const view = { digest: stored.digest, mediaType: stored.mediaType, size: stored.size, ...(query.name !== undefined ? { name: query.name } : stored.name !== undefined && { name: stored.name }) }
        c.header('location', `/v1/attachments/${stored.digest}`)
        return c.json(view, 201)
      } catch (err) {
        if (err instanceof AttachmentError && err.code === 'too-large') return tooLarge()
        throw err
      }
    }
  })

  table.add({
    method: 'get',
    path: '/v1/records/{id}/attachments',
    operationId: 'listRecordAttachments',
    tag: 'attachments',
    summary: 'The files a record references, and where each stands on this node',
    description: 'One entry per attachment the copy held here discloses: `held`, `fetching` (with the bytes arrived and the attempts so far), `failed` (with the reason) or `missing` (not held, not being fetched).',
    params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
    responses: { 200: { description: 'The record\'s attachments', content: { 'application/json': statusSchema } } },
    problems: { 'not-found': 'no record with that id' },
    handler: async (c, { params }) => {
      const statuses = await node.attachments.statusOf(params.id)
      if (statuses === undefined) throw new ServiceError('not-found', `no record ${params.id}`)
      return c.json({ record: params.id, attachments: statuses })
    }
  })

  table.add({
    method: 'get',
    path: '/v1/records/{id}/attachments/{digest}',
    operationId: 'getRecordAttachment',
    tag: 'attachments',
    summary: 'The bytes of a file a record references',
    description: 'Only a file the record references and this node holds. Served with its media type, Content-Length and a Content-Disposition naming the file; ' +
      'a `Range: bytes=…` header (one range) gets 206 with that part.',
    params: attachmentParams,
    headers: { Range: { description: 'One byte range, e.g. bytes=0-1023 or bytes=-500', schema: { type: 'string' } } },
    responses: {
      200: { description: 'The file', headers: { 'Content-Disposition': { description: 'attachment, with the file name' }, 'Accept-Ranges': { description: 'bytes' } } },
      206: { description: 'The part of the file the range asks for', headers: { 'Content-Range': { description: 'bytes start-end/size' } } }
    },
    problems: {
      'not-found': 'no record with that id; the record does not reference that digest; or this node does not hold the file (yet): the detail says which',
      'range-not-satisfiable': 'the range starts past the end of the file'
    },
    handler: async (c, { params }) => {
      const { id, digest } = params
      if (!DIGEST_PATTERN.test(digest)) return problem(c, 'invalid-request', 'digest is not a SHA-256 in hex', [{ path: '/params/digest', message: 'must be 64 lowercase hexadecimal digits' }])
      const statuses = await node.attachments.statusOf(id)
      if (statuses === undefined) throw new ServiceError('not-found', `no record ${id}`)
      const ref = statuses.find(s => s.digest === digest)
      if (ref === undefined) throw new ServiceError('not-found', `record ${id} does not reference attachment ${digest} (or not in the part of it this node holds)`)
      const meta = ref.status === 'held' ? await node.attachments.meta(digest) : undefined
      if (meta === undefined) {
        const how = ref.status === 'fetching'
          ? `it is being fetched (${ref.received ?? 0} of ${ref.size ?? '?'} bytes so far)`
          : ref.status === 'failed' ? `its fetch failed: ${ref.reason ?? 'no reason recorded'}` : 'and is not fetching it'
        throw new ServiceError('not-found', `record ${id} references attachment ${digest}, but this node does not hold it yet: ${how}`)
      }
      return serveFile(c, node, meta, ref.name ?? meta.name ?? digest)
    }
  })
}

function serveFile (c: Context, node: NodeApi, meta: { digest: string, size: number, mediaType: string }, name: string): Response {
  const headers: Record<string, string> = {
    'content-type': meta.mediaType,
    'content-disposition': contentDisposition(name),
    'accept-ranges': 'bytes',
    etag: `"${meta.digest}"`,
    'cache-control': 'private, max-age=31536000, immutable'
  }
  let start = 0
  let end = meta.size - 1
  let status: 200 | 206 = 200
  const range = parseRange(c.req.header('range'), meta.size)
  if (range === 'unsatisfiable') {
    c.header('content-range', `bytes */${meta.size}`)
    return problem(c, 'range-not-satisfiable', `the range ${JSON.stringify(c.req.header('range'))} is outside the file of ${meta.size} bytes`)
  }
  if (range !== undefined) {
    ;({ start, end } = range)
    status = 206
    headers['content-range'] = `bytes ${start}-${end}/${meta.size}`
  }
  headers['content-length'] = String(end - start + 1)
  const body = Readable.toWeb(node.attachments.stream(meta.digest, start, end) as Readable) as ReadableStream<Uint8Array>
  return c.body(body, status, headers)
}

/**
 * One byte range of a file of `size` bytes; undefined when there is none
 * or it is not one this route serves (several ranges, another unit): the
 * whole file is served then, as RFC 9110 allows.
 */
export function parseRange (header: string | undefined, size: number): { start: number, end: number } | 'unsatisfiable' | undefined {
  if (header === undefined) return undefined
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (match === null) return undefined
  const [, first = '', last = ''] = match
  if (first === '' && last === '') return undefined
  if (first === '') {
    const suffix = Number(last)
    if (suffix === 0) return 'unsatisfiable'
    return { start: Math.max(0, size - suffix), end: size - 1 }
  }
  const start = Number(first)
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1)
  if (start >= size) return 'unsatisfiable'
  if (end < start) return undefined
  return { start, end }
}

/** `attachment; filename=…`, with the name in ASCII and, when it has other characters, in UTF-8 too (RFC 6266). */
function contentDisposition (name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  const plain = ascii === name
  return `attachment; filename="${ascii}"${plain ? '' : `; filename*=UTF-8''${encodeURIComponent(name)}`}`
}
