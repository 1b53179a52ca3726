/**
 * Records signed in one millisecond share their `issuedAt` and list in the
 * order of their ids; a test that needs them in the order it made them waits
 * for the clock to move on between two.
 */
export async function nextMillisecond (): Promise<void> {
  const now = Date.now()
  while (Date.now() <= now) await new Promise(resolve => setTimeout(resolve, 1))
}
