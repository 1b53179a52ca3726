/**
 * What a node writes is its participant's alone, whatever the umask it is
 * started under; a token left readable by others is tightened like the key.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { chmod, readdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { repoFile } from '../../support/repo.js'
import { tempDir } from '../../support/temp-node.js'

const KERUEN = fileURLToPath(repoFile('scripts/bin/keruen.js'))

/** Runs keruen under umask 000; for `start`, until it says it runs, then SIGTERM. */
async function underOpenUmask (args: string[]): Promise<{ code: number | null, stderr: string }> {
  const child = spawn('sh', ['-c', 'umask 000 && exec "$0" "$@"', process.execPath, KERUEN, ...args], { env: { ...process.env, KERUEN_LOG: 'silent' } })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
    if (args[0] === 'start' && stdout.includes('is running')) child.kill('SIGTERM')
  })
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  const code = await new Promise<number | null>(resolve => child.on('close', resolve))
  return { code, stderr }
}

/** Every file and folder under `dir` whose mode lets others in, with its mode. */
async function openToOthers (dir: string): Promise<string[]> {
  const out: string[] = []
  for (const entry of ['', ...await readdir(dir, { recursive: true })]) {
    const mode = (await stat(join(dir, entry))).mode & 0o777
    if ((mode & 0o077) !== 0) out.push(`${entry === '' ? '.' : entry} ${mode.toString(8)}`)
  }
  return out
}

describe('file modes', function () {
  this.timeout(60_000)
  let dir: string

  beforeEach(async () => { dir = await tempDir() })
  afterEach(async () => { await rm(dir, { recursive: true, force: true }) })

  it('a node initialised and started under umask 000 writes nothing others can read', async () => {
    const data = join(dir, 'trader')
    assert.equal((await underOpenUmask(['init', '--data', data])).code, 0)
    const started = await underOpenUmask(['start', '--data', data, '--api-port', '0', '--p2p-port', '0'])
    assert.equal(started.code, 0, started.stderr)
    // The folder holds the key, the token, the profile, the default grants and the database.
    assert.ok((await readdir(data)).includes('policies.json'))
    assert.deepEqual(await openToOthers(data), [])
  })

  it('tightens an api-token others can read, and says so', async () => {
    const data = join(dir, 'trader')
    assert.equal((await underOpenUmask(['init', '--data', data])).code, 0)
    await chmod(join(data, 'api-token'), 0o644)
    await chmod(data, 0o755)
    const started = await underOpenUmask(['start', '--data', data, '--api-port', '0', '--p2p-port', '0'])
    assert.equal(started.code, 0, started.stderr)
    assert.match(started.stderr, /api-token was open to others \(mode 644\); set to 600/)
    assert.equal((await stat(join(data, 'api-token'))).mode & 0o777, 0o600)
    assert.equal((await stat(data)).mode & 0o777, 0o700)
  })
  it('keeps data folders, keys, tokens, TLS keys and record files out of git, wherever the README\'s walk-through writes them', async function () {
    const root = fileURLToPath(repoFile(''))
    const ignored = async (path: string): Promise<number | null> => await new Promise(resolve => {
      const git = spawn('git', ['check-ignore', '-q', '--no-index', path], { cwd: root })
      git.on('error', () => { resolve(null) })
      git.on('close', resolve)
    })
    if (await ignored('data/node.key') === null) {
      console.log('      skipped: no git here')
      this.skip()
    }
    for (const path of ['data/node.key', 'nodes/kz-exporter/node.key', 'kz-exporter/node.key', 'kz-exporter/api-token', 'data/invoice.cbor', 'invoice.cbor', 'devnet/devnet.json', 'tls/key.pem', 'server.key', 'cert.pem']) {
      assert.equal(await ignored(path), 0, `${path} is ignored`)
    }
    assert.equal(await ignored('record/record.ts'), 1, 'sources are not')
  })
})
