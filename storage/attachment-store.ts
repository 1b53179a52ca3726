/**
 * Attachments: files named by the SHA-256 of their bytes, kept in the data
 * folder beside the database, not in it.
 *
 *   <data>/attachments/sha256/ab/cdef…    a file, under its digest (hex, split after two digits)
 *   <data>/attachments/partial/<digest>   a file being fetched from a peer, as far as it came
 *   <data>/attachments/tmp/<random>       an upload being written
 *
 * A file reaches its digest's place only whole and checked: written to a
 * temporary (or partial) file, synced, its digest computed (or checked), then
 * renamed, and the folder synced. A crash leaves at worst a temporary file,
 * which the next start removes, or a partial one, which the fetch resumes;
 * never a partial file under a digest. The same bytes are stored once.
 *
 * LevelDB keeps what the bytes do not say, by digest: media type, size and
 * the name the file came with (sublevel `attachments`); and the fetches under
 * way (sublevel `attachment-fetches`), so that they resume after a restart.
 */
import { createHash, randomUUID } from 'node:crypto'
import { createReadStream, type ReadStream } from 'node:fs'
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { Database, Sublevel, WriteOp } from './database.js'

/** The folder of the data folder that holds attachments. */
export const ATTACHMENT_DIR = 'attachments'
/** A digest as attachments are named by: SHA-256, 64 lowercase hexadecimal digits. */
export const DIGEST_PATTERN = /^[0-9a-f]{64}$/

export interface AttachmentMeta {
  readonly digest: string
  readonly size: number
  readonly mediaType: string
  /** The file name it was uploaded or first referenced with. */
  readonly name?: string
  readonly storedAt: string
}

/** A fetch of an attachment from a peer, as it stands (see node/attachments). */
export interface FetchJob {
  readonly digest: string
  /** The record that references it: what the holder is asked to serve it under. */
  readonly record: string
  /** Who to ask, the likeliest first: the peer that delivered the record, then its issuer. */
  readonly sources: readonly string[]
  readonly size?: number
  readonly mediaType?: string
  readonly name?: string
  readonly state: 'fetching' | 'failed'
  readonly attempts: number
  readonly reason?: string
  /** Where each resumed attempt started: the bytes the partial file held then. */
  readonly resumedFrom: readonly number[]
  readonly since: string
}

export type AttachmentErrorCode = 'too-large' | 'empty' | 'mismatch' | 'digest-mismatch'

export class AttachmentError extends Error {
  constructor (readonly code: AttachmentErrorCode, message: string) {
    super(message)
    this.name = 'AttachmentError'
  }
}

/** The first bytes of each media type that has a signature, and how they read. */
const MAGIC: Readonly<Record<string, { bytes: readonly number[], what: string }>> = {
  'application/pdf': { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], what: '%PDF-' },
  'image/jpeg': { bytes: [0xff, 0xd8, 0xff], what: 'FF D8 FF' },
  'image/png': { bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], what: '89 50 4E 47 0D 0A 1A 0A' }
}
/** Bytes enough to judge any signature above. */
const HEAD_BYTES = 8

/** Why bytes starting with `head` are not of `mediaType`, or undefined. Types without a signature (XML) pass. */
export function magicRefusal (mediaType: string, head: Uint8Array): string | undefined {
  const magic = MAGIC[mediaType]
  if (magic === undefined) return undefined
  const ok = head.length >= magic.bytes.length && magic.bytes.every((b, i) => head[i] === b)
  return ok ? undefined : `the file does not start as ${mediaType} does (${magic.what})`
}

export class AttachmentStore {
  private readonly meta: Sublevel<AttachmentMeta>
  private readonly jobs: Sublevel<FetchJob>

  constructor (private readonly db: Database, readonly dir: string, private readonly durable = true) {
    this.meta = db.sublevel<AttachmentMeta>('attachments', 'json')
    this.jobs = db.sublevel<FetchJob>('attachment-fetches', 'json')
  }

  /** Makes the folders, and removes uploads a crash left half-written. */
  async init (): Promise<void> {
    await rm(join(this.dir, 'tmp'), { recursive: true, force: true })
    for (const sub of ['sha256', 'partial', 'tmp']) await mkdir(join(this.dir, sub), { recursive: true, mode: 0o700 })
  }

