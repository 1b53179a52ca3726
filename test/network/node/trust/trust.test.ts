/**
 * The trust space on the API: authorities certify and revoke; every node judges
 * participants only by certificates of authorities it trusts.
 */
import assert from 'node:assert/strict'
import { openTempNode, type TempNode } from '../../../support/temp-node.js'

async function json (response: Response): Promise<any> {
  return await response.json()
}

describe('trust space', function () {
  this.timeout(30_000)
  let now = Date.now()
  const clock = (): number => now
  let authority: TempNode
  let otherAuthority: TempNode
  let trader: TempNode
  let customs: TempNode

  beforeEach(async () => {
    now = Date.now()
    authority = await openTempNode({ clock, profile: { role: 'authority', name: 'KZ registration authority', country: 'KZ' } })
    otherAuthority = await openTempNode({ clock, profile: { role: 'authority', name: 'BY registration authority', country: 'BY' } })
    trader = await openTempNode({ clock, profile: { role: 'trader' } })
    customs = await openTempNode({ clock, profile: { role: 'agency' } })
  })
  afterEach(async () => {
    for (const t of [authority, otherAuthority, trader, customs]) await t.close()
  })

  const certify = async (by: TempNode, body: Record<string, unknown>): Promise<any> => {
    const response = await by.request('POST', '/v1/trust/certificates', { body })
    assert.equal(response.status, 201, await response.clone().text())
    return await json(response)
  }
  const certificateFor = (t: TempNode, extra: Record<string, unknown> = {}): Record<string, unknown> =>
    ({ participant: t.node.participant, role: 'trader', name: 'Almaty Dried Fruit LLP', country: 'KZ', legalId: '180540012345', ...extra })
  const importInto = async (t: TempNode, view: any): Promise<void> => {
    const response = await t.request('POST', '/v1/records/import', { body: view.record })
    assert.ok(response.status === 201 || response.status === 200, await response.clone().text())
  }
  const statusAt = async (t: TempNode, participant: string): Promise<any> =>
    await json(await t.request('GET', `/v1/trust/participants/${participant}`))
  const trust = async (t: TempNode, a: TempNode): Promise<void> => {
    assert.equal((await t.request('POST', '/v1/trust/authorities', { body: { participant: a.node.participant, name: 'KZ', country: 'KZ' } })).status, 201)
  }

  it('an authority trusts itself; other nodes start with an empty trust list', async () => {
    const list = await json(await authority.request('GET', '/v1/trust/authorities'))
    assert.deepEqual(list.map((a: { participant: string }) => a.participant), [authority.node.participant])
    assert.deepEqual(await json(await customs.request('GET', '/v1/trust/authorities')), [])
  })

  it('takes role, name and country from a valid certificate of a trusted authority only', async () => {
    assert.equal((await statusAt(customs, trader.node.participant)).status, 'absent')
    const certificate = await certify(authority, certificateFor(trader))
    assert.equal(certificate.type, 'trust.certificate')
    assert.equal(certificate.issuer, authority.node.participant)
    await importInto(customs, certificate)
    const untrusted = await statusAt(customs, trader.node.participant)
    assert.equal(untrusted.status, 'untrusted')
    assert.match(untrusted.reason, /not a trusted authority/)
    await trust(customs, authority)
    const valid = await statusAt(customs, trader.node.participant)
    assert.equal(valid.status, 'valid')
    assert.equal(valid.certificate.id, certificate.id)
    assert.equal(valid.certificate.role, 'trader')
    assert.equal(valid.certificate.name, 'Almaty Dried Fruit LLP')
    assert.equal(valid.certificate.country, 'KZ')
    // Taken off the trust list, the authority's word counts for nothing again.
    assert.equal((await customs.request('DELETE', `/v1/trust/authorities/${authority.node.participant}`)).status, 204)
    assert.equal((await statusAt(customs, trader.node.participant)).status, 'untrusted')
    assert.equal((await customs.request('DELETE', `/v1/trust/authorities/${authority.node.participant}`)).status, 404)
  })

  it('reports a certificate past its validUntil as expired', async () => {
    await trust(customs, authority)
    await importInto(customs, await certify(authority, certificateFor(trader, { validUntil: new Date(now + 60_000).toISOString() })))
    assert.equal((await statusAt(customs, trader.node.participant)).status, 'valid')
    now += 120_000
    const expired = await statusAt(customs, trader.node.participant)
    assert.equal(expired.status, 'expired')
    assert.match(expired.reason, /expired at/)
  })

  it('a revocation by the issuer ends the certificate; one by anyone else does not', async () => {
    await trust(customs, authority)
    await trust(customs, otherAuthority)
    const certificate = await certify(authority, certificateFor(trader))
    await importInto(customs, certificate)
    // Another authority cannot revoke what it did not issue, on its own node or anywhere.
    assert.equal((await otherAuthority.request('POST', '/v1/trust/revocations', { body: { certificate: certificate.id, reason: 'not mine' } })).status, 404)
    await importInto(otherAuthority, certificate)
    const refused = await otherAuthority.request('POST', '/v1/trust/revocations', { body: { certificate: certificate.id, reason: 'not mine' } })
    assert.equal(refused.status, 400)
    assert.match((await json(refused)).detail, /only its issuer can revoke it/)
    // A revocation signed by another authority reaches customs: it changes nothing.
    const foreign = await json(await otherAuthority.request('POST', '/v1/records', {
      body: { type: 'trust.revocation', data: { certificate: certificate.id, participant: trader.node.participant, reason: 'forged' } }
    }))
    await importInto(customs, foreign)
    assert.equal((await statusAt(customs, trader.node.participant)).status, 'valid')
    const revocation = await json(await authority.request('POST', '/v1/trust/revocations', { body: { certificate: certificate.id, reason: 'registration withdrawn' } }))
    assert.equal(revocation.type, 'trust.revocation')
    await importInto(customs, revocation)
    const revoked = await statusAt(customs, trader.node.participant)
    assert.equal(revoked.status, 'revoked')
    // A newer certificate from a trusted authority makes the participant valid again.
    await importInto(customs, await certify(otherAuthority, certificateFor(trader, { country: 'BY' })))
    const renewed = await statusAt(customs, trader.node.participant)
    assert.equal(renewed.status, 'valid')
    assert.equal(renewed.certificate.country, 'BY')
  })

  it('only an authority issues certificates; bad requests are refused precisely', async () => {
    const response = await trader.request('POST', '/v1/trust/certificates', { body: certificateFor(customs) })
    assert.equal(response.status, 400)
    assert.match((await json(response)).detail, /only an authority issues certificates/)
    const bad = await authority.request('POST', '/v1/trust/certificates', { body: { ...certificateFor(trader), role: 'pirate' } })
    assert.equal(bad.status, 400)
    assert.equal((await json(bad)).errors[0].path, '/role')
    assert.equal((await customs.request('POST', '/v1/trust/authorities', { body: { participant: 'nobody' } })).status, 400)
    assert.equal((await customs.request('GET', '/v1/trust/participants/nobody')).status, 400)
  })

  it('an authority certifies a legal id to one participant key at a time', async () => {
    const first = await certify(authority, certificateFor(trader))
    const taken = async (body: Record<string, unknown>, path = '/v1/trust/certificates'): Promise<any> => {
      const response = await authority.request('POST', path, { body })
      const problem = await json(response)
      assert.equal(response.status, 409, JSON.stringify(problem))
      assert.equal(problem.type, 'urn:keruen:problem:legal-id-taken')
      return problem
    }
    // Another key under the same legal id, in any case and spacing: refused, naming who holds it and how to free it.
    const refused = await taken(certificateFor(customs, { role: 'agency', name: 'Someone else', legalId: '180 540 012 345' }))
    assert.ok(refused.detail.includes(trader.node.participant), refused.detail)
    assert.ok(refused.detail.includes(first.id), refused.detail)
    assert.match(refused.detail, /revoke that certificate first/)
    // The same refusal whichever route signs the certificate.
    await taken({ type: 'trust.certificate', data: certificateFor(customs) }, '/v1/records')
    // The same key again is a renewal; the same legal id in another country is another registration.
    const renewal = await certify(authority, certificateFor(trader, { name: 'Almaty Dried Fruit LLP (renamed)' }))
    await certify(authority, certificateFor(customs, { country: 'BY' }))
    // With one certificate of the trader revoked, the renewal still holds the legal id; with both, it is free.
    for (const certificate of [first, renewal]) {
      await taken(certificateFor(customs))
      const revoked = await authority.request('POST', '/v1/trust/revocations', { body: { certificate: certificate.id, reason: 'registration transferred' } })
      assert.equal(revoked.status, 201)
    }
    const moved = await certify(authority, certificateFor(customs, { validUntil: new Date(now + 60_000).toISOString() }))
    await taken(certificateFor(trader))
    // Once that certificate has expired, the legal id is free again.
    now += 120_000
    await certify(authority, certificateFor(trader))
    // The directory keeps the whole history of the trader: every certificate, newest first, with its revocations.
    const profile = await json(await authority.request('GET', `/v1/directory/${trader.node.participant}`))
    assert.equal(profile.status, 'valid')
    assert.deepEqual(profile.certificates.map((c: { status: string }) => c.status), ['valid', 'revoked', 'revoked'])
    assert.deepEqual(profile.certificates[2].revocations.map((r: { reason: string }) => r.reason), ['registration transferred'])
    // Customs holds the expired KZ certificate and the BY one, valid, which speaks.
    const other = await json(await authority.request('GET', `/v1/directory/${customs.node.participant}`))
    assert.equal(other.country, 'BY')
    assert.deepEqual(other.certificates.map((c: { id: string, status: string }) => [c.id === moved.id, c.status]).sort(), [[false, 'valid'], [true, 'expired']])
  })

  it('certifies one of two keys asked for the same legal id at once', async () => {
    const answers = await Promise.all([trader, customs].map(async t => await authority.request('POST', '/v1/trust/certificates', { body: certificateFor(t) })))
    assert.deepEqual(answers.map(a => a.status).sort(), [201, 409])
  })

  it('keeps the trust list and certificates across a restart', async () => {
    await trust(customs, authority)
    await importInto(customs, await certify(authority, certificateFor(trader)))
    customs = await customs.reopen()
    assert.equal((await statusAt(customs, trader.node.participant)).status, 'valid')
  })
})
