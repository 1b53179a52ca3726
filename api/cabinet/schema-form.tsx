/**
 * A form for a record type, made from its JSON Schema, and the data read back
 * from what the browser sends. Fields are named by their JSON Pointer under
 * `d` (`d/lines/0/quantity`), so a violation the node reports at
 * `/data/lines/0/quantity` lands beside its field. Lines of a list are added
 * and removed by a round trip to the server: the form needs no script.
 */
import type { JsonSchema } from '../../record/types/definition.js'
import type { Violation } from '../../node/errors.js'
import type { Lang, MessageKey } from './i18n.js'
import { fieldHint, labelAt, pointerSteps, valueName } from './document-labels.js'

type Schema = JsonSchema & {
  type?: string
  properties?: Record<string, Schema>
  required?: string[]
  items?: Schema
  enum?: string[]
  format?: string
  pattern?: string
  description?: string
  title?: string
  minItems?: number
  /** Worked out by the node when the record is signed (a declaration's payments): not a field a person fills in. */
  'x-derived'?: boolean
}

type T = (key: MessageKey, vars?: Record<string, string | number>) => string

/** What every field of one form is drawn with: its state, and the reader's words. */
interface Env {
  readonly state: FormState
  readonly t: T
  readonly lang: Lang
}

const FIELD = 'd'

const idOf = (pointer: string): string => `f${pointer.replaceAll('/', '-')}`

/** A violation's message in the reader's language, with the schema's own words kept as a hint. */
export function violationText (t: T, message: string): string {
  if (message === 'is required' || /fewer than 1 characters/.test(message)) return t('errRequired')
  if (/must match pattern/.test(message)) return t('errPattern')
  if (/must match format "date"/.test(message)) return t('errDate')
  if (/must be equal to one of the allowed values/.test(message)) return t('errChoice')
  return `${t('errInvalid')} (${message})`
}

export interface FormState {
  /** The values as the form holds them, by pointer. */
  readonly values: ReadonlyMap<string, string>
  /** How many items each list holds, by the list's pointer. */
  readonly counts: ReadonlyMap<string, number>
  /** Violations by the pointer of their field ('' for the whole form). */
  readonly errors: ReadonlyMap<string, string>
}

/** The fields of `schema`, labelled and explained in `lang`. */
export function SchemaFields (props: { schema: Schema, state: FormState, t: T, lang: Lang }) {
  return <>{fields(props.schema, '', { state: props.state, t: props.t, lang: props.lang }, true)}</>
}

function fields (schema: Schema, pointer: string, env: Env, top = false): unknown[] {
  const required = new Set(schema.required ?? [])
  return Object.entries(schema.properties ?? {}).filter(([, child]) => child['x-derived'] !== true).map(([name, child]) => field(name, child, `${pointer}/${name}`, required.has(name), env, top))
}

function field (name: string, schema: Schema, pointer: string, required: boolean, env: Env, top: boolean): unknown {
  const { state, t, lang } = env
  const error = state.errors.get(pointer)
  const label = labelAt(lang, pointerSteps(pointer))
  const hintText = schema.description !== undefined ? fieldHint(lang, schema.description) : undefined
  if (schema.type === 'object') {
    const group = (
      <fieldset class={top ? 'group' : 'group nested'}>
        <legend>{label}{required && <span class='req' aria-hidden='true'> *</span>}</legend>
        {hintText !== undefined && <p class='hint'>{hintText}</p>}
        {error !== undefined && <p class='field-error' role='alert'>{error}</p>}
        {fields(schema, pointer, env)}
      </fieldset>
    )
    if (required) return group
    // An optional group stays folded until it holds something: the form shows first what must be filled.
    const inside = (k: string): boolean => k.startsWith(`${pointer}/`)
    const used = [...state.values].some(([k, v]) => inside(k) && v.trim() !== '') || [...state.errors.keys()].some(inside)
    return <details class='optional' open={used}><summary>{label}</summary>{group}</details>
  }
  if (schema.type === 'array' && schema.items?.type === 'object') {
    const count = state.counts.get(pointer) ?? (schema.minItems ?? (required ? 1 : 0))
    return (
      <fieldset class='group list'>
        <legend>{label}{required && <span class='req' aria-hidden='true'> *</span>}</legend>
        {error !== undefined && <p class='field-error' role='alert'>{error}</p>}
        <input type='hidden' name={`_count${pointer}`} value={String(count)} />
        {Array.from({ length: count }, (_, i) => (
          <fieldset class='group nested item'>
            <legend>{t('line', { n: i + 1 })}</legend>
            {fields(schema.items as Schema, `${pointer}/${i}`, env)}
            <button type='submit' class='secondary' name='_remove' value={`${pointer}/${i}`} aria-label={`${label}: ${t('removeLine', { n: i + 1 })}`} formnovalidate>{t('removeLine', { n: i + 1 })}</button>
          </fieldset>
        ))}
        <button type='submit' class='secondary' name='_add' value={pointer} aria-label={`${label}: ${t('addLine')}`} formnovalidate>{t('addLine')}</button>
      </fieldset>
    )
  }
  const id = idOf(pointer)
  const value = state.values.get(pointer) ?? ''
  const hint = hintText !== undefined ? `${id}-hint` : undefined
  const described = [hint, error !== undefined ? `${id}-error` : undefined].filter(x => x !== undefined).join(' ') || undefined
  const common = { id, name: `${FIELD}${pointer}`, 'aria-describedby': described, 'aria-invalid': error !== undefined ? 'true' : undefined, required }
  let input: unknown
  if (schema.enum !== undefined) {
    input = (
      <select {...common}>
        <option value=''>—</option>
        {schema.enum.map(v => <option value={v} selected={v === value}>{valueName(lang, name, v)}</option>)}
      </select>
    )
  } else if (schema.type === 'array') {
    input = <textarea {...common} rows={3}>{value}</textarea>
  } else if (schema.type === 'boolean') {
    input = <input type='checkbox' {...common} value='true' checked={value === 'true'} required={false} />
  } else if (schema.type === 'integer' || schema.type === 'number') {
    input = <input type='number' {...common} value={value} step={schema.type === 'integer' ? '1' : 'any'} />
  } else {
    const decimal = schema.pattern?.startsWith('^(0|[1-9][0-9]*)') === true || schema.pattern?.startsWith('^-?(0|[1-9]') === true
    input = <input type={schema.format === 'date' ? 'date' : 'text'} {...common} value={value} inputmode={decimal ? 'decimal' : undefined} />
  }
  return (
    <div class='field'>
      <label for={id}>{label}{required && <span class='req' aria-hidden='true'> *</span>}</label>
      {hint !== undefined && <p class='hint' id={hint}>{hintText}</p>}
      {input}
      {error !== undefined && <p class='field-error' id={`${id}-error`}>{error}</p>}
    </div>
  )
}