  pathOf (digest: string): string {
    checkDigest(digest)
    return join(this.dir, 'sha256', digest.slice(0, 2), digest.slice(2))
  }

  private partialPath (digest: string): string {
    checkDigest(digest)
    return join(this.dir, 'partial', digest)
  }

  /** What is known of a file held here; undefined when it is not held. */
  async get (digest: string): Promise<AttachmentMeta | undefined> {
    if (!DIGEST_PATTERN.test(digest)) return undefined
    return await this.meta.get(digest)
  }

  async has (digest: string): Promise<boolean> {
    return (await this.get(digest)) !== undefined
  }

  /**
   * Stores the bytes `source` yields as a file of `mediaType`, at most
   * `maxBytes` of them; throws AttachmentError past that, for no bytes, or
   * for bytes that do not start as the media type does, and leaves nothing
   * behind. The same bytes stored before are not stored again: their entry
   * is returned.
   */
  async put (source: AsyncIterable<Uint8Array>, options: { mediaType: string, name?: string, maxBytes: number }): Promise<AttachmentMeta> {
    const tmp = join(this.dir, 'tmp', randomUUID())
    await mkdir(dirname(tmp), { recursive: true, mode: 0o700 })
    const file = await open(tmp, 'wx', 0o600)
    const hash = createHash('sha256')
    let size = 0
    let head: Uint8Array = new Uint8Array(0)
    let closed = false
    try {
      for await (const chunk of source) {
        size += chunk.length
        if (size > options.maxBytes) throw new AttachmentError('too-large', `the file is larger than the limit of ${options.maxBytes} bytes`)
        if (head.length < HEAD_BYTES) {
          head = concat(head, chunk.subarray(0, HEAD_BYTES - head.length))
          // Judged as soon as the signature has arrived, not after the whole file.
          if (head.length >= HEAD_BYTES) checkMagic(options.mediaType, head)
        }
        hash.update(chunk)
        await writeAll(file, chunk)
      }
      if (size === 0) throw new AttachmentError('empty', 'the file is empty')
      checkMagic(options.mediaType, head)
      if (this.durable) await file.datasync()
      closed = true
      await file.close()
      return await this.settle(tmp, hash.digest('hex'), { size, mediaType: options.mediaType, ...(options.name !== undefined && { name: options.name }) })
    } catch (err) {
      if (!closed) await file.close().catch(() => {})
      await rm(tmp, { force: true })
      throw err
    }
  }

  /** Moves a whole, checked file under its digest and records it; a file held already stays as it is. */
  private async settle (from: string, digest: string, meta: Omit<AttachmentMeta, 'digest' | 'storedAt'>): Promise<AttachmentMeta> {
    const existing = await this.meta.get(digest)
    const target = this.pathOf(digest)
    if (existing !== undefined && await exists(target)) {
      await rm(from, { force: true })
      return existing
    }
    const folder = dirname(target)
    await mkdir(folder, { recursive: true, mode: 0o700 })
    await rename(from, target)
    if (this.durable) await syncFolder(folder)
    const entry: AttachmentMeta = { digest, ...meta, storedAt: new Date().toISOString() }
    await this.db.commit([{ type: 'put', sublevel: this.meta, key: digest, value: entry } as WriteOp])
    return entry
  }

  /** `length` bytes of a held file from `offset` (fewer at its end). */
  async read (digest: string, offset: number, length: number): Promise<Uint8Array> {
    const file = await open(this.pathOf(digest), 'r')
    try {
      const buffer = new Uint8Array(length)
      let filled = 0
      while (filled < length) {
        const { bytesRead } = await file.read(buffer, filled, length - filled, offset + filled)
        if (bytesRead === 0) break
        filled += bytesRead
      }
      return buffer.subarray(0, filled)
    } finally {
      await file.close()
    }
  }

  /** A stream of a held file's bytes from `start` to `end` inclusive. */
  stream (digest: string, start: number, end: number): ReadStream {
    return createReadStream(this.pathOf(digest), { start, end })
  }

