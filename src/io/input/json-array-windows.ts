// The fast path of streamJsonObject (json-array-stream.ts) for an array of objects: instead of scanning every byte
// to find where each element ends and JSON.parsing elements one by one, it reads the file in windows of a few MiB and
// JSON.parses each window's complete elements in one call, so a streamed file costs about what JSON.parse of the
// whole file costs while memory stays bounded by the window (peak RSS flat with the file's size).
//
// Where a window's last complete element ends is found without a scan: the elements of a COCO-style array are objects
// that begin with the same key (`{"segments_info":` for Pix2Cap annotations, since one json.dump wrote them all), so
// the last `,` + that prefix in the window is a candidate cut, and JSON.parse of `[` + the bytes before it + `]`
// succeeds exactly when the cut is at an element boundary: a cut inside a string leaves a string unclosed and a cut
// inside a nested value leaves a bracket unclosed, and both are syntax errors. When no candidate works (elements of
// another shape, an element larger than the window, invalid UTF-8 or JSON, the array's last element), the byte
// scanner takes over from the window's first element, and it names the JSON path and byte offset of any error.
import type { FileHandle } from 'node:fs/promises'
import { isUtf8 } from 'node:buffer'
import type { JsonStreamEvent } from './json-stream-events.js'
import { findLoneSurrogateEscape } from './lone-surrogates.js'

/**
 * Bytes read per window. 1 MiB: the objects one window's JSON.parse makes then fit V8's young generation and die
 * there; with 4 MiB windows they were promoted, and peak RSS of a read grew 2.1x from 100k to 1M regions (132 -> 278
 * MB) against 1.2x (112 -> 136 MB) with 1 MiB, which was also faster (1.97 vs 2.32 s CPU at 1M).
 */
export const ARRAY_WINDOW_BYTES = 1 << 20

/** Candidate cuts tried per window before the scanner takes over. */
const TRIES = 3
/** Longest element prefix used as the signature (the first key, with its quotes and colon). */
const MAX_SIGNATURE = 64

const isWs = (b: number | undefined): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09

/** `{"key":` at the start of `buf` (whitespace allowed inside), or undefined when the element is not such an object. */
function elementSignature(buf: Buffer, start: number): Buffer | undefined {
  if (buf[start] !== 0x7b) return undefined
  let i = start + 1
  while (isWs(buf[i])) i++
  if (buf[i] !== 0x22) return undefined
  for (let k = i + 1; k < Math.min(buf.length, start + MAX_SIGNATURE); k++) {
    const b = buf[k]
    if (b === 0x5c) return undefined // an escaped key: leave it to the scanner
    if (b === 0x22) {
      let c = k + 1
      while (isWs(buf[c])) c++
      return buf[c] === 0x3a ? Buffer.from(buf.subarray(start, c + 1)) : undefined
    }
  }
  return undefined
}

const LONE_SURROGATE = Symbol('lone surrogate')

/**
 * JSON.parses the elements in `win[s, c)` (c is a comma) as one array, or undefined when that is not valid JSON (the
 * cut is not at an element boundary). `[` and `]` are written over `win[s - 1]` and the comma for the call and put
 * back after it: the text is then one string as it is, where `[${text}]` was a second string of the window's size
 * that JSON.parse flattened into a third.
 */
function parseCut(win: Buffer, s: number, c: number): unknown[] | undefined | typeof LONE_SURROGATE {
  const before = win[s - 1]!
  win[s - 1] = 0x5b
  win[c] = 0x5d
  const text = win.toString('utf8', s - 1, c + 1)
  win[s - 1] = before
  win[c] = 0x2c
  // A lone surrogate escape is left to the byte scanner, which names its JSON path and byte offset.
  if (findLoneSurrogateEscape(text) >= 0) return LONE_SURROGATE
  try {
    const parsed: unknown = JSON.parse(text)
    return Array.isArray(parsed) ? parsed : undefined
  } catch {
    return undefined // not an element boundary (or invalid JSON): the caller tries the candidate before it
  }
}

/** Where windowed parsing stopped: the scanner resumes at `resumeAt` (an element start) with element `index`. */
export interface WindowsEnd {
  resumeAt: number
  index: number
}

/**
 * Parses the elements of the array `key` starting at byte `from` (just after its '[' or after a ','), element
 * `index` first, yielding one `element` event per element; returns where the byte scanner must take over.
 */
export async function* parseElementWindows(
  handle: FileHandle,
  from: number,
  size: number,
  key: string,
  index: number,
  windowBytes = ARRAY_WINDOW_BYTES,
  onBytes?: (bytesRead: number) => void,
): AsyncGenerator<JsonStreamEvent, WindowsEnd> {
  // One byte ahead of the window, so that `[` can be written in front of any element (see parseCut).
  const buf = Buffer.allocUnsafe(1 + Math.min(windowBytes, Math.max(0, size - from)))
  let signature: Buffer | undefined
  let pos = from
  while (pos < size) {
    const { bytesRead } = await handle.read(buf, 1, Math.min(buf.length - 1, size - pos), pos)
    const win = buf.subarray(0, 1 + bytesRead) // win[0] is the spare byte; the file's bytes start at 1
    let s = 1
    while (s < win.length && isWs(win[s])) s++
    signature ??= elementSignature(win, s)
    if (signature === undefined || win.indexOf(signature, s) !== s) break
    let values: unknown[] | undefined
    let cut = -1
    let searchEnd = win.length
    for (let tries = 0; tries < TRIES && values === undefined; ) {
      const at = win.lastIndexOf(signature, searchEnd - 1)
      if (at <= s) break
      searchEnd = at
      let c = at - 1
      while (c > s && isWs(win[c])) c--
      if (win[c] !== 0x2c) continue
      tries++
      if (!isUtf8(win.subarray(s, c))) break
      const parsed = parseCut(win, s, c)
      if (parsed === LONE_SURROGATE) break
      if (parsed !== undefined) {
        values = parsed
        cut = c
      }
    }
    if (values === undefined) break
    // Each element is let go once yielded, so that it can die young while later elements of the window are still in use.
    for (let i = 0; i < values.length; i++) {
      const value = values[i]
      values[i] = undefined
      yield { kind: 'element', key, index: index++, value }
    }
    pos += cut // win[c] is the file's byte pos + c - 1: the comma after the last element parsed
    onBytes?.(pos)
  }
  return { resumeAt: pos, index }
}
