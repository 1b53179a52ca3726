/**
 * Record bodies, appended to files beside LevelDB, which keeps only a pointer
 * to each. A record is a few kilobytes of incompressible salts and digests,
 * written once and never changed: in LevelDB it would be copied again at every
 * compaction, the largest CPU cost of a node receiving a backlog. Here it is
 * written once.
 *
 * Files are `NNNNNN.blob` in one folder, appended to in order; a new file starts
 * past SEGMENT_BYTES. A pointer is 13 bytes: a zero byte (no record's wire form
 * starts with one), then the file number, offset and length, each 32-bit big
 * endian. Bytes are appended, and synced when asked, before the LevelDB batch
 * holding their pointers is written: a crash in between leaves bytes nothing
 * points to, never a pointer to nothing.
 */
import { readSync } from 'node:fs'
import { mkdir, open, readdir, type FileHandle } from 'node:fs/promises'
import { dirname, join } from 'node:path'

export const POINTER_BYTES = 13
/** Where a file ends and the next begins: offsets are 32-bit. */
export const SEGMENT_BYTES = 1024 * 1024 * 1024

const NAME = /^(\d{6})\.blob$/
/** The most one read of neighbouring values takes at once. */
const RUN_BYTES = 1024 * 1024

/**
 * How long readMany may read in place (see there) in one call, in ms: fifty
 * records from the page cache take a few tenths of a millisecond. 0 sends
 * every read to the thread pool.
 */
export const DIRECT_READ_BUDGET_MS = 2

export class BlobLog {
  /** Files open for reading, by number. */
  private readonly readers = new Map<number, Promise<FileHandle>>()
  /** The same files, once open: a read in place needs the descriptor now. */
  private readonly opened = new Map<number, FileHandle>()
  private writer: FileHandle | undefined

  private constructor (
    private readonly dir: string,
    private segment: number,
    private size: number,
    readonly segmentBytes: number,
    private readonly directBudgetMs: number
  ) {}

  static async open (dir: string, segmentBytes = SEGMENT_BYTES, directBudgetMs = DIRECT_READ_BUDGET_MS): Promise<BlobLog> {
    if (await mkdir(dir, { recursive: true, mode: 0o700 }) !== undefined) await syncFolder(dirname(dir))
    const numbers = (await readdir(dir)).flatMap(name => {
      const match = NAME.exec(name)
      return match === null ? [] : [Number(match[1])]
    })
    const segment = numbers.length === 0 ? 1 : Math.max(...numbers)
    const log = new BlobLog(dir, segment, 0, segmentBytes, directBudgetMs)
    await log.openWriter()
    return log
  }

  /** Whether stored bytes are a pointer into the log rather than a value kept in LevelDB itself. */
  static isPointer (stored: Uint8Array): boolean {
    return stored.length === POINTER_BYTES && stored[0] === 0
  }

  /**
   * Appends `values` in one write (synced if `sync`) and returns a pointer to
   * each. One call at a time: the database's group commit makes it so.
   */
  async append (values: readonly Uint8Array[], sync: boolean): Promise<Uint8Array[]> {
    let total = 0
    for (const v of values) total += v.length
    if (total > this.segmentBytes) throw new RangeError(`${total} bytes do not fit one blob file of ${this.segmentBytes}`)
    if (this.size + total > this.segmentBytes) {
      await this.writer?.close()
      this.segment++
      await this.openWriter()
    }
    const writer = this.writer as FileHandle
    const pointers: Uint8Array[] = []
    let offset = this.size
    for (const v of values) {
      pointers.push(pointerTo(this.segment, offset, v.length))
      offset += v.length
    }
    try {
      const { bytesWritten } = await writer.writev(values as Uint8Array[])
      if (bytesWritten !== total) throw new Error(`blob file ${this.segment} took ${bytesWritten} of ${total} bytes`)
      if (sync) await writer.datasync()
    } catch (err) {
      // Part of it may have landed: learn where the file really ends.
      this.size = (await writer.stat()).size
      throw err
    }
    this.size = offset
    return pointers
  }