/** The form's values and list sizes, read from what the browser sent; `_add`/`_remove` applied. */
export function readForm (schema: Schema, form: Record<string, unknown>): { values: Map<string, string>, counts: Map<string, number>, edited: boolean } {
  const values = new Map<string, string>()
  const counts = new Map<string, number>()
  for (const [key, value] of Object.entries(form)) {
    if (key.startsWith(`${FIELD}/`) && typeof value === 'string') values.set(key.slice(FIELD.length), value)
    if (key.startsWith('_count/') && typeof value === 'string') counts.set(key.slice('_count'.length), Math.max(0, Math.min(500, Number.parseInt(value, 10) || 0)))
  }
  const add = typeof form._add === 'string' ? form._add : undefined
  const remove = typeof form._remove === 'string' ? form._remove : undefined
  if (add !== undefined) counts.set(add, (counts.get(add) ?? 0) + 1)
  if (remove !== undefined) {
    const cut = remove.lastIndexOf('/')
    const list = remove.slice(0, cut)
    const index = Number(remove.slice(cut + 1))
    const count = counts.get(list) ?? 0
    // Later lines move up one place.
    for (const [pointer, value] of [...values]) {
      if (!pointer.startsWith(`${list}/`)) continue
      const [i, ...rest] = pointer.slice(list.length + 1).split('/')
      const n = Number(i)
      if (n < index) continue
      values.delete(pointer)
      if (n > index) values.set(`${list}/${n - 1}${rest.length > 0 ? `/${rest.join('/')}` : ''}`, value)
    }
    counts.set(list, Math.max(0, count - 1))
  }
  void schema
  return { values, counts, edited: add !== undefined || remove !== undefined }
}

/** The record's data from the form's values: empty fields left out, numbers and booleans as the schema types them. */
export function dataOfForm (schema: Schema, values: ReadonlyMap<string, string>, counts: ReadonlyMap<string, number>, pointer = ''): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {}
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    if (child['x-derived'] === true) continue
    const at = `${pointer}/${name}`
    let value: unknown
    if (child.type === 'object') {
      value = dataOfForm(child, values, counts, at)
    } else if (child.type === 'array' && child.items?.type === 'object') {
      const items = Array.from({ length: counts.get(at) ?? 0 }, (_, i) => dataOfForm(child.items as Schema, values, counts, `${at}/${i}`)).filter(v => v !== undefined)
      value = items.length > 0 ? items : undefined
    } else {
      const text = values.get(at)?.trim() ?? ''
      if (text === '') continue
      if (child.type === 'array') value = text.split('\n').map(s => s.trim()).filter(s => s !== '')
      else if (child.type === 'integer' || child.type === 'number') value = Number.isFinite(Number(text)) ? Number(text) : text
      else if (child.type === 'boolean') value = text === 'true'
      else value = text
    }
    if (value !== undefined) out[name] = value
  }
  return Object.keys(out).length > 0 ? out : undefined
}

/** The form's values for existing data (a new version of a document). */
export function valuesOfData (data: unknown, pointer = '', values = new Map<string, string>(), counts = new Map<string, number>()): { values: Map<string, string>, counts: Map<string, number> } {
  if (Array.isArray(data)) {
    if (data.every(v => typeof v === 'object' && v !== null)) {
      counts.set(pointer, data.length)
      data.forEach((v, i) => valuesOfData(v, `${pointer}/${i}`, values, counts))
    } else {
      values.set(pointer, data.map(String).join('\n'))
    }
  } else if (typeof data === 'object' && data !== null) {
    for (const [k, v] of Object.entries(data)) valuesOfData(v, `${pointer}/${k}`, values, counts)
  } else if (data !== undefined) {
    values.set(pointer, String(data))
  }
  return { values, counts }
}

/** Violations by the pointer of their field within the data. */
export function errorsByField (t: T, violations: readonly Violation[]): Map<string, string> {
  const errors = new Map<string, string>()
  for (const v of violations) {
    const at = v.path.startsWith('/data') ? v.path.slice('/data'.length) : ''
    if (!errors.has(at)) errors.set(at, violationText(t, v.message))
  }
  return errors
}
