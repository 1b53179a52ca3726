/**
 * Every failure an operator can cause when starting a node is one line that
 * names the fix, with no stack trace, and the failed start signs nothing.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { cp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { BLOB_DIR, DB_DIR } from '../../../node/setup/data-dir.js'
import { Database, RecordStore } from '../../../storage/index.js'
import { KERUEN, keruen, type Run } from '../../support/cli.js'
import { tempDir } from '../../support/temp-node.js'
import { tmpfsOrSkip } from '../../support/tmpfs.js'
import { certificateOrSkip } from '../../support/tls-cert.js'

/** keruen with its log silenced: what is checked is the one line on standard error. */
async function quiet (args: string[]): Promise<Run> {
  return await keruen(args, { KERUEN_LOG: 'silent' })
}

async function listening (): Promise<{ server: Server, port: number }> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  assert.ok(address !== null && typeof address === 'object')
  return { server, port: address.port }
}

async function recordsIn (data: string): Promise<number> {
  const db = await Database.open(join(data, DB_DIR), { durable: false, blobs: join(data, BLOB_DIR) })
  try {
    return (await new RecordStore(db).list({ limit: 10 })).records.length
  } finally {
    await db.close()
  }
}

describe('starting a node, failures the operator can fix', function () {
  this.timeout(60_000)
  let dir: string

  beforeEach(async () => { dir = await tempDir() })
  afterEach(async () => { await rm(dir, { recursive: true, force: true }) })

  /** The run failed with exactly one line on standard error, matching `expected`. */
  function oneLine (run: { code: number | null, stderr: string }, expected: RegExp): void {
    assert.equal(run.code, 1, run.stderr)
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr)
    assert.match(run.stderr, expected)
    assert.doesNotMatch(run.stderr, /unexpected error|\n\s+at /)
  }

  it('a p2p port in use: names the option, and the trader\'s default grants are not signed', async () => {
    const { server, port } = await listening()
    try {
      const data = join(dir, 'trader')
      oneLine(await quiet(['start', '--data', data, '--api-port', '0', '--p2p-port', String(port)]), new RegExp(`p2p port ${port} .*is in use: pass --p2p-port`))
      assert.ok(existsSync(join(data, 'policies.json')), 'the folder was initialised, with the rules a trader starts with')
      assert.equal(await recordsIn(data), 0, 'the failed start signed nothing')
    } finally {
      server.close()
    }
  })

  it('an API port in use: names the option, before the data folder is touched', async () => {
    const { server, port } = await listening()
    try {
      oneLine(await quiet(['start', '--data', join(dir, 'n'), '--api-port', String(port), '--p2p-port', '0']), new RegExp(`API port ${port} .*is in use: pass --api-port`))
      assert.equal(existsSync(join(dir, 'n')), false, 'no data folder was made')
    } finally {
      server.close()
    }
  })

  it('an unreadable key, a missing token, another participant\'s database', async () => {
    const a = join(dir, 'a')
    const b = join(dir, 'b')
    assert.equal((await quiet(['init', '--data', a])).code, 0)
    assert.equal((await quiet(['init', '--data', b])).code, 0)
    // Each folder gets its database on a first open, with nothing listening.
    for (const data of [a, b]) await (await Database.open(join(data, DB_DIR), { durable: false })).close()
    const start = (data: string): string[] => ['start', '--data', data, '--api-port', '0', '--p2p-port', '0']

    const key = await readFile(join(a, 'node.key'), 'utf8')
    await writeFile(join(a, 'node.key'), 'not a key\n')
    oneLine(await quiet(start(a)), /node\.key is not a readable private key .*restore it from a backup/)
    await writeFile(join(a, 'node.key'), key)

    const token = await readFile(join(a, 'api-token'), 'utf8')
    await rm(join(a, 'api-token'))
    oneLine(await quiet(start(a)), /api-token cannot be read \(ENOENT\): write a new token/)
    await writeFile(join(a, 'api-token'), token)

    // a's first start claims its database; b's then holds a's.
    const first = spawn(process.execPath, [KERUEN, ...start(a)], { env: { ...process.env, KERUEN_LOG: 'silent' } })
    await new Promise<void>(resolve => first.stdout.on('data', () => { resolve() }))
    first.kill('SIGTERM')
    await new Promise(resolve => first.on('close', resolve))
    await rm(join(b, DB_DIR), { recursive: true })
    await cp(join(a, DB_DIR), join(b, DB_DIR), { recursive: true })
    oneLine(await quiet(start(b)), /the database belongs to participant \S+, not to this folder's key \S+: put back the node\.key that goes with it/)
  })

  it('bad settings, every one named at once, and a bad log level', async () => {
    const data = join(dir, 'n')
    assert.equal((await quiet(['init', '--data', data])).code, 0)
    await writeFile(join(data, 'config.json'), JSON.stringify({ apiPort: 'x', durable: 3, colour: 'red' }))
    const run = await quiet(['start', '--data', data])
    oneLine(run, /config\.json/)
    for (const name of ['apiPort', 'durable', 'colour']) assert.match(run.stderr, new RegExp(name))
    oneLine(await quiet(['start', '--data', data, '--log-level', 'loud']), /log level "loud" is not one of .*--log-level or set KERUEN_LOG/)
  })
  it('a TLS certificate without its key or the other way round, a missing, unreadable or non-PEM file, a key of another certificate: before the data folder is touched', async function () {
    const { certFile, keyFile } = await certificateOrSkip(this, dir)
    const other = await certificateOrSkip(this, dir, 'other')
    const data = join(dir, 'n')
    const start = (...tls: string[]): string[] => ['start', '--data', data, '--api-port', '0', '--p2p-port', '0', ...tls]
    oneLine(await quiet(start('--tls-cert', certFile)), /tlsCert is set but tlsKey is not: give both \(--tls-cert FILE --tls-key FILE, or tlsCert and tlsKey in \S+config\.json\) or neither/)
    oneLine(await quiet(start('--tls-key', keyFile)), /tlsKey is set but tlsCert is not/)
    const missing = join(dir, 'missing.pem')
    oneLine(await quiet(start('--tls-cert', missing, '--tls-key', keyFile)), new RegExp(`cannot read the TLS certificate ${missing} \\(ENOENT\\): pass --tls-cert`))
    oneLine(await quiet(start('--tls-cert', certFile, '--tls-key', dir)), new RegExp(`cannot read the TLS key ${dir} \\(EISDIR\\): pass --tls-key`))
    const garbage = join(dir, 'garbage.pem')
    await writeFile(garbage, 'not a certificate\n')
    oneLine(await quiet(start('--tls-cert', garbage, '--tls-key', keyFile)), new RegExp(`the TLS certificate ${garbage} is not in PEM form`))
    await writeFile(garbage, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')
    oneLine(await quiet(start('--tls-cert', garbage, '--tls-key', keyFile)), new RegExp(`the TLS certificate ${garbage} is not a readable certificate`))
    oneLine(await quiet(start('--tls-cert', certFile, '--tls-key', garbage)), new RegExp(`the TLS key ${garbage} is not a readable private key`))
    oneLine(await quiet(start('--tls-cert', certFile, '--tls-key', other.keyFile)), new RegExp(`the TLS key ${other.keyFile} does not go with the certificate ${certFile}`))
    assert.equal(existsSync(data), false, 'no data folder was made')

    // config.json names its files relative to the data folder, and is held to the same rules.
    assert.equal((await quiet(['init', '--data', data])).code, 0)
    await writeFile(join(data, 'config.json'), JSON.stringify({ tlsKey: 'key.pem' }))
    oneLine(await quiet(start()), /tlsKey is set but tlsCert is not/)
    await writeFile(join(data, 'config.json'), JSON.stringify({ tlsCert: 'cert.pem', tlsKey: 'key.pem' }))
    oneLine(await quiet(start()), new RegExp(`cannot read the TLS certificate ${join(data, 'cert.pem')} \\(ENOENT\\)`))
  })

  it('a full or read-only disk under the data folder, new or used', async function () {
    const disk = await tmpfsOrSkip(this, 4 * 1024 * 1024)
    try {
      const used = join(disk.dir, 'used')
      assert.equal((await quiet(['init', '--data', used])).code, 0)
      const start = (data: string): string[] => ['start', '--data', data, '--api-port', '0', '--p2p-port', '0']
      await disk.fill()
      oneLine(await quiet(start(used)), /cannot open the database: the disk holding \S+used\/db is full/)
      oneLine(await quiet(start(join(disk.dir, 'new'))), /cannot use the data folder: the disk holding \S+new is full/)
      await disk.free()
      await disk.remount('ro')
      oneLine(await quiet(start(used)), /cannot open the database: \S+used\/db is on a read-only file system/)
      oneLine(await quiet(start(join(disk.dir, 'new'))), /cannot use the data folder: \S+new is on a read-only file system/)
    } finally {
      await disk.unmount()
    }
  })
})
