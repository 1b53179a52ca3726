import { DEFAULT_DATA_DIR, stringOption, UsageError, type CommandValues } from '../cli-support.js'
import { examineDataFolder } from '../../node/setup/doctor.js'

/** keruen doctor (its options and help: commands/index.ts). Exits 1 when it finds a problem. */
export async function run (values: CommandValues, positionals: string[]): Promise<void> {
  if (positionals.length > 0) throw new UsageError('expected: keruen doctor [--data DIR]; see keruen doctor --help')
  const dataDir = stringOption(values.data) ?? DEFAULT_DATA_DIR
  const found = await examineDataFolder(dataDir)
  const out: string[] = [`checked ${found.folder}: ${found.records} records, ${found.indexEntries} index entries`]
  if (found.dropped !== undefined) {
    out.push(`LevelDB dropped ${found.dropped.bytes} bytes of its log on opening (writes never acknowledged, or damage):`)
    for (const report of found.dropped.reports) out.push(`  ${report}`)
  }
  const problems = found.findings.length + found.unlisted
  if (problems === 0) {
    out.push('sound: every record verifies and fits its type, and every index entry matches its record')
  } else {
    out.push(`${problems} problem${problems === 1 ? '' : 's'}:`)
    for (const f of found.findings) out.push(`  ${f.where}: ${f.problem}`)
    if (found.unlisted > 0) out.push(`  and ${found.unlisted} more`)
    process.exitCode = 1
  }
  process.stdout.write(`${out.join('\n')}\n`)
}
