/**
 * The node's log: the readable line's shape, the level checked against the
 * known ones (naming KERUEN_LOG when it is wrong), and JSON lines when the
 * output is not a terminal, written to a fake output stream.
 */
import assert from 'node:assert/strict'
import { createLogger, formatLine, LogLevelError } from '../../../../node/runtime/log.js'

/** An output stream that keeps what is written; a terminal or not. */
function output (isTTY: boolean): NodeJS.WritableStream & { isTTY: boolean, lines: string[] } {
  const lines: string[] = []
  return { isTTY, lines, write: (chunk: string) => { lines.push(String(chunk)); return true } } as unknown as NodeJS.WritableStream & { isTTY: boolean, lines: string[] }
}

describe('unit: log', () => {
  let saved: string | undefined
  beforeEach(() => { saved = process.env.KERUEN_LOG })
  afterEach(() => {
    if (saved === undefined) delete process.env.KERUEN_LOG
    else process.env.KERUEN_LOG = saved
  })

  describe('formatLine', () => {
    it('writes time of day, level, node, message, then the other fields as key=value', () => {
      const line = formatLine({
        level: 40,
        time: '2026-11-02T08:15:30.250Z',
        pid: 1234,
        hostname: 'h',
        node: 'trader',
        msg: 'delivery failed',
        to: '12D3KooWpeer',
        attempts: 3,
        error: 'connection refused',
        p2p: ['/ip4/127.0.0.1/tcp/1']
      })
      assert.equal(line, '08:15:30.250 WARN  [trader] delivery failed to=12D3KooWpeer attempts=3 error="connection refused" p2p=["/ip4/127.0.0.1/tcp/1"]\n')
    })

    it('leaves out the node and the fields when there are none, and shows an unknown level as it is', () => {
      assert.equal(formatLine({ level: 30, time: '2026-11-02T08:15:30.250Z', msg: 'node started' }), '08:15:30.250 INFO  node started\n')
      assert.equal(formatLine({ level: 35, msg: 'odd' }), ' 35    odd\n')
    })
  })

  describe('createLogger', () => {
    it('refuses an unknown level, naming it, the known ones and KERUEN_LOG', () => {
      assert.throws(() => createLogger({ level: 'loud', output: output(false) }), (err: Error) => {
        assert.ok(err instanceof LogLevelError)
        assert.equal(err.code, 'invalid-log-level')
        assert.match(err.message, /"loud"/)
        assert.match(err.message, /fatal, error, warn, info, debug, trace, silent/)
        assert.match(err.message, /KERUEN_LOG/)
        return true
      })
    })

    it('takes its level from KERUEN_LOG when none is given, and refuses a bad one from there too', () => {
      process.env.KERUEN_LOG = 'verbose'
      assert.throws(() => createLogger({ output: output(false) }), /"verbose".*KERUEN_LOG/)
      process.env.KERUEN_LOG = 'warn'
      const out = output(false)
      const logger = createLogger({ output: out })
      logger.info('not shown')
      logger.warn('shown')
      assert.deepEqual(out.lines.map(l => (JSON.parse(l) as { msg: string }).msg), ['shown'])
      // A level given wins over KERUEN_LOG.
      const debug = output(false)
      createLogger({ level: 'debug', output: debug }).debug('shown too')
      assert.equal(debug.lines.length, 1)
    })

    it('writes one JSON line per entry when the output is not a terminal, with no pid or host', () => {
      delete process.env.KERUEN_LOG
      const out = output(false)
      const logger = createLogger({ output: out })
      logger.debug('below info')
      logger.child({ node: 'trader' }).info({ to: 'peer', attempts: 2 }, 'delivery works again')
      assert.equal(out.lines.length, 1)
      assert.ok(out.lines[0]?.endsWith('\n'))
      const entry = JSON.parse(out.lines[0] as string) as Record<string, unknown>
      assert.equal(entry.level, 30)
      assert.equal(entry.msg, 'delivery works again')
      assert.equal(entry.node, 'trader')
      assert.equal(entry.to, 'peer')
      assert.equal(entry.attempts, 2)
      assert.match(String(entry.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
      assert.equal('pid' in entry, false)
      assert.equal('hostname' in entry, false)
    })

    it('writes readable lines to a terminal, or when asked to', () => {
      const tty = output(true)
      createLogger({ level: 'info', output: tty }).info({ to: 'peer' }, 'node started')
      assert.match(tty.lines[0] ?? '', /^\d\d:\d\d:\d\d\.\d{3} INFO {2}node started to=peer\n$/)
      const asked = output(false)
      createLogger({ level: 'info', output: asked, pretty: true }).error('failed')
      assert.match(asked.lines[0] ?? '', /^\d\d:\d\d:\d\d\.\d{3} ERROR failed\n$/)
      const json = output(true)
      createLogger({ level: 'info', output: json, pretty: false }).info('plain')
      assert.equal((JSON.parse(json.lines[0] as string) as { msg: string }).msg, 'plain')
    })
  })
})
