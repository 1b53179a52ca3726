/**
 * The attachment store: files kept whole under their SHA-256, once; uploads
 * over the limit or of the wrong signature leave nothing; a fetched file is
 * kept only once its digest checks, and its partial file is resumed or
 * discarded, never moved under a digest it does not have. And the chunk
 * protocol's messages and the API's byte ranges.
 */
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseRange } from '../../../api/routes/attachments.js'
import { encodeChunkAnswer, encodeChunkRequest, parseChunkAnswer, parseChunkRequest } from '../../../protocols/attachment.js'
import { FrameError } from '../../../protocols/stream-io.js'
import { encodeCanonical } from '../../../record/index.js'
import { AttachmentError, AttachmentStore, Database, magicRefusal, storedDigests } from '../../../storage/index.js'

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')
const pdf = (size: number): Uint8Array => {
  const bytes = new Uint8Array(randomBytes(size))
  bytes.set(new TextEncoder().encode('%PDF-1.4\n'))
  return bytes
}
async function * chunks (bytes: Uint8Array, size = 1000): AsyncIterable<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size)
}

describe('attachment store', () => {
  let dir: string
  let db: Database
  let store: AttachmentStore

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'keruen-attachments-'))
    db = await Database.open(join(dir, 'db'), { durable: false })
    store = new AttachmentStore(db, join(dir, 'attachments'), false)
    await store.init()
  })
  afterEach(async () => {
    await db.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('keeps a file under its digest once, with its media type, size and name', async () => {
    const bytes = pdf(10_000)
    const meta = await store.put(chunks(bytes), { mediaType: 'application/pdf', name: 'a.pdf', maxBytes: 20_000 })
    assert.equal(meta.digest, sha256(bytes))
    assert.deepEqual({ size: meta.size, mediaType: meta.mediaType, name: meta.name }, { size: 10_000, mediaType: 'application/pdf', name: 'a.pdf' })
    assert.deepEqual(new Uint8Array(await readFile(store.pathOf(meta.digest))), bytes)
    assert.equal((await store.put(chunks(bytes, 333), { mediaType: 'application/pdf', name: 'b.pdf', maxBytes: 20_000 })).name, 'a.pdf')
    assert.deepEqual(await storedDigests(store.dir), [meta.digest])
    assert.deepEqual(await store.read(meta.digest, 9990, 100), bytes.subarray(9990))
  })

  it('leaves nothing of a file over the limit, empty, or not of its type', async () => {
    await assert.rejects(store.put(chunks(pdf(5000)), { mediaType: 'application/pdf', maxBytes: 4999 }), (err: unknown) => err instanceof AttachmentError && err.code === 'too-large')
    await assert.rejects(store.put(chunks(new Uint8Array(0)), { mediaType: 'application/xml', maxBytes: 100 }), (err: unknown) => err instanceof AttachmentError && err.code === 'empty')
    await assert.rejects(store.put(chunks(pdf(5000)), { mediaType: 'image/jpeg', maxBytes: 10_000 }), (err: unknown) => err instanceof AttachmentError && err.code === 'mismatch')
    assert.deepEqual(await storedDigests(store.dir), [])
    assert.deepEqual(await readdir(join(store.dir, 'tmp')), [])
  })

  it('resumes a partial file where it ends, and keeps it only when its digest checks', async () => {
    const bytes = pdf(3000)
    const digest = sha256(bytes)
    await store.writePartial(digest, 0, bytes.subarray(0, 1000))
    await store.writePartial(digest, 1000, bytes.subarray(1000, 2000))
    assert.equal(await store.partialSize(digest), 2000)
    // Written again from where it ends (a chunk that arrived before a cut, say): what lay past it goes.
    await store.writePartial(digest, 1500, bytes.subarray(1500, 2000))
    assert.equal(await store.partialSize(digest), 2000)
    await store.writePartial(digest, 2000, bytes.subarray(2000))
    const meta = await store.completePartial(digest, { size: 3000, mediaType: 'application/pdf', name: 'c.pdf' })
    assert.equal(meta.digest, digest)
    assert.equal(await store.partialSize(digest), 0)
    assert.deepEqual(new Uint8Array(await readFile(store.pathOf(digest))), bytes)

    const other = pdf(2000)
    const otherDigest = sha256(other)
    const tampered = new Uint8Array(other)
    tampered[1500] = (tampered[1500] as number) ^ 1
    await store.writePartial(otherDigest, 0, tampered)
    await assert.rejects(store.completePartial(otherDigest, { size: 2000, mediaType: 'application/pdf' }), (err: unknown) => err instanceof AttachmentError && err.code === 'digest-mismatch')
    assert.equal(await store.has(otherDigest), false)
    assert.equal(existsSync(store.pathOf(otherDigest)), false)
    assert.equal(await store.partialSize(otherDigest), 0)
  })

  it('empties the temporary folder at start', async () => {
    await writeFile(join(store.dir, 'tmp', 'left-by-a-crash'), 'x')
    await store.init()
    assert.deepEqual(await readdir(join(store.dir, 'tmp')), [])
  })

  it('knows the signatures of PDF, JPEG and PNG, and lets XML through', () => {
    assert.equal(magicRefusal('application/pdf', new TextEncoder().encode('%PDF-1.7')), undefined)
    assert.equal(magicRefusal('image/jpeg', Uint8Array.of(0xff, 0xd8, 0xff, 0xe0)), undefined)
    assert.equal(magicRefusal('image/png', Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)), undefined)
    assert.match(magicRefusal('image/png', Uint8Array.of(0x89, 0x50)) ?? '', /PNG|89 50/)
    assert.equal(magicRefusal('application/xml', new TextEncoder().encode('anything')), undefined)
  })
})

