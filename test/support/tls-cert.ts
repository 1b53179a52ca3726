/**
 * A self-signed certificate (for 127.0.0.1 and localhost unless told), made with openssl at
 * test time (no private key is ever committed). Where openssl is missing, the
 * caller skips with the reason printed.
 */
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

export interface TestCertificate {
  /** PEM files. */
  readonly certFile: string
  readonly keyFile: string
}

/** Makes `name`.cert.pem and `name`.key.pem (EC P-256, one day, for `altNames`) in `dir`, or returns why it cannot. */
export async function makeCertificate (dir: string, name = 'tls', altNames = 'IP:127.0.0.1,DNS:localhost'): Promise<TestCertificate | string> {
  const certFile = join(dir, `${name}.cert.pem`)
  const keyFile = join(dir, `${name}.key.pem`)
  try {
    await run('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', `/CN=${name}`, '-addext', `subjectAltName=${altNames}`,
      '-keyout', keyFile, '-out', certFile
    ])
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string }
    return e.code === 'ENOENT' ? 'openssl is not installed' : `openssl could not make a certificate: ${(e.stderr ?? e.message).split('\n')[0] ?? ''}`
  }
  return { certFile, keyFile }
}

/** Makes a certificate for a mocha hook or test, or skips it, printing why. */
export async function certificateOrSkip (context: Mocha.Context, dir: string, name?: string, altNames?: string): Promise<TestCertificate> {
  const made = await makeCertificate(dir, name, altNames)
  if (typeof made === 'string') {
    console.log(`      skipped: ${made}`)
    context.skip()
  }
  return made as TestCertificate
}