  // ------------------------------------------------------------ fetching

  /** How many bytes of a file being fetched have arrived. */
  async partialSize (digest: string): Promise<number> {
    try {
      return (await stat(this.partialPath(digest))).size
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0
      throw err
    }
  }

  /** Writes a chunk of a file being fetched at `offset`, which is where the partial file ends. */
  async writePartial (digest: string, offset: number, bytes: Uint8Array): Promise<void> {
    const path = this.partialPath(digest)
    const file = await open(path, offset === 0 ? 'w' : 'r+', 0o600)
    try {
      let written = 0
      while (written < bytes.length) {
        const { bytesWritten } = await file.write(bytes, written, bytes.length - written, offset + written)
        written += bytesWritten
      }
      // Whatever lay past the chunk (a longer write a crash cut short) is not part of the file.
      await file.truncate(offset + bytes.length)
      if (this.durable) await file.datasync()
    } finally {
      await file.close()
    }
  }

  /**
   * A fetched file is whole: checks its size, its digest and its first bytes,
   * and moves it under its digest. On any mismatch the partial file is removed
   * and AttachmentError thrown: nothing is stored.
   */
  async completePartial (digest: string, meta: { size: number, mediaType: string, name?: string }): Promise<AttachmentMeta> {
    const path = this.partialPath(digest)
    try {
      const size = (await stat(path)).size
      if (size !== meta.size) throw new AttachmentError('digest-mismatch', `the file arrived with ${size} bytes, not ${meta.size}`)
      const hash = createHash('sha256')
      let head: Uint8Array = new Uint8Array(0)
      for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
        if (head.length < HEAD_BYTES) head = concat(head, chunk.subarray(0, HEAD_BYTES - head.length))
        hash.update(chunk)
      }
      const actual = hash.digest('hex')
      if (actual !== digest) throw new AttachmentError('digest-mismatch', `the bytes received hash to ${actual}, not ${digest}`)
      checkMagic(meta.mediaType, head)
      return await this.settle(path, digest, { size: meta.size, mediaType: meta.mediaType, ...(meta.name !== undefined && { name: meta.name }) })
    } catch (err) {
      if (err instanceof AttachmentError) await this.discardPartial(digest)
      throw err
    }
  }

  async discardPartial (digest: string): Promise<void> {
    await rm(this.partialPath(digest), { force: true })
  }

  async job (digest: string): Promise<FetchJob | undefined> {
    return DIGEST_PATTERN.test(digest) ? await this.jobs.get(digest) : undefined
  }

  async allJobs (): Promise<FetchJob[]> {
    return await this.jobs.values().all()
  }

  async putJob (job: FetchJob): Promise<void> {
    await this.db.commit([{ type: 'put', sublevel: this.jobs, key: job.digest, value: job } as WriteOp])
  }

  async deleteJob (digest: string): Promise<void> {
    await this.db.commit([{ type: 'del', sublevel: this.jobs, key: digest } as WriteOp])
  }
}

function checkDigest (digest: string): void {
  if (!DIGEST_PATTERN.test(digest)) throw new RangeError(`${JSON.stringify(digest)} is not a SHA-256 digest in hex`)
}

function checkMagic (mediaType: string, head: Uint8Array): void {
  const refusal = magicRefusal(mediaType, head)
  if (refusal !== undefined) throw new AttachmentError('mismatch', refusal)
}

function concat (a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}

async function writeAll (file: Awaited<ReturnType<typeof open>>, bytes: Uint8Array): Promise<void> {
  let written = 0
  while (written < bytes.length) {
    const { bytesWritten } = await file.write(bytes, written, bytes.length - written)
    written += bytesWritten
  }
}

async function exists (path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch {
    return false
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

/** The files under `dir`'s sha256 folder, by digest (for checks and tests). */
export async function storedDigests (dir: string): Promise<string[]> {
  const root = join(dir, 'sha256')
  const out: string[] = []
  for (const prefix of await readdir(root).catch(() => [] as string[])) {
    for (const rest of await readdir(join(root, prefix)).catch(() => [] as string[])) out.push(prefix + rest)
  }
  return out.sort()
}
