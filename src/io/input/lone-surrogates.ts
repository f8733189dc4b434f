// A JSON string may spell a UTF-16 surrogate with an escape (`"\ud800"`) that has no partner: JSON.parse accepts it
// (RFC 8259 §8.2 calls such strings unpredictable), but it is not Unicode text. Written out, Parquet's UTF-8 encoder
// turns it into U+FFFD while JSON.stringify keeps `\ud800`, and Python's `json`/`datasets` then fail on the JSONL
// (issue 17, finding 7). Such strings are an error on read, naming the file, the JSON path and the byte offset.
// Raw UTF-8 cannot carry a surrogate (ED A0..BF is invalid UTF-8, caught by io/utf8.ts), so only escapes matter.
import { PixcapError, type JsonPath } from '../../errors.js'

/** A `\uD800`..`\uDFFF` escape (either case). */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F][0-9a-fA-F]{2}/g
/** A lone high or low surrogate in a JS string. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** True when `s` holds a surrogate code unit without its partner (String.prototype.isWellFormed, negated). */
export function hasLoneSurrogate(s: string): boolean {
  return LONE_SURROGATE.test(s)
}

/**
 * Index in JSON `text` of the first escape that spells a lone surrogate, or -1. Escaped backslashes (`"\\ud800"`,
 * the six characters `\ud800` as text) are not escapes and are skipped.
 */
export function findLoneSurrogateEscape(text: string): number {
  if (!text.includes('\\u')) return -1
  SURROGATE_ESCAPE.lastIndex = 0
  let pendingHigh = -1 // index of a high-surrogate escape waiting for its low partner
  for (let m = SURROGATE_ESCAPE.exec(text); m !== null; m = SURROGATE_ESCAPE.exec(text)) {
    let slashes = 0
    for (let k = m.index - 1; k >= 0 && text.charCodeAt(k) === 0x5c; k--) slashes++
    if (slashes % 2 === 1) continue // `\\u...`: a literal backslash followed by text
    const high = parseInt(m[0].slice(2), 16) < 0xdc00
    if (pendingHigh >= 0) {
      if (!high && m.index === pendingHigh + 6) {
        pendingHigh = -1
        continue
      }
      return pendingHigh
    }
    if (high) pendingHigh = m.index
    else return m.index
  }
  return pendingHigh
}

/** JSON path (below `base`) of the first string or key in `value` that holds a lone surrogate, or undefined. */
export function pathOfLoneSurrogate(value: unknown, base: JsonPath = []): JsonPath | undefined {
  if (typeof value === 'string') return hasLoneSurrogate(value) ? base : undefined
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = pathOfLoneSurrogate(value[i], [...base, i])
      if (p) return p
    }
    return undefined
  }
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (hasLoneSurrogate(k)) return [...base, k]
      const p = pathOfLoneSurrogate(v, [...base, k])
      if (p) return p
    }
  }
  return undefined
}

/**
 * Throws PixcapError('invalid_json') when the JSON `text` (already parsed into `value`, read from `file` at
 * `baseOffset`) spells a lone surrogate: the message names the JSON path and the byte offset of the escape.
 * Cheap when there is none (one substring search).
 */
export function checkNoLoneSurrogates(text: string, value: unknown, file: string, basePath: JsonPath = [], baseOffset = 0): void {
  const at = findLoneSurrogateEscape(text)
  if (at < 0) return
  const path = pathOfLoneSurrogate(value, basePath) ?? basePath
  const offset = baseOffset + Buffer.byteLength(text.slice(0, at))
  throw new PixcapError(
    'invalid_json', file, path,
    `lone surrogate ${text.slice(at, at + 6)} at byte ${offset}: a UTF-16 surrogate escape without its partner is not Unicode text ` +
      '(Parquet would store U+FFFD, and Python cannot load the JSONL); fix the string at its source',
  )
}
