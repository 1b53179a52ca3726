/**
 * Writes the record-format test vectors (test/vectors/vector-N.json) from fixed
 * keys and fixed salts, so that every run produces the same bytes. The vectors
 * are checked in; test/vectors.test.ts verifies them without project code and
 * checks that the project still produces them exactly.
 */
import { writeFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import {
  createRecord, digestOf, ed25519Signer, encodeCanonical, hexEncode, pathText, withDisclosures,
  type DataObject, type RecordDraft, type SignedRecord
} from '../../record/index.js'
import { repoFile } from '../support/repo.js'

const sha = (text: string): Uint8Array => new Uint8Array(createHash('sha256').update(text).digest())

/** A deterministic byte stream: sha-256 in counter mode over a label. */
function fixedRandom (label: string): (size: number) => Uint8Array {
  let counter = 0
  return (size) => {
    const out = new Uint8Array(size)
    for (let i = 0; i < size; i += 32) out.set(sha(`${label}/${counter++}`).subarray(0, Math.min(32, size - i)), i)
    return out
  }
}

interface VectorSpec {
  readonly name: string
  readonly description: string
  readonly draft: RecordDraft
  /** Signed with the key of this vector (1-based; default its own): a partial copy shares its whole record's key. */
  readonly key?: number
  /** Disclose only these top-level fields (a partial copy); all when absent. */
  readonly disclose?: readonly string[]
  /** Salts drawn from this vector's stream (default its own): a partial copy is the same signed record. */
  readonly salts?: string
}

const issuedAt = '2026-11-02T08:15:30.250Z'

const smallInvoice: DataObject = {
  number: 'INV-2026-0001',
  date: '2026-11-02',
  currency: 'EUR',
  seller: { name: 'Almaty Dried Fruit LLP', country: 'KZ' },
  buyer: { name: 'Rheinfrucht GmbH', country: 'DE' },
  lines: [{ lineNumber: 1, hsCode: '081310', description: 'Dried apricots', quantity: '20000', unit: 'KGM', unitPrice: '3.15', amount: '63000.00', originCountry: 'KZ' }],
  totalAmount: '63000.00'
}

export const specs: VectorSpec[] = [
  {
    name: 'vector-1',
    description: 'A small commercial invoice with one line.',
    draft: {
      type: 'trade.invoice',
      consignment: '6KZ123456789012-INV0001',
      issuedAt,
      data: smallInvoice
    }
  },
  {
    name: 'vector-2',
    description: 'A phytosanitary certificate that supersedes an earlier version and expires: text in Kazakh, Russian and German, nested objects and arrays, integers.',
    draft: {
      type: 'cert.phytosanitary',
      consignment: '6KZ123456789012-INV0001',
      issuedAt,
      validUntil: '2026-12-02T23:59:59.999Z',
      supersedes: 'bciqm3mpgtnx4xn7ujbojqm4j7r2y4bbsyj6vbvkhe7fjvvvnmr7uvia',
      data: {
        number: 'KZ-PC-2026/0042',
        issuer: { name: 'Агроөнеркәсіптік кешендегі мемлекеттік инспекция комитеті', country: 'KZ' },
        destinationCountry: 'DE',
        exporter: { name: 'ТОО «Алматы сухофрукты»', country: 'KZ' },
        consignee: { name: 'Rheinfrucht GmbH, Hafenstraße 21, Duisburg', country: 'DE' },
        goods: [{
          lineNumber: 1,
          botanicalName: 'Prunus armeniaca',
          commonName: 'өрік',
          description: 'Dried apricots, pitted',
          hsCode: '081310',
          quantity: '18000',
          unit: 'KGM',
          packages: [{ marks: 'RHEINFRUCHT / 1-1800', kind: 'CT', count: 1800 }],
          placeOfOrigin: { country: 'KZ', region: 'Түркістан облысы' }
        }],
        issueDate: '2026-11-02',
        inspector: { name: 'Айгүл Сәрсенбаева', position: 'государственный инспектор' }
      }
    }
  },
  {
    name: 'vector-3',
    description: 'A partial copy of vector 1: the same signed record, with only number, currency and lines disclosed; the signature still verifies.',
    draft: {
      type: 'trade.invoice',
      consignment: '6KZ123456789012-INV0001',
      issuedAt,
      data: smallInvoice
    },
    key: 1,
    salts: 'vector-1',
    disclose: ['number', 'currency', 'lines']
  }
]

export function buildVector (spec: VectorSpec, index: number): { record: SignedRecord, json: unknown } {
  const seed = sha(`keruen test vector key ${spec.key ?? index + 1}`)
  const signer = ed25519Signer(seed)
  let record = createRecord(signer, spec.draft, { random: fixedRandom(spec.salts ?? spec.name) })
  if (spec.disclose !== undefined) {
    const keep = new Set(spec.disclose)
    record = withDisclosures(record, path => keep.has(path[0] as string))
  }
  const e = record.envelope
  return {
    record,
    json: {
      description: spec.description,
      privateKeySeed: hexEncode(seed),
      publicKey: hexEncode(signer.publicKey),
      participant: signer.participant,
      signingContext: 'keruen/record/v1',
      envelope: { ...e, digests: e.digests.map(hexEncode) },
      envelopeCbor: hexEncode(record.envelopeBytes),
      id: record.id,
      suite: record.signature.suite,
      signature: hexEncode(record.signature.value),
      data: spec.draft.data satisfies DataObject,
      disclosures: record.disclosures.map(d => ({
        pointer: pathText(d.path),
        salt: hexEncode(d.salt),
        path: d.path,
        value: d.value,
        cbor: hexEncode(encodeCanonical([d.salt, d.path, d.value])),
        digest: hexEncode(digestOf(d))
      })),
      record: hexEncode(record.bytes)
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  specs.forEach((spec, i) => {
    const file = repoFile(`test/vectors/${spec.name}.json`)
    writeFileSync(file, `${JSON.stringify(buildVector(spec, i).json, null, 2)}\n`)
    console.log(`wrote ${fileURLToPath(file)}`)
  })
}
