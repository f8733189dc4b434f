// Text inputs must be UTF-8 (RFC 8259 §8.1: JSON exchanged between systems is UTF-8). Node's default decoding
// replaces invalid bytes with U+FFFD without a word, which would copy damaged captions into every corpus; these
// helpers make such bytes an error that names the file and the byte offset instead.
import { isUtf8 } from 'node:buffer'
import { PixcapError, type JsonPath } from '../../errors.js'

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence, or -1 when all are valid. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  if (isUtf8(bytes)) return -1
  const n = bytes.length
  let i = 0
  while (i < n) {
    const b = bytes[i]!
    // Sequence length and the allowed range of the second byte (Unicode Table 3-7: no overlongs, no surrogates).
    let len: number
    let lo = 0x80
    let hi = 0xbf
    if (b < 0x80) len = 1
    else if (b >= 0xc2 && b <= 0xdf) len = 2
    else if (b >= 0xe0 && b <= 0xef) {
      len = 3
      if (b === 0xe0) lo = 0xa0
      else if (b === 0xed) hi = 0x9f
    } else if (b >= 0xf0 && b <= 0xf4) {
      len = 4
      if (b === 0xf0) lo = 0x90
      else if (b === 0xf4) hi = 0x8f
    } else return i
    for (let k = 1; k < len; k++) {
      const c = bytes[i + k]
      if (c === undefined) return i
      if (k === 1 ? c < lo || c > hi : c < 0x80 || c > 0xbf) return i
    }
    i += len
  }
  return -1
}

/**
 * Decodes UTF-8 bytes read from `file`; invalid bytes are PixcapError('invalid_json') naming the absolute byte offset
 * (`baseOffset` is where `bytes` start in the file) and the JSON path being read.
 */
export function decodeUtf8(bytes: Uint8Array, file: string, path: JsonPath = [], baseOffset = 0): string {
  const bad = firstInvalidUtf8(bytes)
  if (bad >= 0) {
    const hex = Array.from(bytes.subarray(bad, bad + 4), (b) => b.toString(16).padStart(2, '0')).join(' ')
    throw new PixcapError('invalid_json', file, path, `invalid UTF-8 at byte ${baseOffset + bad} (bytes ${hex}); JSON text must be UTF-8 (re-encode the file, e.g. with iconv)`)
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')
}
