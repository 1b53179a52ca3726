/**
 * Access policies across real nodes on 127.0.0.1: records go only where the
 * owner's grants let them, each agency receives only the fields granted (the
 * bytes on its disk are checked, not only its API), revocation stops sharing
 * at once, and forged or foreign grants and tampered disclosures are refused.
 */
import assert from 'node:assert/strict'
import { createHash, createPublicKey, verify } from 'node:crypto'
import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { SDJwtInstance } from '@sd-jwt/core'
import {
  base64urlDecode, base64urlEncode, createRecord, dataOf, ed25519Signer, isComplete, parseRecord, participantJwk, pathText, recordFromJson,
  recordToJson, timestamp, verifyRecord, type DataObject, type SignedRecord
} from '../../../../record/index.js'
import { KeruenNode } from '../../../../node/node.js'
import { PolicyFileError } from '../../../../node/policy/policy-file.js'
import { fixture, openTempNode, tempDir, type TempNode } from '../../../support/temp-node.js'
import { certify as certifyBy, connect, json, networkedNode } from '../../../support/network.js'
import { until } from '../../../support/until.js'

const CONSIGNMENT = '6KZ123456789012-POL0001'
const SPS_PURPOSE = 'KZ.sps.phytosanitary-certificate'
const SPS_FIELDS = ['/seller/name', '/lines/*/description', '/lines/*/hsCode', '/lines/*/quantity', '/lines/*/unit', '/lines/*/originCountry']
const PRICE = /unitPrice|amount|totalAmount|charges|payeeAccount|paymentTerms/i

