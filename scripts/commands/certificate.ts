import { readFile } from 'node:fs/promises'
import { DEFAULT_DATA_DIR, stringOption, UsageError, type CommandValues } from '../cli-support.js'
import { RecordTypes } from '../../record/types/names.js'
import { withApi } from '../local-node.js'

/** keruen certificate (its options and help: commands/index.ts). */
export async function run (values: CommandValues, positionals: string[]): Promise<void> {
  const [action, file, ...rest] = positionals
  if (action !== 'install' || file === undefined || rest.length > 0) throw new UsageError('expected: keruen certificate install FILE; see keruen certificate --help')
  const dataDir = stringOption(values.data) ?? DEFAULT_DATA_DIR
  let record: unknown
  try {
    record = JSON.parse(await readFile(file, 'utf8'))
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`, { cause: err })
  }
  const message = await withApi(dataDir, async call => {
    const view = await (await call('POST', '/v1/records/import', { body: record })).json() as { id: string, type: string, data: { participant?: string } }
    if (view.type !== RecordTypes.trustCertificate && view.type !== RecordTypes.trustRevocation) {
      throw new UsageError(`${file} holds a ${view.type} record, not a certificate or revocation (it was stored all the same)`)
    }
    const node = await (await call('GET', '/v1/node')).json() as { participant: string }
    const subject = view.data.participant ?? ''
    const status = await (await call('GET', `/v1/trust/participants/${subject}`)).json() as { status: string, reason: string }
    const whose = subject === node.participant ? 'this node' : subject
    return `installed ${view.type} ${view.id}; ${whose} is now ${status.status} here (${status.reason})`
  })
  process.stdout.write(`${message}\n`)
}
