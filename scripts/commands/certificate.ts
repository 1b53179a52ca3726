import { readFile } from 'node:fs/promises'
import { DEFAULT_DATA_DIR, stringOption, UsageError, type CommandValues } from '../cli-support.js'
import { recordFromJson } from '../../record/record-json.js'
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
  // The type is checked before anything is stored: a failed command writes nothing.
  let type: string
  try {
    type = recordFromJson(record).envelope.type
  } catch (err) {
    throw new UsageError(`${file} is not a record in keruen's JSON form: ${(err as Error).message}`, { cause: err })
  }
  if (type !== RecordTypes.trustCertificate && type !== RecordTypes.trustRevocation) {
    throw new UsageError(`${file} holds a ${type} record, not a certificate or revocation; nothing was stored`)
  }
  const message = await withApi(dataDir, async call => {
    const view = await (await call('POST', '/v1/records/import', { body: record })).json() as { id: string, type: string, data: { participant?: string } }
    const node = await (await call('GET', '/v1/node')).json() as { participant: string }
    const subject = view.data.participant ?? ''
    const status = await (await call('GET', `/v1/trust/participants/${subject}`)).json() as { status: string, reason: string }
    const whose = subject === node.participant ? 'this node' : subject
    return `installed ${view.type} ${view.id}; ${whose} is now ${status.status} here (${status.reason})`
  })
  process.stdout.write(`${message}\n`)
}