describe('access policies', function () {
  this.timeout(120_000)
  let authority: TempNode
  let trader: TempNode
  let customs: TempNode
  let sps: TempNode
  let invoice: DataObject
  let spsGrant: string
  let customsGrant: string

  const networked = async (role: string): Promise<TempNode> => await networkedNode({ profile: { role } })
  const certify = async (t: TempNode, role: string, competence?: string): Promise<void> => {
    await certifyBy(authority, t, role, competence !== undefined ? { competence } : {})
  }

  const grant = async (body: Record<string, unknown>): Promise<string> => {
    const response = await trader.request('POST', '/v1/policies', { body })
    assert.equal(response.status, 201, await response.clone().text())
    return (await json(response)).id
  }

  const createInvoice = async (): Promise<any> => {
    const response = await trader.request('POST', '/v1/records', { body: { type: 'trade.invoice', consignment: CONSIGNMENT, data: invoice } })
    assert.equal(response.status, 201, await response.clone().text())
    return await json(response)
  }

  /** The exact bytes a node stored for a record. */
  const storedCopy = async (t: TempNode, id: string): Promise<SignedRecord | undefined> => {
    const response = await t.request('GET', `/v1/records/${id}`, { headers: { accept: 'application/cbor' } })
    if (response.status === 404) return undefined
    assert.equal(response.status, 200)
    return parseRecord(new Uint8Array(await response.arrayBuffer()))
  }

  const outboxEmpty = async (): Promise<boolean> => (await json(await trader.request('GET', '/v1/outbox'))).count === 0

  before(async () => {
    invoice = await fixture('trade.invoice')
    authority = await openTempNode({ profile: { role: 'authority', name: 'KZ authority', country: 'KZ' } })
    trader = await networked('trader')
    customs = await networked('agency')
    sps = await networked('agency')
    await certify(trader, 'trader')
    await certify(customs, 'agency', 'customs')
    await certify(sps, 'agency', 'phytosanitary')
    await connect(trader, customs)
    await connect(trader, sps)
    // The directory of certified participants is refreshed when trust records arrive.
    await trader.node.policy.refreshDirectory()
  })
  after(async () => {
    for (const t of [authority, trader, customs, sps]) await t.close()
  })

  it('shares nothing by default', async () => {
    const record = await createInvoice()
    const access = await json(await trader.request('GET', `/v1/records/${record.id}/access`))
    assert.equal(access.default, 'deny')
    assert.deepEqual(access.access, [])
    assert.equal((await json(await trader.request('GET', '/v1/outbox'))).count, 0)
  })

  it('refuses a grant that is not one, naming the field', async () => {
    const bad = await trader.request('POST', '/v1/policies', { body: { types: ['trade.invoice'], to: {}, fields: ['lines'], purpose: 'x' } })
    assert.equal(bad.status, 400)
    const problem = await json(bad)
    const paths = problem.errors.map((e: { path: string }) => e.path)
    assert.ok(paths.includes('/to'), JSON.stringify(problem))
    assert.ok(paths.includes('/fields/0'), JSON.stringify(problem))
    assert.ok(paths.includes('/purpose'), JSON.stringify(problem))
    const unregistered = await trader.request('POST', '/v1/policies', { body: { types: ['trade.nothing'], to: { role: 'agency' }, fields: [''], purpose: SPS_PURPOSE } })
    assert.equal(unregistered.status, 422)
    assert.deepEqual((await json(unregistered)).errors, [{ path: '/types/0', message: 'is not a registered record type' }])
  })

  it('delivers the whole record to customs and only the granted fields to the SPS agency, checked on their disks', async () => {
    customsGrant = await grant({ types: ['trade.invoice'], to: { role: 'agency', competence: 'customs', country: 'KZ' }, fields: [''], purpose: 'KZ.customs.export-declaration' })
    spsGrant = await grant({ types: ['trade.invoice', 'trade.packing-list'], to: { competence: 'phytosanitary' }, fields: SPS_FIELDS, purpose: SPS_PURPOSE })
    const record = await createInvoice()
    await until(async () => (await storedCopy(customs, record.id)) !== undefined && (await storedCopy(sps, record.id)) !== undefined, 'both agencies to hold the invoice')

    const atCustoms = await storedCopy(customs, record.id) as SignedRecord
    verifyRecord(atCustoms)
    assert.equal(isComplete(atCustoms), true)
    assert.deepEqual(dataOf(atCustoms), invoice)

    const atSps = await storedCopy(sps, record.id) as SignedRecord
    verifyRecord(atSps)
    assert.equal(isComplete(atSps), false)
    const paths = atSps.disclosures.map(d => pathText(d.path))
    assert.ok(paths.length > 0)
    assert.deepEqual(paths.filter(p => PRICE.test(p)), [], 'no price reaches the SPS agency')
    // Nothing outside the grant, and every granted field that exists.
    const lines = (invoice.lines as unknown[]).length
    assert.equal(paths.length, 1 + lines * 5)
    assert.ok(paths.every(p => p === '/seller/name' || /^\/lines\/\d+\/(description|hsCode|quantity|unit|originCountry)$/.test(p)), paths.join(' '))
    // No undisclosed value hides anywhere in the stored bytes.
    const storedText = Buffer.from(atSps.bytes).toString('latin1')
    assert.equal(storedText.includes(String((invoice.lines as Array<Record<string, string>>)[0]?.unitPrice)), false)
    assert.equal(storedText.includes(String(invoice.totalAmount)), false)
    // The agency's view says how much it holds.
    const view = await json(await sps.request('GET', `/v1/records/${record.id}`))
    assert.equal(view.verified, true)
    assert.equal(view.complete, false)
    assert.equal(view.fields.disclosed, paths.length)
  })

  it('keeps each agency\'s signed access receipt: who, which fields, for what', async () => {
    const record = await createInvoice()
    await until(outboxEmpty, 'the outbox to empty')
    const reuse = await json(await trader.request('GET', `/v1/records/${record.id}/reuse`))
    assert.equal(reuse.uses, 2)
    const bySps = reuse.entries.find((e: any) => e.receiver === sps.node.participant)
    const byCustoms = reuse.entries.find((e: any) => e.receiver === customs.node.participant)
    assert.equal(bySps.purpose, SPS_PURPOSE)
    assert.equal(bySps.competence, 'phytosanitary')
    assert.ok(bySps.fields.includes('/lines/0/hsCode'))
    assert.equal(bySps.fields.some((f: string) => PRICE.test(f)), false)
    assert.equal(bySps.leaves, bySps.fields.length)
    assert.deepEqual(byCustoms.fields, [''])
    assert.equal(byCustoms.purpose, 'KZ.customs.export-declaration')
    // The receipt is signed by the agency over exactly those fields.
    const receipts = await json(await trader.request('GET', `/v1/records/${record.id}/receipts`))
    const atSps = receipts.find((r: any) => r.receiver === sps.node.participant)
    const receipt = recordFromJson(atSps.record)
    verifyRecord(receipt)
    assert.equal(receipt.envelope.issuer, sps.node.participant)
    assert.deepEqual(dataOf(receipt).records, [{ record: record.id, fields: bySps.fields, purpose: SPS_PURPOSE }])
    assert.deepEqual(atSps.fields, bySps.fields)
    assert.equal(atSps.purpose, SPS_PURPOSE)
  })

  it('explains who may see which fields of a record and which grant decided it', async () => {
    const record = await createInvoice()
    const access = await json(await trader.request('GET', `/v1/records/${record.id}/access`))
    assert.equal(access.owner, trader.node.participant)
    assert.equal(access.access.length, 2)
    const forSps = access.access.find((a: any) => a.participant === sps.node.participant)
    assert.deepEqual(forSps.fields, SPS_FIELDS)
    assert.deepEqual(forSps.grants.map((g: any) => g.id), [spsGrant])
    assert.equal(forSps.role, 'agency')
    const forCustoms = access.access.find((a: any) => a.participant === customs.node.participant)
    assert.deepEqual(forCustoms.fields, [''])
    assert.deepEqual(forCustoms.grants.map((g: any) => g.id), [customsGrant])
    assert.equal(access.access.some((a: any) => a.participant === authority.node.participant), false)
  })

  it('discloses to a participant only what its grants allow, and refuses fields outside them', async () => {
    const record = await createInvoice()
    const disclosed = await json(await trader.request('GET', `/v1/records/${record.id}/disclosure?for=${sps.node.participant}`))
    const partial = recordFromJson(disclosed.record)
    verifyRecord(partial)
    assert.equal(partial.disclosures.some(d => PRICE.test(pathText(d.path))), false)
    assert.ok(partial.disclosures.length > 0)

    const outside = await trader.request('GET', `/v1/records/${record.id}/disclosure?for=${sps.node.participant}&fields=/lines/*/unitPrice,/seller/name`)
    assert.equal(outside.status, 403)
    assert.equal(outside.headers.get('content-type'), 'application/problem+json')
    const problem = await json(outside)
    assert.equal(problem.type, 'urn:keruen:problem:not-permitted')
    assert.deepEqual(problem.errors.map((e: any) => e.path), (invoice.lines as unknown[]).map((_, i) => `/lines/${i}/unitPrice`))

    const nobody = await trader.request('GET', `/v1/records/${record.id}/disclosure?for=${authority.node.participant}`)
    assert.equal(nobody.status, 403)
    const narrowed = await json(await trader.request('GET', `/v1/records/${record.id}/disclosure?for=${sps.node.participant}&fields=/seller/name`))
    assert.deepEqual(recordFromJson(narrowed.record).disclosures.map(d => pathText(d.path)), ['/seller/name'])
  })

  it('exports what the SPS agency may see as an SD-JWT that a standard SD-JWT library verifies', async () => {
    const record = await createInvoice()
    const response = await trader.request('GET', `/v1/records/${record.id}/disclosure?for=${sps.node.participant}&format=sd-jwt`)
    assert.equal(response.status, 200)
    assert.equal(response.headers.get('content-type'), 'application/sd-jwt')
    const token = await response.text()
    const key = createPublicKey({ key: { ...participantJwk(trader.node.participant) }, format: 'jwk' })
    const hasher = (data: string | ArrayBuffer): Uint8Array => new Uint8Array(createHash('sha256').update(typeof data === 'string' ? data : new Uint8Array(data)).digest())
    const sdJwt = new SDJwtInstance({ hasher, verifier: (data, signature) => verify(null, Buffer.from(data), key, Buffer.from(signature, 'base64url')) })
    const { payload } = await sdJwt.verify(token)
    const claims = payload as Record<string, any>
    assert.equal(claims.iss, trader.node.participant)
    assert.equal(claims.keruen.record, record.id)
    assert.equal(claims.seller.name, (invoice.seller as Record<string, string>).name)
    assert.equal(claims.lines[0].hsCode, (invoice.lines as Array<Record<string, string>>)[0]?.hsCode)
    assert.equal(JSON.stringify(claims).match(PRICE), null, 'no price in the SD-JWT')
    assert.equal(token.includes(String(invoice.totalAmount)), false)
    // Without format, the Accept header chooses.
    const byAccept = await trader.request('GET', `/v1/records/${record.id}/disclosure?for=${sps.node.participant}`, { headers: { accept: 'application/json;q=0.5, application/sd-jwt' } })
    assert.equal(byAccept.headers.get('content-type'), 'application/sd-jwt')
    assert.equal((await byAccept.text()).split('~')[0]?.split('.').length, 3)
    // A flipped signature byte fails the same library.
    const [jwt, ...rest] = token.split('~')
    const parts = (jwt as string).split('.')
    const sig = Buffer.from(parts[2] as string, 'base64url')
    sig[0] = (sig[0] as number) ^ 1
    await assert.rejects(sdJwt.verify([`${parts[0]}.${parts[1]}.${sig.toString('base64url')}`, ...rest].join('~')))
  })

  it('refuses a disclosure with a tampered field or a swapped salt', async () => {
    const record = await createInvoice()
    const disclosed = (await json(await trader.request('GET', `/v1/records/${record.id}/disclosure?for=${sps.node.participant}`))).record
    const other = await openTempNode()
    try {
      const tampered = structuredClone(disclosed)
      const hs = tampered.disclosures.findIndex((d: any) => d[1].at(-1) === 'hsCode')
      tampered.disclosures[hs][2] = '999999'
      const first = await other.request('POST', '/v1/records/import', { body: tampered })
      assert.equal(first.status, 400)
      assert.match((await json(first)).detail, /digest-mismatch/)

      const swapped = structuredClone(disclosed)
      const [a, b] = [swapped.disclosures[0], swapped.disclosures[1]]
      ;[a[0], b[0]] = [b[0], a[0]]
      const second = await other.request('POST', '/v1/records/import', { body: swapped })
      assert.equal(second.status, 400)
      assert.match((await json(second)).detail, /digest-mismatch/)
      assert.equal((await other.request('GET', `/v1/records/${record.id}`)).status, 404)
      // The honest partial copy imports.
      assert.equal((await other.request('POST', '/v1/records/import', { body: disclosed })).status, 201)
    } finally {
      await other.close()
    }
  })

  it('ignores a grant signed by someone who does not own the record, and refuses a forged one', async () => {
    // An agency signs a "grant" over the trader's invoices to itself, every field.
    const outsider = ed25519Signer(new Uint8Array(32).fill(7))
    const foreign = createRecord(outsider, {
      type: 'policy.grant',
      issuedAt: timestamp(),
      data: { types: ['trade.invoice'], to: { participant: sps.node.participant }, fields: [''], purpose: SPS_PURPOSE }
    })
    assert.equal((await trader.request('POST', '/v1/records/import', { body: recordToJson(foreign) })).status, 201)
    const forged = recordToJson(foreign)
    const signature = base64urlDecode(forged.signature.value)
    signature[0] = (signature[0] as number) ^ 1
    const refused = await trader.request('POST', '/v1/records/import', { body: { ...forged, envelope: forged.envelope, signature: { ...forged.signature, value: base64urlEncode(signature) } } })
    assert.equal(refused.status, 400)
    assert.match((await json(refused)).detail, /bad-signature/)

    const grants = await json(await trader.request('GET', '/v1/policies'))
    assert.equal(grants.grants.some((g: any) => g.id === foreign.id), false)
    const record = await createInvoice()
    const access = await json(await trader.request('GET', `/v1/records/${record.id}/access`))
    assert.deepEqual(access.access.find((a: any) => a.participant === sps.node.participant).grants.map((g: any) => g.id), [spsGrant])
    await until(async () => (await storedCopy(sps, record.id)) !== undefined, 'the SPS copy')
    assert.equal(isComplete(await storedCopy(sps, record.id) as SignedRecord), false)
  })

  it('stops sharing at once when a grant is revoked, queued deliveries included; what was delivered stays receipted', async () => {
    const delivered = await createInvoice()
    await until(outboxEmpty, 'the outbox to empty')
    // A second SPS office, certified but not yet connected: its share waits in the outbox.
    const sps2 = await networked('agency')
    try {
      await certify(sps2, 'agency', 'phytosanitary')
      const cert = await sps2.node.trust.certificatesOf(sps2.node.participant)
      await trader.request('POST', '/v1/records/import', { body: recordToJson(parseRecord(cert[0] as Uint8Array)) })
      await trader.node.policy.refreshDirectory()
      const queued = await createInvoice()
      const pending = await json(await trader.request('GET', '/v1/outbox'))
      assert.ok(pending.pending.some((p: any) => p.recipient === sps2.node.participant && p.recordId === queued.id))

      const revoked = await trader.request('DELETE', `/v1/policies/${spsGrant}?reason=contract%20cancelled`)
      assert.equal(revoked.status, 200)
      assert.equal((await json(revoked)).status, 'revoked')
      assert.equal((await trader.request('DELETE', `/v1/policies/${spsGrant}`)).status, 409)

      await connect(trader, sps2)
      const after = await createInvoice()
      await until(outboxEmpty, 'the revoked share to be dropped')
      assert.equal(await storedCopy(sps2, queued.id), undefined)
      assert.equal(await storedCopy(sps, after.id), undefined)
      assert.ok(await storedCopy(customs, after.id) !== undefined)
      const reuse = await json(await trader.request('GET', `/v1/records/${delivered.id}/reuse`))
      assert.ok(reuse.entries.some((e: any) => e.receiver === sps.node.participant))
      const access = await json(await trader.request('GET', `/v1/records/${after.id}/access`))
      assert.equal(access.access.some((a: any) => a.participant === sps.node.participant), false)
      const listed = await json(await trader.request('GET', '/v1/policies?status=revoked'))
      assert.deepEqual(listed.grants.map((g: any) => g.id), [spsGrant])
      assert.ok(listed.grants[0].revokedBy)
    } finally {
      await sps2.close()
    }
  })
})

