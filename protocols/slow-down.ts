/**
 * The answer every protocol gives a peer over its limits (peer-limits.ts):
 * `{ v: 1, slowDown: milliseconds to wait, reason }`, written instead of
 * reading its request, and read back on the asking side.
 */
import type { Stream } from '@libp2p/interface'
import { encodeCanonical, type CborValue } from '../record/index.js'
import { FrameError, writeMessage } from './stream-io.js'

export interface SlowDown { readonly slowDown: number, readonly reason: string }

/** The slow-down a decoded answer carries, if it is one; a malformed one is a FrameError. */
export function slowDownOf (message: Readonly<Record<string, CborValue>>): SlowDown | undefined {
  if (message.slowDown === undefined) return undefined
  if (typeof message.slowDown !== 'number' || !Number.isInteger(message.slowDown) || message.slowDown < 0 || typeof message.reason !== 'string') {
    throw new FrameError('slowDown must be a whole number of milliseconds with its reason')
  }
  return { slowDown: message.slowDown, reason: message.reason }
}

/** Tells the peer to wait `retryAfterMs`, after holding the stream `holdMs`; a peer gone meanwhile is no matter. */
export async function tellToSlowDown (stream: Stream, refusal: { readonly retryAfterMs: number, readonly reason: string }, timeoutMs: number, holdMs = 0): Promise<void> {
  if (holdMs > 0) await new Promise(resolve => setTimeout(resolve, holdMs))
  await writeMessage(stream, encodeCanonical({ v: 1, slowDown: refusal.retryAfterMs, reason: refusal.reason }), timeoutMs).catch(() => {})
}
