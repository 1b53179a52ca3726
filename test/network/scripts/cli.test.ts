/**
 * The keruen command line as a user runs it: real processes, real files.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readFile, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import https from 'node:https'
import { createRecord, ed25519Signer, recordToJson } from '../../../record/index.js'
import { fixture, openTempNode, tempDir } from '../../support/temp-node.js'
import { collect, KERUEN, keruen } from '../../support/cli.js'
import { until } from '../../support/until.js'
import { certificateOrSkip } from '../../support/tls-cert.js'

describe('command line', function () {
  this.timeout(60_000)
  let dir: string

  beforeEach(async () => { dir = await tempDir() })
  afterEach(async () => { await rm(dir, { recursive: true, force: true }) })

  it('prints help for the program and for every command', async () => {
    const main = await keruen(['--help'])
    assert.equal(main.code, 0)
    for (const name of ['init', 'start', 'record', 'trust', 'authority', 'certificate', 'devnet', 'user', 'token', 'doctor']) {
      assert.match(main.stdout, new RegExp(`\\b${name}\\b`))
      const help = await keruen([name, '--help'])
      assert.equal(help.code, 0)
      assert.match(help.stdout, new RegExp(`keruen ${name}`))
    }
  })

  it('fails with one line and a non-zero exit on bad usage', async () => {
    for (const args of [['fly'], ['init', '--colour', 'red'], ['record'], ['record', 'burn', 'x'], ['start', '--api-port', 'many']]) {
      const run = await keruen(args)
      assert.equal(run.code, 1, args.join(' '))
      assert.equal(run.stderr.trim().split('\n').length, 1, `${args.join(' ')}: ${run.stderr}`)
      assert.match(run.stderr, /^keruen: /)
    }
  })

  it('init creates the key (0600), profile and token, and refuses to run twice', async () => {
    const data = join(dir, 'node')
    const run = await keruen(['init', '--data', data, '--name', 'Almaty Dried Fruit LLP', '--role', 'trader', '--country', 'KZ', '--legal-id', '123456789012'])
    assert.equal(run.code, 0, run.stderr)
    assert.equal((await stat(join(data, 'node.key'))).mode & 0o777, 0o600)
    assert.equal((await stat(join(data, 'api-token'))).mode & 0o777, 0o600)
    const profile = JSON.parse(await readFile(join(data, 'profile.json'), 'utf8'))
    assert.equal(profile.name, 'Almaty Dried Fruit LLP')
    assert.equal(profile.country, 'KZ')
    assert.match(profile.participant, /^12D3KooW/)
    assert.match(run.stdout, new RegExp(profile.participant))
    const again = await keruen(['init', '--data', data])
    assert.equal(again.code, 1)
    assert.match(again.stderr, /already holds a node identity/)
    const badRole = await keruen(['init', '--data', join(dir, 'other'), '--role', 'pirate'])
    assert.equal(badRole.code, 1)
    assert.match(badRole.stderr, /--role must be one of/)
    assert.equal(existsSync(join(dir, 'other', 'node.key')), false)
  })

  it('adds, lists, resets and disables cabinet users, and the password it prints signs in', async () => {
    const data = join(dir, 'node')
    assert.equal((await keruen(['init', '--data', data])).code, 0)
    const added = await keruen(['user', 'add', 'aigerim', '--role', 'declarant', '--name', 'Aigerim Seitkali', '--data', data])
    assert.equal(added.code, 0, added.stderr)
    const password = /password, shown this once: (\S+)$/m.exec(added.stdout)?.[1]
    assert.ok(password !== undefined && password.length >= 20, added.stdout)
    const listed = JSON.parse((await keruen(['user', 'list', '--data', data])).stdout) as Array<Record<string, unknown>>
    assert.deepEqual(listed.map(u => [u.id, u.name, u.role, u.disabled]), [['aigerim', 'Aigerim Seitkali', 'declarant', false]])
    const again = await keruen(['user', 'add', 'aigerim', '--role', 'viewer', '--data', data])
    assert.equal(again.code, 1)
    assert.match(again.stderr, /account aigerim exists already/)
    const reset = await keruen(['user', 'reset', 'aigerim', '--data', data])
    const renewed = /new password for aigerim, shown this once: (\S+)$/m.exec(reset.stdout)?.[1]
    assert.ok(renewed !== undefined && renewed !== password)
    assert.equal((await keruen(['user', 'disable', 'aigerim', '--data', data])).code, 0)
    const node = await openTempNode({}, data)
    try {
      assert.ok('refused' in await node.node.accounts.login('aigerim', renewed, 'test'), 'a disabled account does not sign in')
      await node.node.accounts.reset('aigerim')
    } finally {
      await node.node.close()
    }
    assert.equal((await keruen(['user', 'add', 'x', '--data', data])).code, 1, 'a role is needed')
  })

  it('adds, lists and revokes systems\' API tokens, and the token it prints works with its scopes only', async () => {
    const data = join(dir, 'node')
    assert.equal((await keruen(['init', '--data', data])).code, 0)
    const added = await keruen(['token', 'add', 'erp', '--scope', 'read, write', '--data', data])
    assert.equal(added.code, 0, added.stderr)
    assert.match(added.stdout, /^added token [0-9a-f]{12} "erp" \(read, write\)$/m)
    const secret = /^token, shown this once \(the node keeps only its digest\): (kt_\S+)$/m.exec(added.stdout)?.[1]
    assert.ok(secret !== undefined, added.stdout)
    const listed = JSON.parse((await keruen(['token', 'list', '--data', data])).stdout) as Array<Record<string, unknown>>
    assert.deepEqual(listed.map(k => [k.name, k.scopes, k.revokedAt]), [['erp', ['read', 'write'], undefined]])
    assert.ok(!JSON.stringify(listed).includes(secret), 'the list never shows a token')
    const id = listed[0]?.id as string

    const node = await openTempNode({}, data)
    try {
      assert.equal((await node.request('GET', '/v1/records', { auth: secret })).status, 200)
      assert.equal((await node.request('GET', '/v1/users', { auth: secret })).status, 403, 'accounts need admin')
    } finally {
      await node.node.close()
    }

    const revoked = await keruen(['token', 'revoke', id, '--data', data])
    assert.equal(revoked.code, 0, revoked.stderr)
    assert.match(revoked.stdout, new RegExp(`revoked token ${id} "erp"; it is refused from now on`))
    const after = JSON.parse((await keruen(['token', 'list', '--data', data])).stdout) as Array<Record<string, unknown>>
    assert.match(String(after[0]?.revokedAt), /^\d{4}-\d\d-\d\dT/)

    for (const [args, expected] of [
      [['token', 'add', 'erp', '--data', data], /needs --scope/],
      [['token', 'add', 'erp', '--scope', 'read,fly', '--data', data], /--scope takes some of read, write, decide, admin .*not fly/],
      [['token', 'list', '--scope', 'read', '--data', data], /--scope goes with keruen token add only/],
      [['token', 'revoke', '--data', data], /expected: keruen token add NAME/],
      [['token', 'revoke', '0123456789ab', '--data', data], /404: no token 0123456789ab/],
      [['token', 'burn', 'x', '--data', data], /unknown action "burn"/]
    ] as Array<[string[], RegExp]>) {
      const run = await keruen(args)
      assert.equal(run.code, 1, args.join(' '))
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr)
      assert.match(run.stderr, expected)
    }
  })

  it('adds, gets and verifies records without a running node', async () => {
    const data = join(dir, 'node')
    assert.equal((await keruen(['init', '--data', data, '--country', 'KZ'])).code, 0)
    const file = join(dir, 'invoice.json')
    await writeFile(file, JSON.stringify({ type: 'trade.invoice', consignment: '6KZ123456789012-CLI01', data: await fixture('trade.invoice') }))
    const added = await keruen(['record', 'add', file, '--data', data])
    assert.equal(added.code, 0, added.stderr)
    const record = JSON.parse(added.stdout)
    assert.equal(record.verified, true)

    const got = await keruen(['record', 'get', record.id, '--data', data])
    assert.equal(got.code, 0, got.stderr)
    assert.equal(JSON.parse(got.stdout).id, record.id)

    // The exact bytes, written to a file, verify offline; so does the JSON view.
    const cborFile = join(dir, 'invoice.cbor')
    const child = spawn(process.execPath, [KERUEN, 'record', 'get', record.id, '--data', data, '--cbor'])
    const chunks: Buffer[] = []
    child.stdout.on('data', (c: Buffer) => chunks.push(c))
    assert.equal(await new Promise(resolve => child.on('close', resolve)), 0)
    await writeFile(cborFile, Buffer.concat(chunks))
    const verified = await keruen(['record', 'verify', cborFile])
    assert.equal(verified.code, 0, verified.stderr)
    assert.match(verified.stdout, new RegExp(`verified: ${record.id}`))
    const viewFile = join(dir, 'view.json')
    await writeFile(viewFile, got.stdout)
    assert.equal((await keruen(['record', 'verify', viewFile])).code, 0)

    // One flipped byte in the signed envelope, and verification fails.
    const bytes = Buffer.concat(chunks)
    bytes[40] = (bytes[40] as number) ^ 0x01
    await writeFile(cborFile, bytes)
    const refused = await keruen(['record', 'verify', cborFile])
    assert.equal(refused.code, 1)
    assert.match(refused.stderr, /does not verify/)

    const invalid = join(dir, 'invalid.json')
    await writeFile(invalid, JSON.stringify({ type: 'trade.invoice', data: { number: 7 } }))
    const rejected = await keruen(['record', 'add', invalid, '--data', data])
    assert.equal(rejected.code, 1)
    assert.match(rejected.stderr, /schema/)
    const missing = await keruen(['record', 'get', 'bciqm3mpgtnx4xn7ujbojqm4j7r2y4bbsyj6vbvkhe7fjvvvnmr7uvia', '--data', data])
    assert.equal(missing.code, 1)
  })

  it('authority certify and revoke, certificate install and trust add work together', async () => {
    const kz = join(dir, 'authority')
    const exporter = join(dir, 'exporter')
    assert.equal((await keruen(['init', '--data', kz, '--role', 'authority', '--name', 'KZ authority', '--country', 'KZ'])).code, 0)
    assert.equal((await keruen(['init', '--data', exporter, '--name', 'Almaty Dried Fruit LLP'])).code, 0)
    const authorityId = JSON.parse(await readFile(join(kz, 'profile.json'), 'utf8')).participant as string
    const exporterId = JSON.parse(await readFile(join(exporter, 'profile.json'), 'utf8')).participant as string

    const certFile = join(dir, 'certificate.json')
    const certified = await keruen(['authority', 'certify', '--data', kz, '--participant', exporterId, '--role', 'trader',
      '--name', 'Almaty Dried Fruit LLP', '--country', 'KZ', '--legal-id', '180540012345', '--valid-until', '2030-12-31', '--out', certFile])
    assert.equal(certified.code, 0, certified.stderr)
    const certificateId = /wrote (bciq\S+)/.exec(certified.stdout)?.[1] as string
    assert.ok(certificateId !== undefined, certified.stdout)
    // Another key under the exporter's legal id is refused, in one line naming who holds it.
    const other = ed25519Signer(randomBytes(32)).participant
    const certifyOther = async (): ReturnType<typeof keruen> =>
      await keruen(['authority', 'certify', '--data', kz, '--participant', other, '--role', 'trader', '--name', 'Someone else', '--country', 'KZ', '--legal-id', '180 540 012 345'])
    const taken = await certifyOther()
    assert.equal(taken.code, 1)
    assert.equal(taken.stderr.trim().split('\n').length, 1, taken.stderr)
    assert.match(taken.stderr, new RegExp(`^keruen: 409: legal id "180 540 012 345" in KZ is certified to ${exporterId} by certificate ${certificateId}, .*revoke that certificate first`))

    const untrusted = await keruen(['certificate', 'install', certFile, '--data', exporter])
    assert.equal(untrusted.code, 0, untrusted.stderr)
    assert.match(untrusted.stdout, /this node is now untrusted here/)
    assert.equal((await keruen(['trust', 'add', authorityId, '--name', 'KZ authority', '--country', 'KZ', '--data', exporter])).code, 0)
    // Adding it again without a label keeps the label it has.
    assert.equal((await keruen(['trust', 'add', authorityId, '--data', exporter])).code, 0)
    const listed = await keruen(['trust', 'list', '--data', exporter])
    assert.deepEqual(JSON.parse(listed.stdout).map((a: Record<string, string>) => [a.participant, a.name, a.country]), [[authorityId, 'KZ authority', 'KZ']])
    assert.match((await keruen(['certificate', 'install', certFile, '--data', exporter])).stdout, /this node is now valid here/)

    const revocationFile = join(dir, 'revocation.json')
    const revoked = await keruen(['authority', 'revoke', '--data', kz, '--certificate', certificateId, '--reason', 'registration withdrawn', '--out', revocationFile])
    assert.equal(revoked.code, 0, revoked.stderr)
    assert.match((await keruen(['certificate', 'install', revocationFile, '--data', exporter])).stdout, /is now revoked here/)
    // Revoked, the exporter's certificate no longer holds the legal id.
    const freed = await certifyOther()
    assert.equal(freed.code, 0, freed.stderr)

    // A record that is no certificate is refused whole: nothing is stored.
    const invoice = createRecord(ed25519Signer(randomBytes(32)), { type: 'trade.invoice', issuedAt: '2026-11-20T09:00:00.000Z', consignment: '6KZ123456789012-CLI03', data: await fixture('trade.invoice') })
    const invoiceFile = join(dir, 'invoice.json')
    await writeFile(invoiceFile, JSON.stringify(recordToJson(invoice)))
    const wrong = await keruen(['certificate', 'install', invoiceFile, '--data', exporter])
    assert.equal(wrong.code, 1)
    assert.match(wrong.stderr, /holds a trade\.invoice record, not a certificate or revocation; nothing was stored/)
    assert.equal((await keruen(['record', 'get', invoice.id, '--data', exporter])).code, 1, 'the invoice was not stored')

    const notAuthority = await keruen(['authority', 'certify', '--data', exporter, '--participant', authorityId, '--role', 'trader', '--name', 'X', '--country', 'KZ'])
    assert.equal(notAuthority.code, 1)
    assert.match(notAuthority.stderr, /only an authority issues certificates/)
    const missing = await keruen(['authority', 'certify', '--data', kz, '--role', 'trader'])
    assert.equal(missing.code, 1)
    assert.match(missing.stderr, /--participant is required/)
  })

  it('start runs the node, serves the API, and stops cleanly on SIGTERM', async () => {
    const data = join(dir, 'node')
    const child = spawn(process.execPath, [KERUEN, 'start', '--data', data, '--api-port', '0', '--p2p-port', '0'])
    let stdout = ''
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString() })
    const exited = collect(child)
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no API line in: ${stdout}`)), 30_000)
        child.stdout.on('data', () => {
          const match = /API\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)
          if (match !== null) { clearTimeout(timer); resolve(match[1] as string) }
        })
      })
      assert.match(stdout, /p2p\s+\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\/12D3KooW/)
      assert.equal((await fetch(`${url}/healthz`)).status, 200)
      const token = (await readFile(join(data, 'api-token'), 'utf8')).trim()
      const node = await (await fetch(`${url}/v1/node`, { headers: { authorization: `Bearer ${token}` } })).json() as { participant: string }
      assert.match(node.participant, /^12D3KooW/)

      // While the node runs, record commands go through its API.
      const file = join(dir, 'invoice.json')
      await writeFile(file, JSON.stringify({ type: 'trade.invoice', consignment: '6KZ123456789012-CLI02', data: await fixture('trade.invoice') }))
      const added = await keruen(['record', 'add', file, '--data', data])
      assert.equal(added.code, 0, added.stderr)
      const id = JSON.parse(added.stdout).id as string
      assert.equal((await fetch(`${url}/v1/records/${id}`, { headers: { authorization: `Bearer ${token}` } })).status, 200)
    } finally {
      child.kill('SIGTERM')
    }
    const run = await exited
    assert.equal(run.code, 0, run.stderr)
    assert.equal(existsSync(join(data, 'api.json')), false)
  })

  it('start with --tls-cert and --tls-key serves HTTPS, and the other commands reach the node through it', async function () {
    const { certFile, keyFile } = await certificateOrSkip(this, dir)
    const ca = await readFile(certFile, 'utf8')
    const data = join(dir, 'node')
    const child = spawn(process.execPath, [KERUEN, 'start', '--data', data, '--api-port', '0', '--p2p-port', '0', '--tls-cert', certFile, '--tls-key', keyFile])
    let stdout = ''
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString() })
    const exited = collect(child)
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no API line in: ${stdout}`)), 30_000)
        child.stdout.on('data', () => {
          const match = /API\s+(https:\/\/127\.0\.0\.1:\d+)/.exec(stdout)
          if (match !== null) { clearTimeout(timer); resolve(match[1] as string) }
        })
      })
      assert.match(stdout, /web\s+https:\/\/127\.0\.0\.1:\d+\//)
      const runtime = JSON.parse(await readFile(join(data, 'api.json'), 'utf8')) as { url: string, certificate?: string }
      assert.equal(runtime.url, url)
      assert.equal(runtime.certificate, ca, 'the other commands learn which certificate to trust')
      const health = await new Promise<number>((resolve, reject) => {
        https.get(`${url}/healthz`, { ca }, response => { response.resume(); resolve(response.statusCode ?? 0) }).on('error', reject)
      })
      assert.equal(health, 200)

      // The node holds the database: these answers came through its HTTPS API.
      const added = await keruen(['token', 'add', 'erp', '--scope', 'read', '--data', data])
      assert.equal(added.code, 0, added.stderr)
      const listed = await keruen(['token', 'list', '--data', data])
      assert.equal(listed.code, 0, listed.stderr)
      assert.deepEqual((JSON.parse(listed.stdout) as Array<{ name: string }>).map(k => k.name), ['erp'])
    } finally {
      child.kill('SIGTERM')
    }
    const run = await exited
    assert.equal(run.code, 0, run.stderr)
  })

  it('devnet runs an authority and five certified participants that deliver to each other, and stops on SIGTERM', async () => {
    const net = join(dir, 'net')
    const child = spawn(process.execPath, [KERUEN, 'devnet', '--dir', net])
    let stdout = ''
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString() })
    const exited = collect(child)
    try {
      await until(() => /Ctrl-C stops every node/.test(stdout), 'the devnet table', 60_000)
      const nodes = JSON.parse(await readFile(join(net, 'devnet.json'), 'utf8')) as Array<{ name: string, role: string, participant: string, api: string, token: string }>
      assert.deepEqual(nodes.map(n => n.role), ['authority', 'trader', 'carrier', 'agency', 'agency', 'bank'])
      for (const n of nodes) assert.match(stdout, new RegExp(n.participant))
      const [trader, customs] = [nodes[1], nodes[3]] as [typeof nodes[0], typeof nodes[0]]
      const call = async (n: typeof trader, path: string, init: RequestInit = {}): Promise<Response> =>
        await fetch(`${n.api}${path}`, { ...init, headers: { authorization: `Bearer ${n.token}`, 'content-type': 'application/json' } })
      const peers = await (await call(customs, '/v1/peers')).json() as Array<{ participant: string, admitted: boolean, certificate: string }>
      assert.ok(peers.some(p => p.participant === trader.participant && p.admitted && p.certificate === 'valid'), JSON.stringify(peers))
      const created = await (await call(trader, '/v1/records', {
        method: 'POST',
        body: JSON.stringify({ type: 'trade.invoice', consignment: '6KZ123456789012-NET01', data: await fixture('trade.invoice'), share: [customs.participant] })
      })).json() as { id: string }
      await until(async () => (await call(customs, `/v1/records/${created.id}`)).status === 200, 'the invoice to reach customs')
      // Each node's cabinet has its first person, whose login and password the table shows.
      const people = JSON.parse(await readFile(join(net, 'devnet.json'), 'utf8')) as Array<{ cabinet: { url: string, login: string, password: string } }>
      assert.deepEqual(people.map(n => n.cabinet.login), ['admin', 'declarant', 'declarant', 'officer', 'officer', 'officer'])
      const officer = (people[3] as typeof people[0]).cabinet
      assert.match(stdout, new RegExp(`officer\\s+${officer.password}`))
      const signedIn = await fetch(`${officer.url}login`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ login: officer.login, password: officer.password }) })
      assert.equal(signedIn.status, 303)
      assert.match(signedIn.headers.get('set-cookie') ?? '', /keruen_session=/)
    } finally {
      child.kill('SIGTERM')
    }
    const run = await exited
    assert.equal(run.code, 0, run.stderr)
    assert.match(run.stdout, /stopping 6 nodes/)
  })
})
