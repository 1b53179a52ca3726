/**
 * Node settings and the one validator: every bad setting of config.json or
 * the command line is named at once, and schema faults are reported the same
 * way everywhere, at most 100 of them.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError, DEFAULT_CONFIG, checkConfig, loadConfig } from '../../../../node/setup/config.js'
import { CONFIG_FILE } from '../../../../node/setup/data-dir.js'
import { compileSchema, violationsOf } from '../../../../record/types/validator.js'

describe('node settings', () => {
  it('takes good settings as given and leaves out unset ones', () => {
    assert.deepEqual(checkConfig({ apiPort: 8000, mdns: true, bootstrap: ['/ip4/10.0.0.1/tcp/7448'], durable: undefined }, 'option'),
      { apiPort: 8000, mdns: true, bootstrap: ['/ip4/10.0.0.1/tcp/7448'] })
  })

  it('names every bad setting at once, unknown ones too', () => {
    assert.throws(() => checkConfig({ apiPort: 70_000, mdns: 'yes', colour: 'blue', maxBodyBytes: 10, bootstrap: ['not-an-address'] }, 'config.json'), (err: unknown) => {
      assert.ok(err instanceof ConfigError)
      assert.match(err.message, /^config\.json: /)
      assert.match(err.message, /"apiPort" has an invalid value 70000/)
      assert.match(err.message, /"mdns" has an invalid value "yes"/)
      assert.match(err.message, /"maxBodyBytes" has an invalid value 10/)
      assert.match(err.message, /"bootstrap" has an invalid value \["not-an-address"\]/)
      assert.match(err.message, /unknown setting "colour"/)
      return true
    })
  })

  it('reads config.json over the defaults and the options over both', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'keruen-config-'))
    try {
      await writeFile(join(dir, CONFIG_FILE), JSON.stringify({ apiPort: 9000, p2pPort: 9001 }))
      const config = await loadConfig(dir, { p2pPort: 9100 })
      assert.deepEqual(config, { ...DEFAULT_CONFIG, apiPort: 9000, p2pPort: 9100 })
      await writeFile(join(dir, CONFIG_FILE), JSON.stringify({ apiPort: -1, verifyWorkers: 1000 }))
      await assert.rejects(loadConfig(dir), /"apiPort" has an invalid value -1.*"verifyWorkers" has an invalid value 1000/)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('takes a TLS certificate and key together or neither, config.json\'s relative to the data folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'keruen-config-'))
    try {
      assert.equal((await loadConfig(dir)).tlsCert, undefined)
      await writeFile(join(dir, CONFIG_FILE), JSON.stringify({ tlsCert: 'tls/cert.pem', tlsKey: '/etc/keruen/key.pem' }))
      const config = await loadConfig(dir)
      assert.equal(config.tlsCert, join(dir, 'tls/cert.pem'))
      assert.equal(config.tlsKey, '/etc/keruen/key.pem')
      assert.equal((await loadConfig(dir, { tlsCert: '/srv/cert.pem' })).tlsCert, '/srv/cert.pem', 'an option overrides the file')
      await writeFile(join(dir, CONFIG_FILE), JSON.stringify({ tlsCert: 'cert.pem' }))
      await assert.rejects(loadConfig(dir), (err: unknown) => {
        assert.ok(err instanceof ConfigError)
        assert.match(err.message, /^tlsCert is set but tlsKey is not: give both \(--tls-cert FILE --tls-key FILE, or tlsCert and tlsKey in \S+config\.json\) or neither$/)
        return true
      })
      assert.equal((await loadConfig(dir, { tlsKey: '/srv/key.pem' })).tlsKey, '/srv/key.pem', 'the option gives the key the file lacks')
      await rm(join(dir, CONFIG_FILE))
      await assert.rejects(loadConfig(dir, { tlsKey: '/srv/key.pem' }), /^ConfigError: tlsKey is set but tlsCert is not/)
      await assert.rejects(loadConfig(dir, { tlsKey: '' }), /"tlsKey" has an invalid value ""/)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('schema violations', () => {
  const validate = compileSchema({
    type: 'object',
    properties: { name: { type: 'string' }, list: { type: 'array', items: { type: 'integer' } }, 'a/b': { type: 'string' } },
    required: ['name'],
    additionalProperties: false
  })

  it('says what is missing, what is unknown and what is wrong, each once, keys escaped', () => {
    assert.equal(validate({ list: [1, 'x'], 'a/b': 2, extra: true }), false)
    assert.deepEqual(violationsOf(validate.errors, '/body'), [
      { path: '/body/name', message: 'is required' },
      { path: '/body/extra', message: 'is not a known field' },
      { path: '/body/list/1', message: 'must be integer' },
      { path: '/body/a~1b', message: 'must be string' }
    ])
  })

  it('lists the first 100 and counts the rest', () => {
    assert.equal(validate({ name: 'n', list: Array.from({ length: 250 }, () => 'x') }), false)
    const violations = violationsOf(validate.errors)
    assert.equal(violations.length, 101)
    assert.deepEqual(violations[99], { path: '/list/99', message: 'must be integer' })
    assert.deepEqual(violations[100], { path: '', message: 'and 150 more' })
  })
})