  /**
   * The bytes of each pointer. Values appended together lie side by side, and
   * are read together: one read per run of neighbours (up to RUN_BYTES). Each
   * value is a view of one buffer that holds them all, which lives as long as
   * any of them.
   *
   * A listing reads fifty records from places far apart. Through the thread
   * pool each read costs a round trip and a promise, some 20 µs of the main
   * thread and more of waiting; a read the page cache answers costs a few
   * microseconds done in place. So the reads are done in place until those
   * took the budget (DIRECT_READ_BUDGET_MS), the rest through the thread pool:
   * where the disk has to be waited for, the event loop waits no longer than
   * the budget and one read.
   */
  async readMany (pointers: readonly Uint8Array[]): Promise<Uint8Array[]> {
    const places = pointers.map((pointer, index) => {
      const view = new DataView(pointer.buffer, pointer.byteOffset, pointer.byteLength)
      return { index, segment: view.getUint32(1), offset: view.getUint32(5), length: view.getUint32(9) }
    }).sort((a, b) => a.segment - b.segment || a.offset - b.offset)
    const runs: Array<{ segment: number, offset: number, length: number, places: typeof places }> = []
    let total = 0
    for (let i = 0; i < places.length;) {
      const first = places[i] as typeof places[number]
      let end = first.offset + first.length
      let j = i + 1
      for (; j < places.length; j++) {
        const next = places[j] as typeof places[number]
        if (next.segment !== first.segment || next.offset !== end || next.offset + next.length - first.offset > RUN_BYTES) break
        end += next.length
      }
      runs.push({ segment: first.segment, offset: first.offset, length: end - first.offset, places: places.slice(i, j) })
      total += end - first.offset
      i = j
    }
    // One buffer for all the runs: each buffer is work for the young
    // generation's collector, and a listing would otherwise leave fifty.
    const all = new Uint8Array(total)
    const out: Uint8Array[] = new Array(pointers.length)
    const reads: Array<Promise<void>> = []
    const started = performance.now()
    let direct = this.directBudgetMs > 0
    let at = 0
    for (const run of runs) {
      const buffer = all.subarray(at, at + run.length)
      at += run.length
      const place = (bytesRead: number): void => {
        if (bytesRead !== run.length) throw new Error(`blob file ${run.segment} ends before ${run.offset + run.length}: the data folder is damaged`)
        for (const p of run.places) out[p.index] = buffer.subarray(p.offset - run.offset, p.offset - run.offset + p.length)
      }
      const opened = this.opened.get(run.segment)
      if (direct && opened !== undefined) {
        try {
          place(readSync(opened.fd, buffer, 0, run.length, run.offset))
          direct = performance.now() - started < this.directBudgetMs
        } catch (err) {
          // Rejected with the reads already under way, which Promise.all then waits on.
          reads.push(Promise.reject(err))
          break
        }
      } else {
        reads.push((async () => {
          const { bytesRead } = await (await this.reader(run.segment)).read(buffer, 0, run.length, run.offset)
          place(bytesRead)
        })())
      }
    }
    await Promise.all(reads)
    return out
  }

  async close (): Promise<void> {
    await this.writer?.close()
    this.writer = undefined
    const readers = [...this.readers.values()]
    this.readers.clear()
    this.opened.clear()
    await Promise.all(readers.map(async r => { await (await r).close() }))
  }

  private async openWriter (): Promise<void> {
    // 'a': every write goes to the end, after any torn tail a crash left.
    this.writer = await open(this.path(this.segment), 'a', 0o600)
    this.size = (await this.writer.stat()).size
    // A new file's name must survive a power cut as its bytes will.
    if (this.size === 0) await syncFolder(this.dir)
  }

  private async reader (segment: number): Promise<FileHandle> {
    let handle = this.readers.get(segment)
    if (handle === undefined) {
      handle = open(this.path(segment), 'r')
      this.readers.set(segment, handle)
      handle.then(opened => { if (this.readers.get(segment) === handle) this.opened.set(segment, opened) }, () => { this.readers.delete(segment) })
    }
    return await handle
  }

  private path (segment: number): string {
    return join(this.dir, `${String(segment).padStart(6, '0')}.blob`)
  }
}

async function syncFolder (dir: string): Promise<void> {
  const folder = await open(dir, 'r')
  try {
    await folder.sync()
  } finally {
    await folder.close()
  }
}

function pointerTo (segment: number, offset: number, length: number): Uint8Array {
  const pointer = new Uint8Array(POINTER_BYTES)
  const view = new DataView(pointer.buffer)
  view.setUint32(1, segment)
  view.setUint32(5, offset)
  view.setUint32(9, length)
  return pointer
}
