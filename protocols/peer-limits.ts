/**
 * What one peer may ask of this node over a protocol: so many requests a
 * second, so many at once, so many bytes a minute (asked and answered). A
 * peer over a limit is told to slow down, with how long to wait, and is not
 * served meanwhile; each peer has its own allowance, so one that floods this
 * node spends only its own and cannot starve the others. The request and
 * byte allowances refill continuously (token buckets), and start full.
 */

export interface PeerLimitSettings {
  /** Requests a second, sustained; as many may come at once. */
  readonly perSecond: number
  /** Requests served at once. */
  readonly concurrent: number
  /** Bytes a minute, requests and answers together. */
  readonly bytesPerMinute: number
}

interface Allowance {
  requests: number
  bytes: number
  open: number
  /** When the allowances were last refilled (ms). */
  at: number
}

export type Admission = { readonly ok: true, readonly done: () => void } | { readonly ok: false, readonly retryAfterMs: number, readonly reason: string }

/** Peers not heard from in this long are forgotten, so the table stays as small as the peers that are active. */
const IDLE_MS = 5 * 60_000

export class PeerLimits {
  private readonly peers = new Map<string, Allowance>()
  private lastSweep = 0

  constructor (readonly settings: PeerLimitSettings, private readonly clock: () => number = Date.now) {
    for (const [key, value] of Object.entries(settings)) {
      if (!Number.isFinite(value) || value <= 0) throw new RangeError(`peer limit ${key} must be a positive number, not ${String(value)}`)
    }
  }

  private allowance (peer: string): Allowance {
    const now = this.clock()
    let a = this.peers.get(peer)
    if (a === undefined) {
      a = { requests: this.settings.perSecond, bytes: this.settings.bytesPerMinute, open: 0, at: now }
      this.peers.set(peer, a)
    } else {
      const elapsed = Math.max(0, now - a.at)
      a.requests = Math.min(this.settings.perSecond, a.requests + elapsed * this.settings.perSecond / 1000)
      a.bytes = Math.min(this.settings.bytesPerMinute, a.bytes + elapsed * this.settings.bytesPerMinute / 60_000)
      a.at = now
    }
    if (now - this.lastSweep > IDLE_MS) this.sweep(now)
    return a
  }

  private sweep (now: number): void {
    this.lastSweep = now
    for (const [peer, a] of this.peers) if (a.open === 0 && now - a.at > IDLE_MS) this.peers.delete(peer)
  }

  /** Lets one request of `peer` in, or says how long it must wait; `done` when it has been served. */
  enter (peer: string): Admission {
    const a = this.allowance(peer)
    if (a.open >= this.settings.concurrent) return { ok: false, retryAfterMs: 100, reason: `more than ${this.settings.concurrent} requests at once` }
    if (a.requests < 1) {
      return { ok: false, retryAfterMs: Math.ceil((1 - a.requests) * 1000 / this.settings.perSecond), reason: `more than ${this.settings.perSecond} requests a second` }
    }
    if (a.bytes < 0) {
      return { ok: false, retryAfterMs: Math.ceil(-a.bytes * 60_000 / this.settings.bytesPerMinute), reason: `more than ${this.settings.bytesPerMinute} bytes a minute` }
    }
    a.requests -= 1
    a.open += 1
    let finished = false
    return {
      ok: true,
      done: () => {
        if (finished) return
        finished = true
        a.open -= 1
      }
    }
  }

  /** Counts bytes a request of `peer` took or its answer gave; going below nought holds the peer's next requests back until refilled. */
  spend (peer: string, bytes: number): void {
    this.allowance(peer).bytes -= bytes
  }
}
