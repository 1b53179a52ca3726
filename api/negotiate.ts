/**
 * Proactive content negotiation (RFC 9110 §12.5.1): which of the media types a
 * route offers the client's Accept header prefers.
 */

interface MediaRange {
  readonly type: string
  readonly subtype: string
  readonly q: number
}

const Q_VALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/
const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/

function parseRange (text: string): MediaRange | undefined {
  const [range = '', ...params] = text.split(';')
  const [type, subtype, ...rest] = range.trim().toLowerCase().split('/')
  if (type === undefined || subtype === undefined || rest.length > 0 || !TOKEN.test(type) || !TOKEN.test(subtype)) return undefined
  if (type === '*' && subtype !== '*') return undefined
  let q = 1
  for (const param of params) {
    const [name = '', value = ''] = param.split('=', 2).map(s => s.trim())
    if (name.toLowerCase() !== 'q') continue
    if (!Q_VALUE.test(value)) return undefined
    q = Number(value)
  }
  return { type, subtype, q }
}

/** How closely a range names a media type: 2 exactly, 1 by its type, 0 as anything; -1 not at all. */
function specificity (range: MediaRange, mediaType: string): number {
  const [type, subtype] = mediaType.toLowerCase().split('/')
  if (range.type === '*') return 0
  if (range.type !== type) return -1
  if (range.subtype === '*') return 1
  return range.subtype === subtype ? 2 : -1
}

/**
 * The offered media type the Accept header prefers, or undefined when it
 * accepts none of them (a 406). Each offered type takes the q-value of the most
 * specific range naming it; q=0 excludes it; ties go to the earlier offered type.
 * A missing, empty or unreadable header accepts the first offered type.
 */
export function negotiate (accept: string | undefined, offered: readonly string[]): string | undefined {
  const ranges = (accept ?? '').split(',').filter(part => part.trim() !== '').map(parseRange).filter(r => r !== undefined)
  if (ranges.length === 0) return offered[0]
  let best: { type: string, q: number } | undefined
  for (const type of offered) {
    let q = 0
    let closest = -1
    for (const range of ranges) {
      const s = specificity(range, type)
      if (s > closest) {
        closest = s
        q = range.q
      }
    }
    if (q > 0 && (best === undefined || q > best.q)) best = { type, q }
  }
  return best?.type
}
