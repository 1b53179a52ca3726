/**
 * Serialises work per key: check-then-write sequences (an idempotency key, the
 * record being superseded) run one at a time, while unrelated keys run freely.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>()

  async run<T> (keys: readonly string[], work: () => Promise<T>): Promise<T> {
    // Always take keys in one order, so two holders of overlapping sets cannot deadlock.
    const sorted = [...new Set(keys)].sort()
    const releases: Array<() => void> = []
    for (const key of sorted) {
      const previous = this.tails.get(key)
      let release!: () => void
      const current = new Promise<void>(resolve => { release = resolve })
      const tail = previous === undefined ? current : previous.then(() => current)
      this.tails.set(key, tail)
      releases.push(() => {
        release()
        if (this.tails.get(key) === tail) this.tails.delete(key)
      })
      // A key nobody holds is taken at once: a delivery takes hundreds, nearly always free.
      if (previous !== undefined) await previous
    }
    try {
      return await work()
    } finally {
      for (const release of releases) release()
    }
  }
}