describe('attachment protocol messages', () => {
  const request = { record: 'bciqm3mpgtnx4xn7ujbojqm4j7r2y4bbsyj6vbvkhe7fjvvvnmr7uvia', digest: 'ab'.repeat(32), offset: 262144, length: 262144 }

  it('round-trips a request and both kinds of answer', () => {
    assert.deepEqual(parseChunkRequest(encodeChunkRequest(request)), request)
    const bytes = new Uint8Array([1, 2, 3])
    assert.deepEqual(parseChunkAnswer(encodeChunkAnswer({ size: 262147, mediaType: 'application/pdf', bytes }), request), { size: 262147, mediaType: 'application/pdf', bytes })
    assert.deepEqual(parseChunkAnswer(encodeChunkAnswer({ refused: 'not entitled' }), request), { refused: 'not entitled' })
  })

  it('refuses requests and answers that are not well formed', () => {
    for (const bad of [{ ...request, digest: 'AB'.repeat(32) }, { ...request, length: 0 }, { ...request, length: 2 * 1024 * 1024 }, { ...request, offset: -1 }, { ...request, record: 'x' }, { ...request, extra: 1 }]) {
      assert.throws(() => parseChunkRequest(encodeCanonical({ v: 1, ...bad })), FrameError, JSON.stringify(bad))
    }
    // More bytes than asked for, or past the end of the file.
    assert.throws(() => parseChunkAnswer(encodeChunkAnswer({ size: 10_000_000, mediaType: 'application/pdf', bytes: new Uint8Array(262145) }), request), FrameError)
    assert.throws(() => parseChunkAnswer(encodeChunkAnswer({ size: 262145, mediaType: 'application/pdf', bytes: new Uint8Array(2) }), request), FrameError)
  })
})

describe('byte ranges', () => {
  it('reads one range, a suffix or an open end, and says when it starts past the file', () => {
    assert.deepEqual(parseRange('bytes=0-99', 1000), { start: 0, end: 99 })
    assert.deepEqual(parseRange('bytes=900-', 1000), { start: 900, end: 999 })
    assert.deepEqual(parseRange('bytes=-100', 1000), { start: 900, end: 999 })
    assert.deepEqual(parseRange('bytes=990-5000', 1000), { start: 990, end: 999 })
    assert.equal(parseRange('bytes=1000-', 1000), 'unsatisfiable')
    assert.equal(parseRange('bytes=0-1,5-6', 1000), undefined)
    assert.equal(parseRange('items=0-1', 1000), undefined)
    assert.equal(parseRange(undefined, 1000), undefined)
  })
})
