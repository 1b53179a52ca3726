/** Polls `condition` until it holds; fails naming `what` after `ms`. */
export async function until (condition: () => Promise<boolean> | boolean, what: string, ms = 30_000): Promise<void> {
  const started = Date.now()
  while (!(await condition())) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 25))
  }
}
