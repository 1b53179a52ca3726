import { DEFAULT_DATA_DIR, printJson, stringOption, UsageError, type CommandValues } from '../cli-support.js'
import { withApi } from '../local-node.js'

/** keruen user (its options and help: commands/index.ts). */
export async function run (values: CommandValues, positionals: string[]): Promise<void> {
  const [action, id, ...rest] = positionals
  const dataDir = stringOption(values.data) ?? DEFAULT_DATA_DIR
  if (rest.length > 0 || (action !== 'list' && id === undefined) || (action === 'list' && id !== undefined)) {
    throw new UsageError('expected: keruen user add LOGIN --role R | list | disable LOGIN | reset LOGIN; see keruen user --help')
  }
  const login = encodeURIComponent(id ?? '')
  switch (action) {
    case 'add': {
      const role = stringOption(values.role)
      if (role === undefined) throw new UsageError('keruen user add needs --role admin|declarant|officer|viewer')
      const name = stringOption(values.name)
      const made = await withApi(dataDir, async call => await (await call('POST', '/v1/users', { body: { id, role, ...(name !== undefined && { name }) } })).json()) as { account: { id: string, role: string }, password: string }
      process.stdout.write(`added ${made.account.id} (${made.account.role}); password, shown this once: ${made.password}\n`)
      return
    }
    case 'list':
      printJson(await withApi(dataDir, async call => await (await call('GET', '/v1/users')).json()))
      return
    case 'disable':
      await withApi(dataDir, async call => await call('POST', `/v1/users/${login}/disable`))
      process.stdout.write(`disabled ${id}; its sessions are ended\n`)
      return
    case 'reset': {
      const made = await withApi(dataDir, async call => await (await call('POST', `/v1/users/${login}/reset`)).json()) as { password: string }
      process.stdout.write(`new password for ${id}, shown this once: ${made.password}\n`)
      return
    }
    default:
      throw new UsageError(`unknown action ${JSON.stringify(action)}; expected add, list, disable or reset`)
  }
}
