/**
 * Attachments across real nodes on 127.0.0.1: uploads kept by digest (with
 * ranges, a size limit that leaves nothing behind, and the media type's first
 * bytes checked), records that may reference only files held, a 20 MB PDF of a
 * foreign document that reaches its recipient whole after its connection is
 * cut halfway (the transfer resumes, not restarts), a tampered chunk refused
 * by its digest, a grant without `attachments` that carries no file, and an
 * agency's verification mark that reaches the trader.
 */
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { peerIdFromString } from '@libp2p/peer-id'
import { requestChunk } from '../../../../protocols/attachment.js'
import { dataOf, parseRecord, type DataObject } from '../../../../record/index.js'
import { ATTACHMENT_DIR, storedDigests } from '../../../../storage/index.js'
import type { OpenNodeOptions } from '../../../../node/node.js'
import { fixture, openTempNode, type TempNode } from '../../../support/temp-node.js'
import { certify as certifyBy, connect, json, networkedNode } from '../../../support/network.js'
import { until } from '../../../support/until.js'

const CONSIGNMENT = '6KZ123456789012-ATT0001'
const MiB = 1024 * 1024

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')
/** A file that starts as a PDF does, of `size` bytes. */
const pdf = (size: number): Uint8Array => {
  const bytes = new Uint8Array(randomBytes(size))
  bytes.set(new TextEncoder().encode('%PDF-1.7\n'))
  return bytes
}

async function upload (t: TempNode, bytes: Uint8Array, mediaType = 'application/pdf', name = 'scan.pdf'): Promise<Response> {
  return await t.request('POST', `/v1/attachments?name=${encodeURIComponent(name)}`, { body: bytes, headers: { 'content-type': mediaType } })
}

async function uploaded (t: TempNode, bytes: Uint8Array, name = 'scan.pdf'): Promise<{ digest: string, mediaType: string, size: number, name: string }> {
  const response = await upload(t, bytes, 'application/pdf', name)
  assert.equal(response.status, 201, await response.clone().text())
  return await json(response)
}

async function expectProblem (response: Response, status: number, slug: string): Promise<any> {
  assert.equal(response.status, status, await response.clone().text())
  assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/)
  const body = await json(response)
  assert.equal(body.type, `urn:keruen:problem:${slug}`)
  return body
}

