/**
 * keruen command line. Every command answers --help; errors print one line and
 * exit non-zero.
 */
import { ConfigError } from '../node/setup/config.js'
import { DataDirError } from '../node/setup/data-dir.js'
import { PolicyFileError } from '../node/policy/policy-file.js'
import { DatabaseLockedError } from '../storage/index.js'
import { parse, UsageError, type Command } from './cli-support.js'
import { authority } from './commands/authority.js'
import { certificate } from './commands/certificate.js'
import { devnet } from './commands/devnet.js'
import { init } from './commands/init.js'
import { record } from './commands/record.js'
import { start } from './commands/start.js'
import { trust } from './commands/trust.js'

const commands: readonly Command[] = [init, start, record, trust, authority, certificate, devnet]

function mainHelp (): string {
  return [
    'keruen: a peer-to-peer node for the single window of foreign trade',
    '',
    'usage: keruen <command> [options]',
    '',
    ...commands.map(c => `  ${c.name.padEnd(10)} ${c.summary}`),
    '',
    'Run keruen <command> --help for the options of a command.',
    ''
  ].join('\n')
}

async function main (argv: string[]): Promise<void> {
  const [name, ...args] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(mainHelp())
    return
  }
  const command = commands.find(c => c.name === name)
  if (command === undefined) throw new UsageError(`unknown command ${JSON.stringify(name)}; run keruen --help`)
  const { values, positionals } = parse(command, args)
  if (values.help === true) {
    process.stdout.write(`${command.summary}\n\nusage:\n${command.usage.split('\n').map(l => `  ${l}`).join('\n')}\n`)
    return
  }
  await command.run(values, positionals)
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const known = err instanceof UsageError || err instanceof DataDirError || err instanceof PolicyFileError || err instanceof ConfigError || err instanceof DatabaseLockedError
  const address = (err as NodeJS.ErrnoException).code === 'EADDRINUSE'
  if (known || address) {
    process.stderr.write(`keruen: ${(err as Error).message}\n`)
  } else {
    process.stderr.write(`keruen: unexpected error: ${(err as Error).stack ?? String(err)}\n`)
  }
  process.exit(1)
})
