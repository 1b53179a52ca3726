import { readFile } from 'node:fs/promises'
import { isComplete, parseRecord, recordFromJson, RecordError, verifyRecord, type SignedRecord } from '../../record/index.js'
import { DEFAULT_DATA_DIR, printJson, stringOption, UsageError, type CommandValues } from '../cli-support.js'

async function readJsonFile (file: string): Promise<unknown> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`, { cause: err })
  }
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new UsageError(`${file} is not JSON: ${(err as Error).message}`, { cause: err })
  }
}

/** A record file: CBOR wire bytes, the JSON transport form, or an API view holding it under "record". */
async function readRecordFile (file: string): Promise<SignedRecord> {
  let bytes: Buffer
  try {
    bytes = await readFile(file)
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`, { cause: err })
  }
  try {
    if (bytes[0] === 0xa3) return parseRecord(new Uint8Array(bytes))
    let json: unknown
    try {
      json = JSON.parse(bytes.toString('utf8'))
    } catch (err) {
      throw new UsageError(`${file} is neither a CBOR record nor JSON`, { cause: err })
    }
    const inner = (json as { record?: unknown }).record
    return recordFromJson(typeof inner === 'object' && inner !== null ? inner : json)
  } catch (err) {
    if (err instanceof RecordError) throw new UsageError(`${file} does not verify (${err.code}): ${err.message}`, { cause: err })
    throw err
  }
}

/** keruen record (its options and help: commands/index.ts). The node is loaded by add and get only: verify works offline. */
export async function run (values: CommandValues, positionals: string[]): Promise<void> {
  const [action, arg, ...rest] = positionals
  if (arg === undefined || rest.length > 0) throw new UsageError('expected: keruen record add FILE | get ID | verify FILE; see keruen record --help')
  const dataDir = stringOption(values.data) ?? DEFAULT_DATA_DIR
  switch (action) {
    case 'add': {
      const input = await readJsonFile(arg)
      const { withApi } = await import('../local-node.js')
      printJson(await withApi(dataDir, async call => await (await call('POST', '/v1/records', { body: input })).json()))
      return
    }
    case 'get': {
      const { withApi } = await import('../local-node.js')
      if (values.cbor === true) {
        const bytes = await withApi(dataDir, async call => new Uint8Array(await (await call('GET', `/v1/records/${encodeURIComponent(arg)}`, { accept: 'application/cbor' })).arrayBuffer()))
        process.stdout.write(bytes)
      } else {
        printJson(await withApi(dataDir, async call => await (await call('GET', `/v1/records/${encodeURIComponent(arg)}`)).json()))
      }
      return
    }
    case 'verify': {
      const rec = await readRecordFile(arg)
      try {
        verifyRecord(rec)
      } catch (err) {
        if (err instanceof RecordError) throw new UsageError(`${arg} does not verify (${err.code}): ${err.message}`, { cause: err })
        throw err
      }
      const e = rec.envelope
      const fields = isComplete(rec) ? `all ${e.digests.length} fields` : `${rec.disclosures.length} of ${e.digests.length} fields`
      process.stdout.write(`verified: ${rec.id}\n  type ${e.type}, issuer ${e.issuer}, issued ${e.issuedAt}${e.consignment !== undefined ? `, consignment ${e.consignment}` : ''}\n  ${fields} disclosed and matching the signed digests\n`)
      return
    }
    default:
      throw new UsageError(`unknown action ${JSON.stringify(action)}; expected add, get or verify`)
  }
}
