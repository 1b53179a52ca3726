/** keruen token: the API tokens of the participant's systems (its options and help: commands/index.ts). */
import { TOKEN_SCOPES, type ApiToken } from '../../node/accounts/account-service.js'
import { DEFAULT_DATA_DIR, printJson, stringOption, UsageError, type CommandValues } from '../cli-support.js'
import { withApi } from '../local-node.js'

const USAGE = 'expected: keruen token add NAME --scope read,write,decide,admin | list | revoke ID; see keruen token --help'

/** The scopes of --scope: some of TOKEN_SCOPES, comma-separated. */
function scopesOf (value: string | boolean | undefined): string[] {
  const given = stringOption(value)
  if (given === undefined) throw new UsageError(`keruen token add needs --scope, some of ${TOKEN_SCOPES.join(', ')} separated by commas`)
  const scopes = [...new Set(given.split(',').map(s => s.trim()).filter(s => s !== ''))]
  const unknown = scopes.filter(s => !(TOKEN_SCOPES as readonly string[]).includes(s))
  if (scopes.length === 0 || unknown.length > 0) {
    throw new UsageError(`--scope takes some of ${TOKEN_SCOPES.join(', ')} separated by commas${unknown.length > 0 ? `, not ${unknown.join(', ')}` : ''}`)
  }
  return scopes
}

export async function run (values: CommandValues, positionals: string[]): Promise<void> {
  const [action, arg, ...rest] = positionals
  const dataDir = stringOption(values.data) ?? DEFAULT_DATA_DIR
  if (rest.length > 0 || (action !== 'list' && arg === undefined) || (action === 'list' && arg !== undefined)) throw new UsageError(USAGE)
  if (action !== 'add' && values.scope !== undefined) throw new UsageError(`--scope goes with keruen token add only; ${USAGE}`)
  switch (action) {
    case 'add': {
      const body = { name: arg, scopes: scopesOf(values.scope) }
      const made = await withApi(dataDir, async call => await (await call('POST', '/v1/tokens', { body })).json()) as { token: ApiToken, secret: string }
      process.stdout.write(
        `added token ${made.token.id} "${made.token.name}" (${made.token.scopes.join(', ')})\n` +
        `token, shown this once (the node keeps only its digest): ${made.secret}\n`
      )
      return
    }
    case 'list':
      printJson(await withApi(dataDir, async call => await (await call('GET', '/v1/tokens')).json()))
      return
    case 'revoke': {
      const revoked = await withApi(dataDir, async call => await (await call('POST', `/v1/tokens/${encodeURIComponent(arg as string)}/revoke`)).json()) as ApiToken
      process.stdout.write(`revoked token ${revoked.id} "${revoked.name}"; it is refused from now on\n`)
      return
    }
    default:
      throw new UsageError(`unknown action ${JSON.stringify(action)}; expected add, list or revoke`)
  }
}