describe('attachments: upload, download, reference', function () {
  this.timeout(60_000)
  let t: TempNode
  let invoice: DataObject

  before(async () => {
    invoice = await fixture('trade.invoice')
    t = await openTempNode({ profile: { role: 'trader' }, config: { attachmentMaxBytes: MiB } })
  })
  after(async () => { await t.close() })

  it('keeps an upload under its digest and serves it back whole and by ranges, with its name', async () => {
    const bytes = pdf(300_000)
    const stored = await uploaded(t, bytes, 'сертификат №1.pdf')
    assert.deepEqual(stored, { digest: sha256(bytes), mediaType: 'application/pdf', size: bytes.length, name: 'сертификат №1.pdf' })
    assert.ok(existsSync(join(t.dir, ATTACHMENT_DIR, 'sha256', stored.digest.slice(0, 2), stored.digest.slice(2))))
    // The same bytes again: stored once.
    assert.equal((await uploaded(t, bytes)).digest, stored.digest)
    assert.deepEqual(await storedDigests(join(t.dir, ATTACHMENT_DIR)), [stored.digest])

    const created = await t.request('POST', '/v1/records', {
      body: { type: 'trade.invoice', consignment: CONSIGNMENT, data: { ...invoice, attachments: [{ digest: stored.digest, mediaType: 'application/pdf', name: 'сертификат №1.pdf', size: bytes.length }] } }
    })
    assert.equal(created.status, 201, await created.clone().text())
    const { id } = await json(created)

    const whole = await t.request('GET', `/v1/records/${id}/attachments/${stored.digest}`)
    assert.equal(whole.status, 200)
    assert.equal(whole.headers.get('content-type'), 'application/pdf')
    assert.equal(whole.headers.get('content-length'), String(bytes.length))
    assert.equal(whole.headers.get('accept-ranges'), 'bytes')
    assert.match(whole.headers.get('content-disposition') ?? '', /^attachment; filename="_+ _1\.pdf"; filename\*=UTF-8''%D1%81/)
    assert.ok(Buffer.from(await whole.arrayBuffer()).equals(Buffer.from(bytes)))

    const part = await t.request('GET', `/v1/records/${id}/attachments/${stored.digest}`, { headers: { range: 'bytes=1000-1999' } })
    assert.equal(part.status, 206)
    assert.equal(part.headers.get('content-range'), `bytes 1000-1999/${bytes.length}`)
    assert.ok(Buffer.from(await part.arrayBuffer()).equals(Buffer.from(bytes.subarray(1000, 2000))))
    const tail = await t.request('GET', `/v1/records/${id}/attachments/${stored.digest}`, { headers: { range: 'bytes=-10' } })
    assert.equal(tail.status, 206)
    assert.ok(Buffer.from(await tail.arrayBuffer()).equals(Buffer.from(bytes.subarray(bytes.length - 10))))
    const past = await t.request('GET', `/v1/records/${id}/attachments/${stored.digest}`, { headers: { range: `bytes=${bytes.length}-` } })
    await expectProblem(past, 416, 'range-not-satisfiable')
    assert.equal(past.headers.get('content-range'), `bytes */${bytes.length}`)

    const listing = await json(await t.request('GET', `/v1/records/${id}/attachments`))
    assert.deepEqual(listing.attachments, [{ index: 0, digest: stored.digest, mediaType: 'application/pdf', name: 'сертификат №1.pdf', size: bytes.length, status: 'held' }])
    // A digest the record does not reference is not served, even if held.
    const other = await uploaded(t, pdf(2000))
    const unreferenced = await expectProblem(await t.request('GET', `/v1/records/${id}/attachments/${other.digest}`), 404, 'not-found')
    assert.match(unreferenced.detail, /does not reference/)
  })

  it('refuses a file over the limit with 413 and keeps nothing of it, declared or streamed', async () => {
    const before = await storedDigests(join(t.dir, ATTACHMENT_DIR))
    await expectProblem(await upload(t, pdf(MiB + 1)), 413, 'payload-too-large')
    // Streamed without a Content-Length: counted as it arrives.
    const big = pdf(MiB + 64 * 1024)
    const body = new ReadableStream<Uint8Array>({
      start (controller) {
        for (let at = 0; at < big.length; at += 64 * 1024) controller.enqueue(big.subarray(at, at + 64 * 1024))
        controller.close()
      }
    })
    const streamed = await t.api.request('/v1/attachments', { method: 'POST', body, duplex: 'half', headers: { authorization: `Bearer ${t.node.apiToken}`, 'content-type': 'application/pdf' } } as RequestInit)
    await expectProblem(streamed, 413, 'payload-too-large')
    assert.deepEqual(await storedDigests(join(t.dir, ATTACHMENT_DIR)), before)
    assert.deepEqual(await readdir(join(t.dir, ATTACHMENT_DIR, 'tmp')), [])
  })

  it('refuses bytes that are not of the declared type (422) and a type attachments may not have (415)', async () => {
    const mismatch = await expectProblem(await upload(t, new TextEncoder().encode('<?xml version="1.0"?><x/>'), 'application/pdf'), 422, 'attachment-mismatch')
    assert.match(mismatch.detail, /%PDF-/)
    await expectProblem(await upload(t, pdf(100), 'image/png'), 422, 'attachment-mismatch')
    await expectProblem(await upload(t, new Uint8Array([1, 2, 3]), 'image/jpeg'), 422, 'attachment-mismatch')
    await expectProblem(await upload(t, new TextEncoder().encode('hello'), 'text/plain'), 415, 'unsupported-media-type')
    const xml = await upload(t, new TextEncoder().encode('<?xml version="1.0"?><certificate/>'), 'application/xml', 'certificate.xml')
    assert.equal(xml.status, 201)
    assert.deepEqual(await readdir(join(t.dir, ATTACHMENT_DIR, 'tmp')), [])
  })

  it('signs no record that references a file this node does not hold as stated', async () => {
    const held = await uploaded(t, pdf(5000))
    const refused = await expectProblem(await t.request('POST', '/v1/records', {
      body: {
        type: 'trade.invoice',
        consignment: CONSIGNMENT,
        data: {
          ...invoice,
          attachments: [
            { digest: 'ab'.repeat(32), mediaType: 'application/pdf', name: 'unknown.pdf', size: 10 },
            { digest: held.digest, mediaType: 'image/png', name: 'wrong.png', size: 4999 }
          ]
        }
      }
    }), 422, 'attachment-missing')
    assert.deepEqual(refused.errors.map((e: { path: string }) => e.path), ['/data/attachments/0/digest', '/data/attachments/1/size', '/data/attachments/1/mediaType'])
    const malformed = await t.request('POST', '/v1/records', {
      body: { type: 'trade.invoice', consignment: CONSIGNMENT, data: { ...invoice, attachments: [{ digest: 'ABC', mediaType: 'application/pdf', name: 'x.pdf', size: 1 }] } }
    })
    await expectProblem(malformed, 422, 'schema-violation')
  })
})

