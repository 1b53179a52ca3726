/**
 * keruen command line. Every command answers --help; errors print one line and
 * exit non-zero.
 */
import { parse, UsageError } from './cli-support.js'
import { commands } from './commands/index.js'

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
  const { run } = await command.load()
  await run(values, positionals)
}

/**
 * Errors the user can act on: printed as one line. The modules that define
 * those of the node are loaded here, on failure only, so that a command that
 * needs neither the node nor the database does not load them.
 */
async function isKnown (err: unknown): Promise<boolean> {
  if (err instanceof UsageError || (err as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE') return true
  try {
    const [{ ConfigError }, { DataDirError }, { PolicyFileError }, { StartError }, { LogLevelError }, { DatabaseLockedError, DatabaseMismatchError, DatabaseOpenError }] = await Promise.all([
      import('../node/setup/config.js'), import('../node/setup/data-dir.js'), import('../node/policy/policy-file.js'), import('../node/errors.js'),
      import('../node/runtime/log.js'), import('../storage/index.js')
    ])
    return err instanceof DataDirError || err instanceof PolicyFileError || err instanceof ConfigError || err instanceof StartError ||
      err instanceof LogLevelError || err instanceof DatabaseLockedError || err instanceof DatabaseMismatchError || err instanceof DatabaseOpenError
  } catch {
    return false
  }
}

// What a command creates (the key, the token, the database LevelDB writes) is
// the participant's alone, whatever the shell's umask.
process.umask(0o077)

main(process.argv.slice(2)).catch(async (err: unknown) => {
  if (await isKnown(err)) {
    process.stderr.write(`keruen: ${(err as Error).message}\n`)
  } else {
    process.stderr.write(`keruen: unexpected error: ${(err as Error).stack ?? String(err)}\n`)
  }
  process.exit(1)
})
