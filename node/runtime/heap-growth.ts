/**
 * How far V8 lets the heap of a node's process grow between two full
 * collections.
 *
 * After a full collection V8 sets the next limit at what is live times a
 * factor it picks from how fast the program allocates, at most 4, and starts
 * marking for the next one well before the limit: while the room left is of
 * the order of the young generation, which grows to tens of MB under load.
 *
 * A node's live heap is small (about 30 MB, whether it holds a thousand
 * records or a million), so the factor decides how often it collects:
 * - V8's memory reducer, made for a browser tab gone idle, runs after any lull
 *   and then caps the factor at 1.3 for good (until the committed heap grows
 *   by a tenth and 10 MB, which a steady node never does). A node creating a
 *   million records in the store bench then ran a full collection every
 *   250 ms, 660 in all, each holding the event loop 5–20 ms, with marking
 *   steps of up to 12 ms between; with the factor at 4, 8.
 * - At 2, a node listing consignments after that bulk load still ran one
 *   every 20 listings; at 4, two in 2 000.
 *
 * So the process keeps V8's own highest factor, 4, whatever the reducer did.
 * The reducer still runs, and still gives memory back when the node is idle.
 * The flag is read at every full collection, so setting it at run time takes
 * effect from the next one.
 */
import { setFlagsFromString } from 'node:v8'

/** The heap may grow to four times what is live before the next full collection: V8's own highest factor, and the highest set here. */
export const HEAP_GROWING_PERCENT = 300

const FLAG = '--heap-growing-percent'

/**
 * Sets the process's heap growing factor, unless Node.js was started with one
 * of its own (`node --heap-growing-percent=N`), which is left as given.
 * Returns the percentage in effect, or undefined when it is the command line's.
 */
export function steadyHeapGrowth (percent: number = HEAP_GROWING_PERCENT, execArgv: readonly string[] = process.execArgv): number | undefined {
  if (!Number.isInteger(percent) || percent < 1 || percent > HEAP_GROWING_PERCENT) {
    throw new RangeError(`the heap growing percentage must be an integer from 1 to ${HEAP_GROWING_PERCENT}, not ${percent}`)
  }
  // V8 takes its flags with - or _ between the words.
  if (execArgv.some(arg => arg.split('=')[0]?.replace(/_/g, '-') === FLAG)) return undefined
  setFlagsFromString(`${FLAG}=${percent}`)
  return percent
}
