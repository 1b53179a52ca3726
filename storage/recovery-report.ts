/**
 * What LevelDB dropped when it last opened a database. LevelDB replays its
 * write-ahead log at every open and skips what fails its checksums, writing
 * only a line to the `LOG` file of the database folder (which it starts anew
 * at each open); those lines are read back here so the node can say so.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'

export interface DroppedData {
  /** The bytes LevelDB skipped, summed over its reports. */
  readonly bytes: number
  /** Each report as LevelDB wrote it, without its timestamp and thread. */
  readonly reports: readonly string[]
}

// e.g. "(ignoring error) /data/db/000003.log: dropping 16291 bytes; Corruption: checksum mismatch"
const DROPPED = /dropping (\d+) bytes/
// The timestamp and thread id LevelDB puts before each line.
const PREFIX = /^\S+ \S+ /

/** What the last open of the database at `location` dropped; undefined when it dropped nothing. */
export async function droppedAtOpen (location: string): Promise<DroppedData | undefined> {
  let text: string
  try {
    text = await readFile(join(location, 'LOG'), 'utf8')
  } catch {
    return undefined
  }
  const reports: string[] = []
  let bytes = 0
  for (const line of text.split('\n')) {
    const dropped = DROPPED.exec(line)
    if (dropped === null && !/Corruption:/.test(line)) continue
    bytes += Number(dropped?.[1] ?? 0)
    reports.push(line.replace(PREFIX, '').replace(/^\(ignoring error\) /, ''))
  }
  return reports.length === 0 ? undefined : { bytes, reports }
}
