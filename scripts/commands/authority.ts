import { writeFile } from 'node:fs/promises'
import type { RecordView } from '../../node/records/record-view.js'
import { DEFAULT_DATA_DIR, stringOption, UsageError, type CommandValues } from '../cli-support.js'
import { withApi } from '../local-node.js'

/** Writes the signed record (JSON transport form) to --out, or prints it. */
async function emit (view: RecordView, out: string | undefined): Promise<void> {
  const text = `${JSON.stringify(view.record, null, 2)}\n`
  if (out === undefined) {
    process.stdout.write(text)
  } else {
    await writeFile(out, text)
    process.stdout.write(`wrote ${view.id} to ${out}\n`)
  }
}

/** keruen authority (its options and help: commands/index.ts). */
export async function run (values: CommandValues, positionals: string[]): Promise<void> {
  const [action, ...rest] = positionals
  if (rest.length > 0) throw new UsageError('expected: keruen authority certify | revoke; see keruen authority --help')
  const dataDir = stringOption(values.data) ?? DEFAULT_DATA_DIR
  const out = stringOption(values.out)
  const require = (name: string): string => {
    const value = stringOption(values[name])
    if (value === undefined) throw new UsageError(`--${name} is required; see keruen authority --help`)
    return value
  }
  switch (action) {
    case 'certify': {
      const optional = (name: string, key: string): Record<string, string> => {
        const value = stringOption(values[name])
        return value === undefined ? {} : { [key]: value }
      }
      const body = {
        participant: require('participant'),
        role: require('role'),
        name: require('name'),
        country: require('country'),
        ...optional('legal-id', 'legalId'),
        ...optional('competence', 'competence'),
        ...optional('aeo', 'aeo'),
        ...optional('valid-until', 'validUntil')
      }
      await emit(await withApi(dataDir, async call => await (await call('POST', '/v1/trust/certificates', { body })).json() as RecordView), out)
      return
    }
    case 'revoke': {
      const body = { certificate: require('certificate'), reason: require('reason') }
      await emit(await withApi(dataDir, async call => await (await call('POST', '/v1/trust/revocations', { body })).json() as RecordView), out)
      return
    }
    default:
      throw new UsageError(`unknown action ${JSON.stringify(action)}; expected certify or revoke`)
  }
}
