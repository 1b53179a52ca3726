import { rm, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { listenApi, servedApi, tlsOf } from '../../api/server.js'
import { KeruenNode } from '../../node/node.js'
import { steadyHeapGrowth } from '../../node/runtime/heap-growth.js'
import { createLogger } from '../../node/runtime/log.js'
import { loadConfig, type NodeConfig } from '../../node/setup/config.js'
import { DEFAULT_DATA_DIR, portOption, RUNTIME_FILE, stringOption, type CommandValues } from '../cli-support.js'

/**
 * keruen start (its options and help: commands/index.ts). The settings are
 * checked and the TLS certificate and key read first, the API's port is taken
 * next and the p2p port last, so that any of them wrong stops the start before
 * the node has written anything.
 */
export async function run (values: CommandValues): Promise<void> {
  const dataDir = stringOption(values.data) ?? DEFAULT_DATA_DIR
  const logger = createLogger({ ...(stringOption(values['log-level']) !== undefined && { level: stringOption(values['log-level']) }) })
  const apiPort = portOption(values['api-port'], 'api-port')
  const p2pPort = portOption(values['p2p-port'], 'p2p-port')
  const apiHost = stringOption(values['api-host'])
  const p2pHost = stringOption(values['p2p-host'])
  // Files named on the command line are where the shell is, not in the data folder.
  const tlsCert = stringOption(values['tls-cert'])
  const tlsKey = stringOption(values['tls-key'])
  const overrides: Partial<NodeConfig> = {
    ...(apiPort !== undefined && { apiPort }),
    ...(p2pPort !== undefined && { p2pPort }),
    ...(apiHost !== undefined && { apiHost }),
    ...(p2pHost !== undefined && { p2pHost }),
    ...(tlsCert !== undefined && { tlsCert: resolve(tlsCert) }),
    ...(tlsKey !== undefined && { tlsKey: resolve(tlsKey) })
  }
  const config = await loadConfig(dataDir, overrides)
  // This process is the node's for as long as it runs (heap-growth.ts says why).
  steadyHeapGrowth()
  const tls = await tlsOf(config)
  const api = await listenApi(config.apiHost, config.apiPort, { ...(tls !== undefined && { tls }) })
  let node: KeruenNode
  try {
    node = await KeruenNode.open({ dataDir, config: overrides, logger })
  } catch (err) {
    await api.close()
    throw err
  }
  api.attach(servedApi(node, config.apiHost, { logger }))
  const runtimeFile = join(dataDir, RUNTIME_FILE)
  // The certificate goes with the address: the other commands trust it when they call this node.
  await writeFile(runtimeFile, `${JSON.stringify({ url: api.url, pid: process.pid, ...(api.certificate !== undefined && { certificate: api.certificate }) })}\n`, { mode: 0o600 })
  let stopping = false
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'stopping')
    await api.close()
    await node.close()
    await rm(runtimeFile, { force: true })
    process.exit(0)
  }
  process.on('SIGINT', () => { void stop('SIGINT') })
  process.on('SIGTERM', () => { void stop('SIGTERM') })
  // Said once the node can be stopped cleanly: whoever waits for this line may signal at once.
  const { profile } = node.identity
  process.stdout.write(
    `keruen node ${node.participant} (${profile.role}, "${profile.name}") is running\n` +
    `  API   ${api.url}  (token in ${join(dataDir, 'api-token')})\n` +
    `  web   ${api.url}/  (cabinet; ${(await node.accounts.list()).length === 0 ? 'add its first user with keruen user add LOGIN --role admin' : 'sign in with a user of keruen user list'})\n` +
    `  p2p   ${node.addresses().join(' ')}\n` +
    `  data  ${dataDir}\n`
  )
}
