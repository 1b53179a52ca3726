import { writeFile } from 'node:fs/promises'
import type { RecordView } from '../../node/records/record-view.js'
import { DEFAULT_DATA_DIR, stringOption, UsageError, type Command } from '../cli-support.js'
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

export const authority: Command = {
  name: 'authority',
  summary: 'issue and revoke participant certificates (on an authority node)',
  usage: [
    'keruen authority certify --participant ID --role R --name N --country XX [--legal-id ID] [--competence C] [--valid-until DATE] [--out FILE] [--data DIR]',
    'keruen authority revoke --certificate RECORD_ID --reason TEXT [--out FILE] [--data DIR]',
    '',
    'The certificate or revocation is printed (or written to FILE) as a signed record in JSON transport form;',
    'the participant installs it with keruen certificate install FILE.'
  ].join('\n'),
  options: {
    data: { type: 'string' },
    participant: { type: 'string' },
    role: { type: 'string' },
    name: { type: 'string' },
    country: { type: 'string' },
    'legal-id': { type: 'string' },
    competence: { type: 'string' },
    'valid-until': { type: 'string' },
    certificate: { type: 'string' },
    reason: { type: 'string' },
    out: { type: 'string' }
  },
  async run (values, positionals) {
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
}
