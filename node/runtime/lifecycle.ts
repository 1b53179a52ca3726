/**
 * What every component of a node may do when the node starts and stops.
 * `stop()` undoes what `start()` did: every handler, listener, timer and
 * worker a component adds, it removes.
 */
export interface Startable {
  start?: () => Promise<void> | void
  stop?: () => Promise<void> | void
}

/** Starts components in order; if one fails, stops those already started, last first, and rethrows. */
export async function startAll (components: readonly Startable[]): Promise<Startable[]> {
  const started: Startable[] = []
  try {
    for (const component of components) {
      await component.start?.()
      started.push(component)
    }
  } catch (err) {
    // The start's failure is the one to report (it says what to fix), even if undoing fails too.
    await stopAll(started).catch(() => {})
    throw err
  }
  return started
}

/** Stops components last first; every one is stopped even if an earlier one fails, and the first failure is rethrown. */
export async function stopAll (components: readonly Startable[]): Promise<void> {
  let failure: unknown
  for (const component of [...components].reverse()) {
    try {
      await component.stop?.()
    } catch (err) {
      failure ??= err
    }
  }
  if (failure !== undefined) throw failure
}
