/**
 * The record-format vectors, checked the way an auditor would: with node:crypto
 * and a third-party CBOR decoder only, following docs/record-format.md. A last
 * group checks that the project still produces the vectors byte for byte.
 */
import assert from 'node:assert/strict'
import { createHash, createPublicKey, verify } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { decode } from 'cbor-x'
import { buildVector, specs } from '../../vectors/generate.js'
import { repoFile } from '../../support/repo.js'

interface Vector {
  publicKey: string
  participant: string
  signingContext: string
  envelopeCbor: string
  id: string
  suite: string
  signature: string
  disclosures: Array<{ cbor: string, digest: string, salt: string, path: Array<string | number>, value: unknown }>
  record: string
  envelope: { digests: string[], issuer: string }
}

const vectors: Array<[string, Vector]> = specs.map(s => [s.name, JSON.parse(readFileSync(repoFile(`test/vectors/${s.name}.json`), 'utf8')) as Vector])

const hex = (text: string): Buffer => Buffer.from(text, 'hex')
const sha256 = (bytes: Uint8Array): Buffer => createHash('sha256').update(bytes).digest()

function base32 (bytes: Uint8Array): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567'
  let bits = 0
  let acc = 0
  let out = ''
  for (const b of bytes) {
    acc = (acc << 8) | b
    bits += 8
    while (bits >= 5) { bits -= 5; out += alphabet[(acc >>> bits) & 31] }
  }
  if (bits > 0) out += alphabet[(acc << (5 - bits)) & 31]
  return out
}

function base58 (bytes: Uint8Array): string {
  const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
  let n = BigInt(`0x${Buffer.from(bytes).toString('hex')}`)
  let out = ''
  while (n > 0n) { out = alphabet[Number(n % 58n)] + out; n /= 58n }
  for (const b of bytes) { if (b !== 0) break; out = `1${out}` }
  return out
}

function verifySignature (v: Vector, envelope: Buffer, signature: Buffer): boolean {
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: hex(v.publicKey).toString('base64url') }, format: 'jwk' })
  const message = Buffer.concat([Buffer.from(`${v.signingContext}\0`), envelope])
  return verify(null, message, key, signature)
}

describe('record format vectors, verified without project code', () => {
  for (const [name, v] of vectors) {
    describe(name, () => {
      it('the id is the sha-256 multihash of the envelope in base32', () => {
        const multihash = Buffer.concat([Buffer.from([0x12, 0x20]), sha256(hex(v.envelopeCbor))])
        assert.equal(`b${base32(multihash)}`, v.id)
      })

      it('the participant id is the libp2p peer id of the public key', () => {
        const identity = Buffer.concat([Buffer.from([0x00, 0x24, 0x08, 0x01, 0x12, 0x20]), hex(v.publicKey)])
        assert.equal(base58(identity), v.participant)
        assert.equal(v.envelope.issuer, v.participant)
      })

      it('the Ed25519 signature verifies over context ‖ 0x00 ‖ envelope', () => {
        assert.equal(v.suite, 'ed25519')
        assert.equal(verifySignature(v, hex(v.envelopeCbor), hex(v.signature)), true)
      })

      it('a flipped byte anywhere in the envelope or signature fails', () => {
        const envelope = hex(v.envelopeCbor)
        for (const i of [0, Math.floor(envelope.length / 2), envelope.length - 1]) {
          const bad = Buffer.from(envelope)
          bad[i] = (bad[i] as number) ^ 0x01
          assert.equal(verifySignature(v, bad, hex(v.signature)), false, `envelope byte ${i}`)
        }
        const sig = hex(v.signature)
        sig[10] = (sig[10] as number) ^ 0x80
        assert.equal(verifySignature(v, envelope, sig), false)
      })

      it('every disclosure hashes to a digest signed in the envelope', () => {
        const envelope = decode(hex(v.envelopeCbor)) as { digests: Uint8Array[] }
        const signed = new Set(envelope.digests.map(d => Buffer.from(d).toString('hex')))
        assert.ok(v.disclosures.length > 0)
        for (const d of v.disclosures) {
          const digest = sha256(hex(d.cbor)).toString('hex')
          assert.equal(digest, d.digest)
          assert.ok(signed.has(digest), `digest of ${JSON.stringify(d.path)} is signed`)
          const [salt, path, value] = decode(hex(d.cbor)) as [Uint8Array, unknown, unknown]
          assert.equal(Buffer.from(salt).toString('hex'), d.salt)
          assert.deepEqual(path, d.path)
          // cbor-x gives 64-bit integers as BigInt.
          assert.deepEqual(typeof value === 'bigint' ? Number(value) : value, d.value)
        }
        const tampered = Buffer.from(hex(v.disclosures[0]?.cbor ?? ''))
        tampered[tampered.length - 1] = (tampered[tampered.length - 1] as number) ^ 0x01
        assert.equal(signed.has(sha256(tampered).toString('hex')), false)
      })

      it('the wire form holds exactly this envelope, signature and disclosures', () => {
        const wire = decode(hex(v.record)) as { envelope: Uint8Array, signature: { suite: string, value: Uint8Array }, disclosures: unknown[] }
        assert.deepEqual(Object.keys(wire).sort(), ['disclosures', 'envelope', 'signature'])
        assert.equal(Buffer.from(wire.envelope).toString('hex'), v.envelopeCbor)
        assert.equal(Buffer.from(wire.signature.value).toString('hex'), v.signature)
        assert.equal(wire.disclosures.length, v.disclosures.length)
      })
    })
  }
})

describe('record format vectors, reproduced by the project', () => {
  specs.forEach((spec, i) => {
    it(`${spec.name} is produced byte for byte`, () => {
      const fresh = buildVector(spec, i).json
      assert.deepEqual(JSON.parse(JSON.stringify(fresh)), vectors[i]?.[1])
    })
  })
})
