/** What several benches use: waiting for a condition, reading a percentile, the store bench's consignments. */

/** Waits until `condition` holds, checking every 20 ms; past `ms`, the bench has failed. */
export async function waitFor (condition: () => Promise<boolean> | boolean, ms: number, everyMs = 20): Promise<void> {
  const started = Date.now()
  while (!(await condition())) {
    if (Date.now() - started > ms) throw new Error('bench timed out')
    await new Promise(resolve => setTimeout(resolve, everyMs))
  }
}

/** The `p` percentile (0–1) of figures sorted in ascending order: the nearest rank at or below it. */
export function percentile (sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number
}

/** Consignment references the store bench fills: S and a number, a valid UCR. */
export function consignmentRef (i: number): string {
  return `6KZ123456789012-S${String(i).padStart(7, '0')}`
}
