/**
 * What a record of this node is completed with before it is signed: data the
 * node works out rather than a person types (a declaration's payments).
 * Components add theirs in start() and remove them in stop(), as they do
 * their guards (record-guards.ts). A completion runs on data that has passed
 * its schema, and what it returns is checked again.
 */
import type { CreateRecordInput } from './record-service.js'

export type RecordCompletion = (input: CreateRecordInput) => Promise<CreateRecordInput>

export class RecordCompletions {
  private readonly completions = new Map<string, RecordCompletion>()

  add (name: string, completion: RecordCompletion): void {
    if (this.completions.has(name)) throw new Error(`record completion ${name} is already registered`)
    this.completions.set(name, completion)
  }

  remove (name: string): void {
    this.completions.delete(name)
  }

  async complete (input: CreateRecordInput): Promise<CreateRecordInput> {
    let completed = input
    for (const completion of this.completions.values()) completed = await completion(completed)
    return completed
  }
}
