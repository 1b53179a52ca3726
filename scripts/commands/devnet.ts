import { steadyHeapGrowth } from '../../node/runtime/heap-growth.js'
import { createLogger } from '../../node/runtime/log.js'
import { DEFAULT_MEMBERS, startDevnet, membersFor } from '../devnet.js'
import { stringOption, UsageError, type CommandValues } from '../cli-support.js'

/** keruen devnet (its options and help: commands/index.ts). */
export async function run (values: CommandValues): Promise<void> {
  const dir = stringOption(values.dir)
  if (dir === undefined) throw new UsageError('--dir is required; see keruen devnet --help')
  const count = Number(stringOption(values.nodes) ?? DEFAULT_MEMBERS.length)
  if (!Number.isInteger(count) || count < 1 || count > 32) throw new UsageError('--nodes must be a whole number from 1 to 32')
  // This process holds the nodes for as long as it runs (heap-growth.ts says why).
  steadyHeapGrowth()
  const logger = createLogger({ ...(stringOption(values['log-level']) !== undefined && { level: stringOption(values['log-level']) }) })
  const net = await startDevnet(dir, membersFor(count), 'KZ', logger)
  const heads = ['name', 'role', 'participant', 'API and cabinet', 'login', 'password']
  const rows = net.nodes.map(n => [n.name, n.role, n.node.participant, n.api.url, n.cabinet?.login ?? '', n.cabinet?.password ?? ''])
  const widths = heads.map((head, i) => Math.max(...rows.map(r => (r[i] as string).length), head.length))
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] as number)).join('  ').trimEnd()
  process.stdout.write(`${line(heads)}\n${rows.map(line).join('\n')}\n\nOpen a node's address in a browser and sign in with its login. API tokens and more in ${net.file}. Ctrl-C stops every node.\n`)
  let stopping = false
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return
    stopping = true
    process.stdout.write(`keruen devnet: ${signal}, stopping ${net.nodes.length} nodes\n`)
    await net.stop()
    process.exit(0)
  }
  process.on('SIGINT', () => { void stop('SIGINT') })
  process.on('SIGTERM', () => { void stop('SIGTERM') })
}
