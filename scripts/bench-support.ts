/** What several benches use: waiting for a condition, reading a percentile, driving a node in a child process, the store bench's consignments. */
import type { ChildProcess } from 'node:child_process'

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

/**
 * Sends `command` to a bench node in a child process and waits for its answer
 * (`done` naming the command's `op`, or `error`); the child's `progress`
 * events meanwhile go to `onProgress`.
 */
export async function callChild (child: ChildProcess, command: { readonly op: string } & Record<string, unknown>, onProgress: (line: string) => void = () => {}): Promise<Record<string, unknown>> {
  const reply = new Promise<Record<string, unknown>>((resolve, reject) => {
    const listener = (m: Record<string, unknown>): void => {
      if (m.event === 'progress') onProgress(String(m.line))
      else if (m.done === command.op) { child.off('message', listener); resolve(m) } else if (m.error !== undefined) { child.off('message', listener); reject(new Error(String(m.error))) }
    }
    child.on('message', listener)
  })
  child.send(command)
  return await reply
}
