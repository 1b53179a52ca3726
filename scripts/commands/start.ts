import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startApiServer } from '../../api/server.js'
import { KeruenNode } from '../../node/node.js'
import { DEFAULT_DATA_DIR, portOption, RUNTIME_FILE, stringOption, type CommandValues } from '../cli-support.js'

/** keruen start (its options and help: commands/index.ts). */
export async function run (values: CommandValues): Promise<void> {
  const dataDir = stringOption(values.data) ?? DEFAULT_DATA_DIR
  const apiPort = portOption(values['api-port'], 'api-port')
  const p2pPort = portOption(values['p2p-port'], 'p2p-port')
  const apiHost = stringOption(values['api-host'])
  const p2pHost = stringOption(values['p2p-host'])
  const node = await KeruenNode.open({
    dataDir,
    config: {
      ...(apiPort !== undefined && { apiPort }),
      ...(p2pPort !== undefined && { p2pPort }),
      ...(apiHost !== undefined && { apiHost }),
      ...(p2pHost !== undefined && { p2pHost })
    }
  })
  let api
  try {
    api = await startApiServer(node, { onInternalError: err => { console.error('keruen: internal error:', err) } })
  } catch (err) {
    await node.close()
    throw err
  }
  node.events.on('peer:admitted', (peer, reason) => { process.stdout.write(`keruen: admitted peer ${peer} (${reason})\n`) })
  node.events.on('peer:refused', (peer, reason) => { process.stderr.write(`keruen: refused peer ${peer}: ${reason}\n`) })
  const runtimeFile = join(dataDir, RUNTIME_FILE)
  await writeFile(runtimeFile, `${JSON.stringify({ url: api.url, pid: process.pid })}\n`)
  const { profile } = node.identity
  process.stdout.write(
    `keruen node ${node.participant} (${profile.role}, "${profile.name}") is running\n` +
    `  API   ${api.url}  (token in ${join(dataDir, 'api-token')})\n` +
    `  p2p   ${node.addresses().join(' ')}\n` +
    `  data  ${dataDir}\n`
  )
  let stopping = false
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return
    stopping = true
    process.stdout.write(`keruen: ${signal}, stopping\n`)
    await api.close()
    await node.close()
    await rm(runtimeFile, { force: true })
    process.exit(0)
  }
  process.on('SIGINT', () => { void stop('SIGINT') })
  process.on('SIGTERM', () => { void stop('SIGTERM') })
}
