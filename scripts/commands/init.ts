import { initDataDir } from '../../node/setup/data-dir.js'
import { DEFAULT_DATA_DIR, stringOption, type Command } from '../cli-support.js'
import { join } from 'node:path'

export const init: Command = {
  name: 'init',
  summary: 'create a data folder: key, profile and API token',
  usage: 'keruen init [--data DIR] [--name NAME] [--role trader|carrier|agency|authority|broker|bank] [--country XX] [--legal-id ID]',
  options: {
    data: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string' },
    country: { type: 'string' },
    'legal-id': { type: 'string' }
  },
  async run (values) {
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
}
