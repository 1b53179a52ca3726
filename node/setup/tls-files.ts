/**
 * The certificate and private key the API serves HTTPS with (tlsCert, tlsKey):
 * read and checked before anything listens, so that a missing file, a file
 * that is not PEM, or a key of another certificate stops the start in one
 * line naming the file.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { StartError } from '../errors.js'

export interface TlsMaterial {
  /** The certificate, or the chain from it up, PEM. */
  readonly cert: string
  /** Its private key, PEM. */
  readonly key: string
}

const firstLine = (err: unknown): string => ((err as Error).message.split('\n')[0] ?? '').trim()

async function readPem (file: string, what: string, fix: string): Promise<string> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    throw new StartError('tls-unusable', `cannot read the TLS ${what} ${file} (${(err as NodeJS.ErrnoException).code ?? firstLine(err)}): ${fix}`, err)
  }
  if (!text.includes('-----BEGIN ')) throw new StartError('tls-unusable', `the TLS ${what} ${file} is not in PEM form (-----BEGIN …): ${fix}`)
  return text
}

/** Reads `certFile` and `keyFile`; anything unusable is a StartError (code tls-unusable) naming the file. */
export async function readTlsFiles (certFile: string, keyFile: string): Promise<TlsMaterial> {
  const cert = await readPem(certFile, 'certificate', 'pass --tls-cert a readable PEM certificate (or set tlsCert in config.json)')
  const key = await readPem(keyFile, 'key', 'pass --tls-key a readable PEM private key (or set tlsKey in config.json)')
  let certificate: X509Certificate
  try {
    certificate = new X509Certificate(cert)
  } catch (err) {
    throw new StartError('tls-unusable', `the TLS certificate ${certFile} is not a readable certificate (${firstLine(err)})`, err)
  }
  let privateKey: KeyObject
  try {
    privateKey = createPrivateKey(key)
  } catch (err) {
    throw new StartError('tls-unusable', `the TLS key ${keyFile} is not a readable private key (${firstLine(err)}); an encrypted key needs its passphrase removed`, err)
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new StartError('tls-unusable', `the TLS key ${keyFile} does not go with the certificate ${certFile}: give the key the certificate was issued for`)
  }
  return { cert, key }
}
