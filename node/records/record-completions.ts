/**
 * What a record of this node is completed with before it is signed: data the
 * node works out rather than a person types (a declaration's payments, a
 * release's write-offs). Components add theirs in start() and remove them in
 * stop(), as they do their guards (record-guards.ts). A completion runs on
 * data that has passed its schema, and what it returns is checked again. A
 * completion that reads what earlier records of its kind wrote names a lock:
 * records under the same lock are completed, signed and stored one at a time.
 */
import type { CreateRecordInput } from './record-service.js'

export type RecordCompletion = (input: CreateRecordInput) => Promise<CreateRecordInput>

export interface CompletionOptions {
  /** The lock a record must hold from its completion to its storing, if any. */
  readonly lock?: (input: CreateRecordInput) => string | undefined
}

export class RecordCompletions {
  private readonly completions = new Map<string, { readonly completion: RecordCompletion, readonly options: CompletionOptions }>()

  add (name: string, completion: RecordCompletion, options: CompletionOptions = {}): void {
    if (this.completions.has(name)) throw new Error(`record completion ${name} is already registered`)
    this.completions.set(name, { completion, options })
  }

  remove (name: string): void {
    this.completions.delete(name)
  }

  /** The locks the record `input` describes must hold while it is completed, signed and stored. */
  locks (input: CreateRecordInput): string[] {
    const out: string[] = []
    for (const { options } of this.completions.values()) {
      const lock = options.lock?.(input)
      if (lock !== undefined) out.push(`completion:${lock}`)
    }
    return out
  }

  async complete (input: CreateRecordInput): Promise<CreateRecordInput> {
    let completed = input
    for (const { completion } of this.completions.values()) completed = await completion(completed)
    return completed
  }
}
