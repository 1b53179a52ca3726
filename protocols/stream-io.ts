/**
 * Whole-message reads and writes on libp2p streams, with the limits every
 * network input needs: a size cap and a deadline.
 */
import type { Stream } from '@libp2p/interface'

export class FrameError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'FrameError'
  }
}

/** Reads until the remote closes its side; refuses more than `maxBytes` or a stream slower than `timeoutMs`. */
export async function readMessage (stream: Stream, maxBytes: number, timeoutMs: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  let size = 0
  const timer = setTimeout(() => { stream.abort(new FrameError(`no complete message within ${timeoutMs} ms`)) }, timeoutMs)
  try {
    for await (const chunk of stream) {
      const bytes = chunk instanceof Uint8Array ? chunk : chunk.subarray()
      size += bytes.length
      if (size > maxBytes) {
        stream.abort(new FrameError(`message larger than ${maxBytes} bytes`))
        throw new FrameError(`message larger than ${maxBytes} bytes`)
      }
      chunks.push(bytes)
    }
  } catch (err) {
    if (err instanceof FrameError) throw err
    throw new FrameError(`stream failed: ${(err as Error).message}`)
  } finally {
    clearTimeout(timer)
  }
  const out = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.length
  }
  return out
}

/** Writes one message, respecting back-pressure, then closes the writing side. */
export async function writeMessage (stream: Stream, bytes: Uint8Array): Promise<void> {
  if (!stream.send(bytes)) await stream.onDrain()
  await stream.close()
}
