/**
 * Code lists on this node: every `reference.codelist` record it holds, by
 * list and version, with the entries of each read once; which version is in
 * force on a day; searching a list; publishing a version (an authority, or an
 * agency entitled to reference data); and the guard that checks the coded
 * fields of every document this node signs against the lists in force on the
 * document's date. A list the node does not hold checks nothing: reference
 * data arrives from its publisher, and a node without it cannot judge.
 */
import {
  checkEntries, closestCodes, CodeListError, entriesText, parseEntries, type CodeListEntry, type NameLang
} from '../../record/reference/codelist.js'
import { codedFields, codedValues, type CodedField } from '../../record/reference/coded-fields.js'
import { dataOf, type SignedRecord } from '../../record/index.js'
import { recordInput, RecordTypes, type ReferenceCodelistData } from '../../record/types/index.js'
import { referenceCodelist } from '../../record/types/reference-codelist.js'
import type { TypeRegistry } from '../../record/types/registry.js'
import type { RecordStore } from '../../storage/index.js'
import { ServiceError, type Violation } from '../errors.js'
import { listen, type NodeEvents } from '../events.js'
import type { RecordGuards } from '../records/record-guards.js'
import type { CreateRecordInput, RecordService } from '../records/record-service.js'
import { heldRecords } from '../records/held-records.js'

export const CODELIST = RecordTypes.referenceCodelist

/** One version of a list, as held here. */
export interface CodeListVersion {
  readonly list: string
  readonly version: string
  readonly validFrom: string
  readonly validUntil?: string
  readonly title: Readonly<Record<NameLang, string>>
  readonly source?: string
  readonly issuer: string
  readonly record: string
  readonly issuedAt: string
  readonly entryCount: number
}

interface Held extends CodeListVersion {
  readonly entries: ReadonlyMap<string, CodeListEntry>
  /** Codes that have codes under them (an HS heading with subheadings). */
  readonly parents: ReadonlySet<string>
}

/** What a publisher sends: the list's version with its entries as a list. */
export interface CodeListInput {
  readonly list: string
  readonly version: string
  readonly validFrom: string
  readonly validUntil?: string
  readonly title: Readonly<Record<NameLang, string>>
  readonly source?: string
  readonly entries: unknown
}

export interface CodeListServiceComponents {
  readonly recordStore: RecordStore
  readonly records: Pick<RecordService, 'create' | 'now'>
  readonly types: TypeRegistry
  readonly guards: RecordGuards
  readonly events: NodeEvents
}

export function codeListService () {
  return (components: CodeListServiceComponents): CodeListService => new CodeListService(components)
}

const today = (instant: string): string => instant.slice(0, 10)

export class CodeListService {
  /** Versions by list, oldest start first. */
  private readonly lists = new Map<string, Held[]>()
  private unlisten: (() => void) | undefined

  constructor (private readonly components: CodeListServiceComponents) {}

  async start (): Promise<void> {
    for (const record of await heldRecords(this.components.recordStore, CODELIST)) this.hold(record)
    this.unlisten = listen(this.components.events, {
      'record:stored': record => { if (record.envelope.type === CODELIST) this.hold(record) }
    })
    this.components.guards.add('codelists', async input => this.refusal(input))
  }

  stop (): void {
    this.components.guards.remove('codelists')
    this.unlisten?.()
    this.unlisten = undefined
  }

  /** Takes a version in; a record whose entries do not read is left out (it was checked when signed, by its issuer). */
  private hold (record: SignedRecord): void {
    let data: ReferenceCodelistData
    let entries: CodeListEntry[]
    try {
      data = dataOf(record) as unknown as ReferenceCodelistData
      entries = parseEntries(data.entries)
    } catch {
      return
    }
    const versions = this.lists.get(data.list) ?? []
    if (versions.some(v => v.record === record.id)) return
    const held: Held = {
      list: data.list,
      version: data.version,
      validFrom: data.validFrom,
      ...(data.validUntil !== undefined && { validUntil: data.validUntil }),
      title: data.title,
      ...(data.source !== undefined && { source: data.source }),
      issuer: record.envelope.issuer,
      record: record.id,
      issuedAt: record.envelope.issuedAt,
      entryCount: entries.length,
      entries: new Map(entries.map(e => [e.code, e])),
      parents: new Set(entries.flatMap(e => e.parent !== undefined ? [e.parent] : []))
    }
    versions.push(held)
    // Oldest start first; of two versions starting the same day, the one issued later wins.
    versions.sort((a, b) => a.validFrom < b.validFrom ? -1 : a.validFrom > b.validFrom ? 1 : a.issuedAt < b.issuedAt ? -1 : 1)
    this.lists.set(data.list, versions)
  }

  private summary (held: Held): CodeListVersion {
    const { entries: _entries, parents: _parents, ...version } = held
    return version
  }

