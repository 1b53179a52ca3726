import { initDataDir } from '../../node/setup/data-dir.js'
import { DEFAULT_DATA_DIR, stringOption, type CommandValues } from '../cli-support.js'
import { join } from 'node:path'

/** keruen init (its options and help: commands/index.ts). */
export async function run (values: CommandValues): Promise<void> {
  const dir = stringOption(values.data) ?? DEFAULT_DATA_DIR
  const name = stringOption(values.name)
  const role = stringOption(values.role)
  const country = stringOption(values.country)
  const legalId = stringOption(values['legal-id'])
  const identity = await initDataDir(dir, {
    ...(name !== undefined && { name }),
    ...(role !== undefined && { role }),
    ...(country !== undefined && { country }),
    ...(legalId !== undefined && { legalId })
  })
  process.stdout.write(`initialised ${dir}: participant ${identity.signer.participant} (${identity.profile.role}, "${identity.profile.name}"), API token in ${join(dir, 'api-token')}\n`)
}
