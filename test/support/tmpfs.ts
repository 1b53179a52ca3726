/**
 * A small file system of its own (tmpfs) for tests of a full disk. Mounting
 * needs root and a kernel that allows it; where it is refused, the caller
 * skips with the reason printed.
 */
import { execFile } from 'node:child_process'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { tempDir } from './temp-node.js'

const run = promisify(execFile)

export interface Tmpfs {
  readonly dir: string
  /** Writes a file that takes all the room left but `leaveBytes` (tmpfs allocates whole pages). */
  fill: (leaveBytes?: number) => Promise<void>
  /** Removes what fill() wrote. */
  free: () => Promise<void>
  /** Mounts it again read-only ('ro') or writable ('rw'). */
  remount: (mode: 'ro' | 'rw') => Promise<void>
  unmount: () => Promise<void>
}

/** Mounts a tmpfs of `bytes`, or returns why it cannot. */
export async function mountTmpfs (bytes: number): Promise<Tmpfs | string> {
  if (process.platform !== 'linux') return `tmpfs needs Linux, this is ${process.platform}`
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root'
  const base = await tempDir()
  const dir = join(base, 'mnt')
  await mkdir(dir)
  try {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=0700`, 'tmpfs', dir])
  } catch (err) {
    await rm(base, { recursive: true, force: true })
    return `mount -t tmpfs was refused: ${(err as Error).message.split('\n')[0] ?? ''}`
  }
  const filler = join(dir, 'filler')
  return {
    dir,
    async fill (leaveBytes = 0) {
      const { stdout } = await run('df', ['-B1', '--output=avail', dir])
      const avail = Number(stdout.trim().split('\n').pop())
      await writeFile(filler, new Uint8Array(Math.max(0, avail - leaveBytes)))
    },
    async free () {
      await rm(filler, { force: true })
    },
    async remount (mode) {
      await run('mount', ['-o', `remount,${mode}`, dir])
    },
    async unmount () {
      await run('umount', [dir])
      await rm(base, { recursive: true, force: true })
    }
  }
}

/** Mounts a tmpfs of `bytes` for a mocha hook or test, or skips it, printing why. */
export async function tmpfsOrSkip (context: Mocha.Context, bytes: number): Promise<Tmpfs> {
  const mounted = await mountTmpfs(bytes)
  if (typeof mounted === 'string') {
    console.log(`      skipped: ${mounted}`)
    context.skip()
  }
  return mounted as Tmpfs
}
