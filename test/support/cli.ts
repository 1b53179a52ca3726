/** The keruen command as a user runs it: a real process of the compiled command. */
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { repoFile } from './repo.js'

export const KERUEN = fileURLToPath(repoFile('scripts/bin/keruen.js'))

export interface Run { code: number | null, stdout: string, stderr: string }

/** Runs `keruen args…` to its end, with `env` over this process's environment. */
export async function keruen (args: string[], env: Record<string, string> = {}): Promise<Run> {
  const child = spawn(process.execPath, [KERUEN, ...args], { env: { ...process.env, ...env } })
  return await collect(child)
}

/** What a process wrote, once it has closed, and how it ended. */
export async function collect (child: ChildProcess): Promise<Run> {
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
  child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  const code = await new Promise<number | null>(resolve => child.on('close', resolve))
  return { code, stdout, stderr }
}
