/**
 * Whole-message reads and writes on libp2p streams, with the limits every
 * network input needs: a size cap and a deadline.
 */
import type { Stream, StreamCloseEvent, StreamMessageEvent } from '@libp2p/interface'

export class FrameError extends Error {
  constructor (message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'FrameError'
  }
}

/**
 * Reads until the remote closes its side; refuses more than `maxBytes` or a
 * stream slower than `timeoutMs`. Works from the stream's events rather than
 * its iterator, so that a message that arrived whole, closing included, before
 * the reader started (a handler that first waited for something) is still read.
 */
export async function readMessage (stream: Stream, maxBytes: number, timeoutMs: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  let size = 0
  await new Promise<void>((resolve, reject) => {
    let settled = false
    const done = (err?: FrameError): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      stream.removeEventListener('message', onMessage)
      stream.removeEventListener('end', onEnd)
      stream.removeEventListener('close', onClose)
      if (err === undefined) resolve()
      else reject(err)
    }
    const fail = (message: string): void => {
      const err = new FrameError(message)
      // Settle first: aborting ends the stream, which would look like a whole message.
      done(err)
      stream.abort(err)
    }
    const onMessage = (event: StreamMessageEvent): void => {
      const bytes = event.data instanceof Uint8Array ? event.data : event.data.subarray()
      size += bytes.length
      if (size > maxBytes) fail(`message larger than ${maxBytes} bytes`)
      else chunks.push(bytes)
    }
    const onEnd = (): void => { done() }
    const onClose = (event: StreamCloseEvent): void => {
      done(event.error === undefined ? undefined : new FrameError(`stream failed: ${event.error.message}`))
    }
    const timer = setTimeout(() => { fail(`no complete message within ${timeoutMs} ms`) }, timeoutMs)
    stream.addEventListener('message', onMessage)
    stream.addEventListener('end', onEnd)
    stream.addEventListener('close', onClose)
    // Ended before we listened, with nothing left to read: 'end' will not come again.
    if (stream.readableEnded) queueMicrotask(() => { done() })
  })
  const out = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.length
  }
  return out
}

/**
 * Reads a message that gets no answer (see readMessage), then closes our side
 * too. A stream its reader leaves half-open stays open on both nodes and counts
 * against libp2p's limit of streams per protocol on a connection (32 inbound),
 * until no more of that protocol can open there at all.
 */
export async function readOneWayMessage (stream: Stream, maxBytes: number, timeoutMs: number): Promise<Uint8Array> {
  const bytes = await readMessage(stream, maxBytes, timeoutMs)
  await stream.close({ signal: AbortSignal.timeout(timeoutMs) }).catch((err: Error) => { stream.abort(err) })
  return bytes
}

/** How long a remote may take to take in one message, unless the caller says otherwise. */
export const WRITE_TIMEOUT_MS = 20_000

/**
 * Writes one message, respecting back-pressure, then closes the writing side.
 * A remote that does not take the message within `timeoutMs` gets the stream
 * aborted: a reader that stalls must not hold the writer forever.
 */
export async function writeMessage (stream: Stream, bytes: Uint8Array, timeoutMs = WRITE_TIMEOUT_MS): Promise<void> {
  const signal = AbortSignal.timeout(timeoutMs)
  try {
    if (!stream.send(bytes)) await stream.onDrain({ signal })
    await stream.close({ signal })
  } catch (err) {
    if (!signal.aborted) throw err
    const late = new FrameError(`message not taken within ${timeoutMs} ms`)
    stream.abort(late)
    throw late
  }
}