describe('attachments between nodes', function () {
  this.timeout(120_000)
  let authority: TempNode
  let trader: TempNode
  let customs: TempNode
  let sps: TempNode
  let document: DataObject
  /** Offsets the trader served, by digest. */
  const served = new Map<string, number[]>()
  /** Digests whose first chunk the trader corrupts. */
  const tamper = new Set<string>()
  /** Digests whose connection customs cuts once half has arrived. */
  const cutHalfway = new Set<string>()
  /** The connections customs cut. */
  const cut: string[] = []
  /** Digests whose fetch customs stops halfway, to be restarted: each resolves its promise then. */
  const pauseHalfway = new Map<string, () => void>()
  /** Digests whose fetch goes no further (each chunk written fails the attempt) until removed. */
  const paused = new Set<string>()
  const customsOptions: Partial<OpenNodeOptions> = {
    profile: { role: 'agency' },
    attachments: {
      retryMs: 100,
      maxRetryMs: 500,
      hooks: {
        chunkWritten: async (digest, end, size) => {
          if (end >= size / 2 && pauseHalfway.has(digest)) {
            paused.add(digest)
            pauseHalfway.get(digest)?.()
            pauseHalfway.delete(digest)
          }
          if (paused.has(digest)) throw new Error('paused for a restart')
          if (!cutHalfway.has(digest) || end < size / 2) return
          cutHalfway.delete(digest)
          const peer = peerIdFromString(trader.node.participant)
          cut.push(...(customs.node.p2p?.getConnections(peer) ?? []).map(c => c.id))
          await customs.node.p2p?.hangUp(peer)
        }
      }
    }
  }

  const foreignDocument = async (file: { digest: string, size: number }): Promise<string> => {
    const response = await trader.request('POST', '/v1/records', {
      body: { type: 'foreign.document', consignment: CONSIGNMENT, data: { ...document, attachments: [{ digest: file.digest, mediaType: 'application/pdf', name: 'certificate.pdf', size: file.size }] } }
    })
    assert.equal(response.status, 201, await response.clone().text())
    return (await json(response)).id
  }

  const statusAt = async (t: TempNode, id: string): Promise<any[]> => {
    const response = await t.request('GET', `/v1/records/${id}/attachments`)
    return response.status === 404 ? [] : (await json(response)).attachments
  }

  before(async () => {
    document = await fixture('foreign.document')
    authority = await openTempNode({ profile: { role: 'authority', name: 'KZ authority', country: 'KZ' } })
    trader = await networkedNode({
      profile: { role: 'trader' },
      attachments: {
        hooks: {
          servedChunk: (_peer, digest, offset, bytes) => {
            served.set(digest, [...served.get(digest) ?? [], offset])
            if (!tamper.has(digest) || offset !== 0) return bytes
            const copy = new Uint8Array(bytes)
            copy[100] = (copy[100] as number) ^ 0xff
            return copy
          }
        }
      }
    })
    customs = await networkedNode(customsOptions)
    sps = await networkedNode({ profile: { role: 'agency' }, attachments: { retryMs: 100, maxRetryMs: 500 } })
    await certifyBy(authority, trader, 'trader')
    await certifyBy(authority, customs, 'agency', { competence: 'customs' })
    await certifyBy(authority, sps, 'agency', { competence: 'phytosanitary' })
    await connect(trader, customs)
    await connect(trader, sps)
    await trader.node.policy.refreshDirectory()
    // Customs receives foreign documents whole; the SPS agency every field but the files.
    for (const body of [
      { types: ['foreign.document'], to: { competence: 'customs' }, fields: [''], purpose: 'KZ.customs.import-declaration' },
      { types: ['foreign.document'], to: { competence: 'phytosanitary' }, fields: ['/documentKind', '/number', '/issuingCountry', '/issuingBody', '/issueDate', '/goods'], purpose: 'KZ.sps.import-permit' }
    ]) {
      const response = await trader.request('POST', '/v1/policies', { body })
      assert.equal(response.status, 201, await response.clone().text())
    }
  })
  after(async () => {
    for (const t of [authority, trader, customs, sps]) await t?.close()
  })

  it('carries a 20 MB PDF to its recipient intact after the connection is cut halfway, resuming where it stopped', async () => {
    const bytes = pdf(20 * 1000 * 1000)
    const file = await uploaded(trader, bytes)
    cutHalfway.add(file.digest)
    const started = Date.now()
    const id = await foreignDocument(file)
    await until(async () => (await statusAt(customs, id))[0]?.status === 'held', 'customs to hold the PDF', 60_000)
    const took = Date.now() - started
    console.log(`      20 MB transferred with one cut in ${took} ms`)

    const response = await customs.request('GET', `/v1/records/${id}/attachments/${file.digest}`)
    assert.equal(response.status, 200)
    const received = new Uint8Array(await response.arrayBuffer())
    assert.equal(received.length, bytes.length)
    assert.equal(sha256(received), file.digest)
    assert.equal(cutHalfway.has(file.digest), false, 'the connection was cut')
    assert.ok(cut.length > 0)
    const now = customs.node.p2p?.getConnections(peerIdFromString(trader.node.participant)) ?? []
    assert.ok(now.length > 0 && now.every(c => !cut.includes(c.id)), 'the rest came over a new connection')
    // Every chunk was served once: the transfer went on from the bytes already written, not from zero.
    const offsets = served.get(file.digest) ?? []
    assert.equal(new Set(offsets).size, offsets.length, `offsets served: ${offsets.join(' ')}`)
    assert.equal(offsets.filter(o => o === 0).length, 1)
    assert.equal(offsets.length, Math.ceil(bytes.length / (256 * 1024)))
    assert.deepEqual(await readdir(join(customs.dir, ATTACHMENT_DIR, 'partial')), [])
  })

  it('resumes a fetch after the recipient restarts, from the bytes it had written', async () => {
    const bytes = pdf(8 * 1000 * 1000)
    const file = await uploaded(trader, bytes)
    const halfway = new Promise<void>(resolve => { pauseHalfway.set(file.digest, resolve) })
    const id = await foreignDocument(file)
    await halfway
    await customs.node.close()
    const partial = (await stat(join(customs.dir, ATTACHMENT_DIR, 'partial', file.digest))).size
    assert.ok(partial >= bytes.length / 2 && partial < bytes.length, `${partial} bytes kept of ${bytes.length}`)
    paused.delete(file.digest)
    customs = await networkedNode(customsOptions, customs.dir)
    await until(async () => (await statusAt(customs, id))[0]?.status === 'held', 'customs to hold the PDF after its restart', 60_000)
    const received = new Uint8Array(await (await customs.request('GET', `/v1/records/${id}/attachments/${file.digest}`)).arrayBuffer())
    assert.equal(sha256(received), file.digest)
    const offsets = served.get(file.digest) ?? []
    assert.equal(new Set(offsets).size, offsets.length, `offsets served: ${offsets.join(' ')}`)
    assert.equal(offsets.length, Math.ceil(bytes.length / (256 * 1024)))
  })

  it('refuses a tampered chunk: the digest does not match, and nothing is kept under it', async () => {
    const file = await uploaded(trader, pdf(600_000))
    tamper.add(file.digest)
    const id = await foreignDocument(file)
    await until(async () => (await statusAt(customs, id))[0]?.status === 'failed', 'the fetch to fail')
    const [status] = await statusAt(customs, id)
    assert.match(status.reason, /hash to [0-9a-f]{64}, not/)
    assert.equal(await customs.node.attachments.meta(file.digest), undefined)
    assert.equal(existsSync(join(customs.dir, ATTACHMENT_DIR, 'sha256', file.digest.slice(0, 2), file.digest.slice(2))), false)
    assert.deepEqual(await readdir(join(customs.dir, ATTACHMENT_DIR, 'partial')), [])
    const answer = await expectProblem(await customs.request('GET', `/v1/records/${id}/attachments/${file.digest}`), 404, 'not-found')
    assert.match(answer.detail, /does not hold it yet: its fetch failed/)
  })

  it('delivers the record without its files under a grant that does not disclose attachments, and the recipient fetches nothing', async () => {
    const file = await uploaded(trader, pdf(50_000))
    const id = await foreignDocument(file)
    await until(async () => (await sps.request('GET', `/v1/records/${id}`)).status === 200, 'the SPS agency to receive the document')
    await until(async () => (await statusAt(customs, id))[0]?.status === 'held', 'customs to hold the file')
    const copy = parseRecord(new Uint8Array(await (await sps.request('GET', `/v1/records/${id}`, { headers: { accept: 'application/cbor' } })).arrayBuffer()))
    assert.equal(dataOf(copy).attachments, undefined)
    assert.equal(Buffer.from(copy.bytes).includes(Buffer.from(file.digest)), false, 'no digest in the copy held')
    assert.deepEqual(await statusAt(sps, id), [])
    assert.deepEqual(await sps.node.attachments.statusOf(id), [])
    assert.deepEqual(await storedDigests(join(sps.dir, ATTACHMENT_DIR)), [])
    assert.equal((served.get(file.digest) ?? []).length, 1, 'only customs asked for it')

    // Asked directly, the trader refuses it: no grant gives the SPS agency that field.
    const connection = sps.node.p2p?.getConnections(peerIdFromString(trader.node.participant)).find(c => c.status === 'open')
    assert.ok(connection !== undefined)
    const answer = await requestChunk(connection, { record: id, digest: file.digest, offset: 0, length: 1024 }, 10_000)
    assert.ok('refused' in answer)
    assert.match(answer.refused, /not entitled/)
    assert.equal((served.get(file.digest) ?? []).length, 1)
  })

  it('lets an agency mark a foreign document verified, and the mark reaches the trader', async () => {
    const file = await uploaded(trader, pdf(10_000))
    const id = await foreignDocument(file)
    await until(async () => (await customs.request('GET', `/v1/records/${id}`)).status === 200, 'customs to receive the document')
    const unknown = await customs.request('POST', '/v1/records', {
      body: { type: 'foreign.verification', consignment: CONSIGNMENT, data: { ...await fixture('foreign.verification'), document: 'bciqm3mpgtnx4xn7ujbojqm4j7r2y4bbsyj6vbvkhe7fjvvvnmr7uvia' } }
    })
    assert.deepEqual((await expectProblem(unknown, 422, 'reference-unknown')).errors.map((e: { path: string }) => e.path), ['/data/document'])
    const marked = await customs.request('POST', '/v1/records', {
      body: { type: 'foreign.verification', consignment: CONSIGNMENT, data: { ...await fixture('foreign.verification'), document: id }, share: [trader.node.participant] }
    })
    assert.equal(marked.status, 201, await marked.clone().text())
    const mark = await json(marked)
    await until(async () => (await trader.request('GET', `/v1/records/${mark.id}`)).status === 200, 'the trader to receive the mark')
    const atTrader = await json(await trader.request('GET', `/v1/records/${mark.id}`))
    assert.equal(atTrader.verified, true)
    assert.equal(atTrader.type, 'foreign.verification')
    assert.equal(atTrader.issuer, customs.node.participant)
    assert.equal(atTrader.data.document, id)
    assert.equal(atTrader.data.result, 'verified')
    // A trader does not sign one.
    const byTrader = await trader.request('POST', '/v1/records', {
      body: { type: 'foreign.verification', consignment: CONSIGNMENT, data: { ...await fixture('foreign.verification'), document: id } }
    })
    await expectProblem(byTrader, 403, 'not-permitted')
  })
})
