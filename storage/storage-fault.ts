/**
 * What a failed write says about the disk, in words an operator can act on,
 * and whether there is room again to reopen the database after one.
 */
import { statfs } from 'node:fs/promises'

/** LevelDB's codes (classic-level) for an error of the disk, not of the write. */
const DISK_CODES = new Set(['LEVEL_IO_ERROR', 'LEVEL_CORRUPTION'])

/**
 * Whether `err`, thrown while writing, came from the disk rather than from the
 * operations written: LevelDB's I/O and corruption errors and every error of
 * a file-system call.
 */
export function isDiskError (err: unknown): boolean {
  const e = err as { code?: unknown, syscall?: unknown } | undefined
  return typeof e?.syscall === 'string' || (typeof e?.code === 'string' && DISK_CODES.has(e.code))
}

const FULL = /ENOSPC|EDQUOT|No space left|quota exceeded/i
const READ_ONLY = /EROFS|Read-only file system/i

function text (err: unknown): string {
  const e = err as { code?: unknown, message?: unknown } | undefined
  return `${String(e?.code ?? '')} ${String(e?.message ?? err)}`
}

/** Whether the disk (or the user's quota on it) is full. */
export function isDiskFull (err: unknown): boolean {
  return FULL.test(text(err))
}

/** One line saying what is wrong with the folder `location` after `err`. */
export function describeDiskError (location: string, err: unknown): string {
  if (isDiskFull(err)) return `the disk holding ${location} is full`
  if (READ_ONLY.test(text(err))) return `${location} is on a read-only file system`
  const message = (err as { message?: unknown } | undefined)?.message
  return `${location} could not be written: ${typeof message === 'string' ? message : String(err)}`
}

/**
 * Whether the file system of `location` has room for LevelDB to reopen (it
 * writes a new log, manifest and table of what the old log held): a tenth of
 * the file system, at most 64 MiB, free to this process.
 */
export async function hasRoomToReopen (location: string): Promise<boolean> {
  const fs = await statfs(location)
  const free = fs.bavail * fs.bsize
  return free >= Math.min(64 * 1024 * 1024, fs.blocks * fs.bsize / 10)
}
