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
import { mkdir, open, readdir, type FileHandle } from 'node:fs/promises'
import { dirname, join } from 'node:path'

export const POINTER_BYTES = 13
/** Where a file ends and the next begins: offsets are 32-bit. */
export const SEGMENT_BYTES = 1024 * 1024 * 1024

const NAME = /^(\d{6})\.blob$/
/** The most one read of neighbouring values takes at once. */
const RUN_BYTES = 1024 * 1024

export class BlobLog {
  /** Files open for reading, by number. */
  private readonly readers = new Map<number, Promise<FileHandle>>()
  private writer: FileHandle | undefined

  private constructor (
    private readonly dir: string,
    private segment: number,
    private size: number,
    readonly segmentBytes: number
  ) {}

  static async open (dir: string, segmentBytes = SEGMENT_BYTES): Promise<BlobLog> {
    if (await mkdir(dir, { recursive: true, mode: 0o700 }) !== undefined) await syncFolder(dirname(dir))
    const numbers = (await readdir(dir)).flatMap(name => {
      const match = NAME.exec(name)
      return match === null ? [] : [Number(match[1])]
    })
    const segment = numbers.length === 0 ? 1 : Math.max(...numbers)
    const log = new BlobLog(dir, segment, 0, segmentBytes)
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
   * are read together: one read per run of neighbours (up to RUN_BYTES), each
   * value a view of its run's buffer.
   */
  async readMany (pointers: readonly Uint8Array[]): Promise<Uint8Array[]> {
    const places = pointers.map((pointer, index) => {
      const view = new DataView(pointer.buffer, pointer.byteOffset, pointer.byteLength)
      return { index, segment: view.getUint32(1), offset: view.getUint32(5), length: view.getUint32(9) }
    }).sort((a, b) => a.segment - b.segment || a.offset - b.offset)
    const out: Uint8Array[] = new Array(pointers.length)
    const reads: Array<Promise<void>> = []
    for (let i = 0; i < places.length;) {
      const first = places[i] as typeof places[number]
      let end = first.offset + first.length
      let j = i + 1
      for (; j < places.length; j++) {
        const next = places[j] as typeof places[number]
        if (next.segment !== first.segment || next.offset !== end || next.offset + next.length - first.offset > RUN_BYTES) break
        end += next.length
      }
      const run = places.slice(i, j)
      reads.push((async () => {
        const buffer = new Uint8Array(end - first.offset)
        const { bytesRead } = await (await this.reader(first.segment)).read(buffer, 0, buffer.length, first.offset)
        if (bytesRead !== buffer.length) throw new Error(`blob file ${first.segment} ends before ${end}: the data folder is damaged`)
        for (const p of run) out[p.index] = buffer.subarray(p.offset - first.offset, p.offset - first.offset + p.length)
      })())
      i = j
    }
    await Promise.all(reads)
    return out
  }

  async close (): Promise<void> {
    await this.writer?.close()
    this.writer = undefined
    const readers = [...this.readers.values()]
    this.readers.clear()
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
      handle.catch(() => { this.readers.delete(segment) })
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