  /** Every list held, each with its versions, oldest first. */
  catalogue (): Array<{ list: string, title: Readonly<Record<NameLang, string>>, inForce?: string, versions: CodeListVersion[] }> {
    const day = today(this.components.records.now())
    return [...this.lists].sort(([a], [b]) => a < b ? -1 : 1).map(([list, versions]) => {
      const current = this.versionOn(list, day)
      return {
        list,
        title: (current ?? versions.at(-1) as Held).title,
        ...(current !== undefined && { inForce: current.version }),
        versions: versions.map(v => this.summary(v))
      }
    })
  }

  /** The version of `list` in force on `day` (YYYY-MM-DD): the latest to start on or before it, unless it ended. */
  private versionOn (list: string, day: string): Held | undefined {
    const versions = this.lists.get(list) ?? []
    const current = versions.findLast(v => v.validFrom <= day)
    return current === undefined || (current.validUntil !== undefined && current.validUntil < day) ? undefined : current
  }

  /** A version by name, or the one in force on `day` (today if not given). */
  find (list: string, options: { version?: string, day?: string } = {}): (CodeListVersion & { entries: CodeListEntry[] }) | undefined {
    const held = options.version !== undefined
      ? (this.lists.get(list) ?? []).findLast(v => v.version === options.version)
      : this.versionOn(list, options.day ?? today(this.components.records.now()))
    return held === undefined ? undefined : { ...this.summary(held), entries: [...held.entries.values()] }
  }

  /** The entry of `code` in the version of `list` in force on `day` (today if not given). */
  entry (list: string, code: string, day?: string): CodeListEntry | undefined {
    return this.versionOn(list, day ?? today(this.components.records.now()))?.entries.get(code)
  }

  /** Entries of a version whose code starts with `q`, or whose name in any language contains it, codes first. */
  search (entries: readonly CodeListEntry[], q: string, limit: number): CodeListEntry[] {
    const query = q.trim().toLocaleLowerCase()
    if (query === '') return entries.slice(0, limit)
    const compact = query.replace(/[\s.]/g, '')
    const byCode = entries.filter(e => e.code.toLocaleLowerCase().startsWith(compact))
    const byName = entries.filter(e => !byCode.includes(e) && Object.values(e.names).some(n => n.toLocaleLowerCase().includes(query)))
    return [...byCode, ...byName].slice(0, limit)
  }

  /** Signs and publishes a version of a list; every certified participant receives it. */
  async publish (input: CodeListInput): Promise<SignedRecord> {
    let entries: CodeListEntry[]
    try {
      entries = checkEntries(input.entries)
    } catch (err) {
      if (err instanceof CodeListError) throw new ServiceError('schema-violation', `the code list's entries: ${err.message}`, [{ path: err.path, message: err.message }])
      throw err
    }
    const { record } = await this.components.records.create(recordInput(referenceCodelist, {
      list: input.list,
      version: input.version,
      validFrom: input.validFrom,
      ...(input.validUntil !== undefined && { validUntil: input.validUntil }),
      title: input.title,
      ...(input.source !== undefined && { source: input.source }),
      entryCount: entries.length,
      entries: entriesText(entries)
    }))
    return record
  }

  /** The coded fields of a type (codedFields keeps them per schema). */
  private fieldsOf (type: string): readonly CodedField[] {
    const schema = this.components.types.get(type)?.schema
    return schema === undefined ? [] : codedFields(schema as Record<string, unknown>)
  }

  /** Whether `value` is a code of `held`: exactly, or (prefix match) by its longest prefix, which must have nothing under it. */
  private static has (held: Held, value: string, match: CodedField['match']): boolean {
    if (held.entries.has(value)) return true
    if (match !== 'prefix') return false
    for (let n = value.length - 1; n >= 2; n--) {
      const prefix = value.slice(0, n)
      if (held.entries.has(prefix)) return !held.parents.has(prefix)
    }
    return false
  }

  /** Every coded value of `data` (of `type`) that the lists in force on `day` do not hold, with suggestions. */
  violations (type: string, data: unknown, day: string): Violation[] {
    const out: Violation[] = []
    for (const field of this.fieldsOf(type)) {
      const held = this.versionOn(field.list, day)
      if (held === undefined) continue
      for (const { pointer, value } of codedValues(data, field.steps)) {
        if (CodeListService.has(held, value, field.match)) continue
        const close = closestCodes(field.match === 'prefix' ? value.slice(0, 6) : value, held.entries.keys())
        out.push({
          path: `/data${pointer}`,
          message: `${JSON.stringify(value)} is not in ${field.list} version ${held.version} (in force on ${day})` +
            (close.length > 0 ? `; did you mean ${close.join(', ')}?` : '')
        })
      }
    }
    return out
  }

  /** The guard: a document's coded fields are checked against the lists in force on its own date (its `date`, else today). */
  private refusal (input: CreateRecordInput): ServiceError | undefined {
    if (input.type === CODELIST) return undefined
    const own = (input.data as { date?: unknown }).date
    const day = typeof own === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(own) ? own : today(this.components.records.now())
    const violations = this.violations(input.type, input.data, day)
    return violations.length === 0
      ? undefined
      : new ServiceError('code-not-listed', `${violations.length} value(s) of ${input.type} are not in the code lists in force on ${day}`, violations)
  }
}
