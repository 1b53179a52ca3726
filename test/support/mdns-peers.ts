/**
 * Run by test/discovery.test.ts inside a private network namespace whose
 * loopback carries multicast, so that mDNS works and nothing leaves the
 * machine. Certified nodes with no bootstrap, and nobody dials: the trader
 * shares a record with customs (mDNS on) and one with a bystander (mDNS off)
 * by participant id alone. Prints one JSON line: what arrived, and where the
 * trader found customs.
 */
import { fixture, openTempNode, type TempNode } from './temp-node.js'
import { certify, networkedNode } from './network.js'
import { until } from './until.js'

const opened: TempNode[] = []
try {
  const authority = await openTempNode({ profile: { role: 'authority', name: 'authority', country: 'KZ' } })
  opened.push(authority)
  // Certified before they go on the network, so that their first meeting admits them.
  const offline = await Promise.all(['trader', 'customs', 'bystander'].map(async name => await openTempNode({ profile: { role: name === 'trader' ? 'trader' : 'agency', name } })))
  await certify(authority, offline[0] as TempNode, 'trader')
  await certify(authority, offline[1] as TempNode, 'agency', { competence: 'customs' })
  await certify(authority, offline[2] as TempNode, 'agency', { competence: 'sps' })
  for (const t of offline) await t.node.close()
  const trader = await networkedNode({ config: { mdns: true } }, (offline[0] as TempNode).dir)
  opened.push(trader)
  const customs = await networkedNode({ config: { mdns: true } }, (offline[1] as TempNode).dir)
  opened.push(customs)
  const bystander = await networkedNode({ config: { mdns: false } }, (offline[2] as TempNode).dir)
  opened.push(bystander)
  const invoice = await fixture('trade.invoice')
  const share = async (to: TempNode): Promise<string> => (await trader.node.records.create({
    type: 'trade.invoice', consignment: '6KZ123456789012-MDNS001', data: invoice, share: [to.node.participant]
  })).record.id
  const toCustoms = await share(customs)
  const toBystander = await share(bystander)
  await until(async () => (await customs.node.records.get(toCustoms)) !== undefined, 'the record to reach customs', 30_000)
  // Long enough for several delivery attempts to the bystander, had it an address.
  await new Promise(resolve => setTimeout(resolve, 2000))
  const known = await trader.node.p2p?.peerStore.get(customs.node.p2p?.peerId as never)
  console.log(JSON.stringify({
    customs: (await trader.node.delivery.receipts(toCustoms)).length,
    bystander: (await bystander.node.records.get(toBystander)) !== undefined,
    pending: (await trader.node.delivery.outbox(10)).map(e => e.recipient === bystander.node.participant ? 'bystander' : e.recipient),
    listening: customs.node.addresses().map(a => a.split('/p2p/')[0]),
    found: known?.addresses.map(a => a.multiaddr.toString()) ?? []
  }))
} finally {
  for (const t of opened.reverse()) await t.close()
}
