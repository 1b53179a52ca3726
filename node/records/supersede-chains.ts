/**
 * A consignment's records folded by their supersede chains: each record no
 * other replaces, with the versions it replaced, newest first. The same fold
 * for record views and for the heads of stored bytes.
 */

/** A record that no other replaces, and the earlier versions of it, newest first. */
export interface Chain<T> {
  readonly current: T
  readonly history: T[]
}

/** `items` in their order, less those another one replaces; each with its history. */
export function foldChains<T> (items: readonly T[], idOf: (item: T) => string, supersedesOf: (item: T) => string | undefined): Array<Chain<T>> {
  const byId = new Map(items.map(item => [idOf(item), item]))
  const replaced = new Set(items.flatMap(item => supersedesOf(item) ?? []))
  return items
    .filter(item => !replaced.has(idOf(item)))
    .map(current => {
      const history: T[] = []
      const seen = new Set([idOf(current)])
      // A chain that loops (forged, or two copies claiming each other) ends where it would repeat.
      for (let earlier = byId.get(supersedesOf(current) ?? ''); earlier !== undefined && !seen.has(idOf(earlier)); earlier = byId.get(supersedesOf(earlier) ?? '')) {
        seen.add(idOf(earlier))
        history.push(earlier)
      }
      return { current, history }
    })
}
