/**
 * libp2p 3 calls Promise.withResolvers, which Node.js has only from version 22.
 * Without it every connection fails; install the standard behaviour where missing.
 * Imported before anything that loads libp2p.
 */
interface WithResolvers {
  withResolvers?: <T>() => { promise: Promise<T>, resolve: (value: T | PromiseLike<T>) => void, reject: (reason?: unknown) => void }
}

const PromiseCtor = Promise as unknown as WithResolvers
if (typeof PromiseCtor.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T> (this: PromiseConstructor) {
      let resolve!: (value: T | PromiseLike<T>) => void
      let reject!: (reason?: unknown) => void
      const promise = new this<T>((res, rej) => { resolve = res; reject = rej })
      return { promise, resolve, reject }
    }
  })
}

export {}
