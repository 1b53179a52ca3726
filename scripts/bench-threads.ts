/**
 * CPU time of this process's threads, by kind, read from /proc (Linux): how
 * a figure's CPU splits between a node's event loop, its worker threads,
 * V8's helper threads (compiling hot code, collecting garbage) and libuv's
 * pool (LevelDB, files). On two cores every one of them takes time from the
 * stage the ceiling is made of, so the bench prints the split beside the
 * delivery figures.
 *
 * Node.js 24 names its threads; Node.js 22 calls nearly all of them "node",
 * and other systems have no /proc: there the split is undefined.
 */
import { readdirSync, readFileSync } from 'node:fs'

/** CPU time in µs by kind of thread. */
export type ThreadCpu = Readonly<Record<string, number>>

/** The kernel counts thread times in ticks of 1/100 s (USER_HZ), whatever its own clock rate. */
const USER_HZ = 100

/** Node.js 24's thread names, and what each kind does in a node. */
const THREAD_KINDS: Readonly<Record<string, string>> = {
  MainThread: 'event loop',
  WorkerThread: 'workers',
  V8Worker: 'V8 helpers',
  'libuv-worker': 'libuv pool'
}

/**
 * One thread's name and CPU time in µs from its /proc stat line, or undefined
 * if the line is not one. The name stands in parentheses and may itself hold
 * spaces and parentheses, so the fields are counted from the last ')'.
 */
export function parseTaskStat (line: string): { name: string, µs: number } | undefined {
  const open = line.indexOf('(')
  const close = line.lastIndexOf(')')
  if (open < 0 || close < open) return undefined
  // After the name: state (field 3) … utime (14), stime (15).
  const fields = line.slice(close + 2).split(' ')
  const utime = Number(fields[11])
  const stime = Number(fields[12])
  if (!Number.isSafeInteger(utime) || !Number.isSafeInteger(stime) || utime < 0 || stime < 0) return undefined
  return { name: line.slice(open + 1, close), µs: (utime + stime) * 1e6 / USER_HZ }
}

/** This process's CPU time by kind of thread (THREAD_KINDS; the rest as "other"), or undefined where threads cannot be told apart. */
export function threadCpu (taskDir = '/proc/self/task'): ThreadCpu | undefined {
  let tasks: string[]
  try {
    tasks = readdirSync(taskDir)
  } catch {
    return undefined
  }
  const byKind: Record<string, number> = {}
  for (const task of tasks) {
    let line: string
    try {
      line = readFileSync(`${taskDir}/${task}/stat`, 'utf8')
    } catch {
      continue // ended since the directory was read
    }
    const stat = parseTaskStat(line)
    if (stat === undefined) continue
    const kind = THREAD_KINDS[stat.name] ?? 'other'
    byKind[kind] = (byKind[kind] ?? 0) + stat.µs
  }
  return byKind['event loop'] === undefined ? undefined : byKind
}

/** What each kind of thread spent between two readings, per `count` records, in µs. Threads that ended in between are not counted. */
export function perRecord (before: ThreadCpu, after: ThreadCpu, count: number): ThreadCpu {
  const out: Record<string, number> = {}
  for (const [kind, µs] of Object.entries(after)) out[kind] = (µs - (before[kind] ?? 0)) / count
  return out
}

/** "event loop 74, workers 212, …" in µs, the largest first, leaving out kinds under 1 µs. */
export function describeThreads (split: ThreadCpu): string {
  return Object.entries(split)
    .filter(([, µs]) => µs >= 1)
    .sort((a, b) => b[1] - a[1])
    .map(([kind, µs]) => `${kind} ${µs.toFixed(0)}`)
    .join(', ')
}
