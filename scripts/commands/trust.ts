import { DEFAULT_DATA_DIR, printJson, stringOption, UsageError, type CommandValues } from '../cli-support.js'
import { withApi } from '../local-node.js'

/** keruen trust (its options and help: commands/index.ts). */
export async function run (values: CommandValues, positionals: string[]): Promise<void> {
  const [action, id, ...rest] = positionals
  const dataDir = stringOption(values.data) ?? DEFAULT_DATA_DIR
  if (rest.length > 0 || (action !== 'list' && id === undefined) || (action === 'list' && id !== undefined)) {
    throw new UsageError('expected: keruen trust add ID | list | remove ID; see keruen trust --help')
  }
  switch (action) {
    case 'add': {
      const name = stringOption(values.name)
      const country = stringOption(values.country)
      const body = { participant: id, ...(name !== undefined && { name }), ...(country !== undefined && { country }) }
      printJson(await withApi(dataDir, async call => await (await call('POST', '/v1/trust/authorities', { body })).json()))
      return
    }
    case 'list':
      printJson(await withApi(dataDir, async call => await (await call('GET', '/v1/trust/authorities')).json()))
      return
    case 'remove':
      await withApi(dataDir, async call => await call('DELETE', `/v1/trust/authorities/${encodeURIComponent(id as string)}`))
      process.stdout.write(`no longer trusting ${id}\n`)
      return
    default:
      throw new UsageError(`unknown action ${JSON.stringify(action)}; expected add, list or remove`)
  }
}