describe('policy file', () => {
  const rules = (purpose: string): unknown => ({
    grants: [
      { name: 'customs', types: ['trade.invoice'], to: { role: 'agency', competence: 'customs' }, fields: [''], purpose: 'KZ.customs.export-declaration' },
      { name: 'sps', types: ['trade.invoice'], to: { competence: 'phytosanitary' }, fields: ['/lines/*/hsCode'], purpose }
    ]
  })

  it('brings the rules into force as signed grants, re-grants what changed and revokes what was removed', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, 'policies.json'), JSON.stringify(rules(SPS_PURPOSE)))
    let t = await openTempNode({}, dir)
    try {
      const byName = (a: { name?: string }, b: { name?: string }): number => (a.name ?? '') < (b.name ?? '') ? -1 : 1
      const first = t.node.policy.list().sort(byName)
      assert.deepEqual(first.map(g => [g.name, g.status]), [['policies.json/customs', 'active'], ['policies.json/sps', 'active']])
      t = await t.reopen()
      assert.deepEqual(t.node.policy.list().sort(byName).map(g => g.id), first.map(g => g.id), 'an unchanged file grants nothing new')

      await writeFile(join(dir, 'policies.json'), JSON.stringify({ grants: [(rules('KZ.sps.import-permit') as any).grants[1]] }))
      t = await t.reopen()
      const now = t.node.policy.list()
      assert.deepEqual(now.map(g => [g.name, g.status]).sort(), [
        ['policies.json/customs', 'revoked'], ['policies.json/sps', 'active'], ['policies.json/sps', 'revoked']
      ])
      assert.equal(now.find(g => g.status === 'active')?.purpose, 'KZ.sps.import-permit')
    } finally {
      await t.close()
    }
  })

  it('refuses to start on a bad file, naming every bad path', async () => {
    const dir = await tempDir()
    try {
      await writeFile(join(dir, 'policies.json'), JSON.stringify({
        grants: [
          { name: 'a', types: ['trade.nothing'], to: { role: 'agency' }, fields: [''], purpose: SPS_PURPOSE },
          { name: 'a', types: ['trade.invoice'], to: {}, fields: ['no-slash'], purpose: SPS_PURPOSE, colour: 'red' }
        ]
      }))
      await assert.rejects(KeruenNode.open({ dataDir: dir, p2p: false, defaultPolicies: false, config: { durable: false, signingWorkers: 0 } }), (err: Error) => {
        assert.ok(err instanceof PolicyFileError)
        assert.match(err.message, /\/grants\/1\/to: must NOT have fewer than 1 properties/)
        assert.match(err.message, /\/grants\/1\/fields\/0: must match pattern/)
        assert.match(err.message, /\/grants\/1\/colour: is not a known field/)
        return true
      })
      await writeFile(join(dir, 'policies.json'), JSON.stringify({
        grants: [
          { name: 'a', types: ['trade.nothing'], to: { role: 'agency' }, fields: [''], purpose: SPS_PURPOSE },
          { name: 'a', types: ['trade.invoice'], to: { role: 'agency' }, fields: [''], purpose: SPS_PURPOSE }
        ]
      }))
      await assert.rejects(KeruenNode.open({ dataDir: dir, p2p: false, defaultPolicies: false, config: { durable: false, signingWorkers: 0 } }), (err: Error) => {
        assert.match(err.message, /\/grants\/0\/types\/0: trade.nothing is not a registered record type/)
        assert.match(err.message, /\/grants\/1\/name: a is used twice/)
        return true
      })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('gives a new trader the documented defaults: customs whole, phytosanitary without prices', async () => {
    const dir = await tempDir()
    const node = await KeruenNode.open({ dataDir: dir, p2p: false, profile: { role: 'trader', country: 'KZ' }, config: { durable: false, signingWorkers: 0 } })
    try {
      const grants = node.policy.list().sort((a, b) => (a.name ?? '') < (b.name ?? '') ? -1 : 1)
      assert.deepEqual(grants.map(g => [g.name, g.to]), [
        ['policies.json/customs', { role: 'agency', competence: 'customs', country: 'KZ' }],
        ['policies.json/phytosanitary', { role: 'agency', competence: 'phytosanitary', country: 'KZ' }]
      ])
      assert.deepEqual(grants[0]?.fields, [''])
      assert.equal(grants[1]?.fields.some(f => PRICE.test(f)), false)
    } finally {
      await node.close()
      await rm(dir, { recursive: true, force: true })
    }
  })
})
