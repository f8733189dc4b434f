// Reads the LAST member of a top-level JSON object from the end of the file, without reading the rest: COCO panoptic
// files (Pix2Cap-COCO included) put the small `categories` list after the large `annotations` list
// (reference/pix2cap.md §2), so a streaming reader that needs categories to map annotations would otherwise scan the
// whole file twice. Scanning backwards is exact for JSON: outside strings there are no backslashes, so a quote is a
// string delimiter exactly when an even number of backslashes precede it, and every delimiter toggles "inside a
// string" whichever way one walks. Anything unexpected (not an object, a value that is not an array or object, a
// tail too short, invalid UTF-8 or JSON) gives undefined and the caller reads forwards as before, where the
// scanner reports the problem with its JSON path and byte offset.
import { open } from 'node:fs/promises'
import { findLoneSurrogateEscape } from './lone-surrogates.js'

/** The last member of the file's top-level object: its key, parsed value and the byte offset the value starts at. */
export interface LastMember {
  key: string
  value: unknown
  byteOffset: number
}

/** Tail read by default: the 133 COCO panoptic categories take about 13 kB. */
const LAST_MEMBER_MAX_BYTES = 1 << 20

const QUOTE = 0x22
const BACKSLASH = 0x5c
const isWs = (b: number | undefined): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09

/** True when the quote at `i` is a string delimiter (an even number of backslashes right before it). */
function delimits(buf: Uint8Array, i: number): boolean {
  let k = i - 1
  while (k >= 0 && buf[k] === BACKSLASH) k--
  return (i - 1 - k) % 2 === 0
}

/** Index of the bracket opening the array or object that closes at `end`, or -1 when the tail does not reach it. */
function openingBracket(buf: Uint8Array, end: number): number {
  let depth = 0
  let inString = false
  for (let i = end; i >= 0; i--) {
    const b = buf[i]
    if (b === QUOTE && delimits(buf, i)) inString = !inString
    else if (inString) continue
    else if (b === 0x5d || b === 0x7d) depth++
    else if (b === 0x5b || b === 0x7b) {
      depth--
      if (depth === 0) return i
    }
  }
  return -1
}

function skipWsBack(buf: Uint8Array, i: number): number {
  while (i >= 0 && isWs(buf[i])) i--
  return i
}

/** The last member of `file`'s top-level object when its value is an array or object, else undefined. */
export async function readLastMember(file: string, maxBytes = LAST_MEMBER_MAX_BYTES): Promise<LastMember | undefined> {
  let tail: Buffer
  let start: number
  try {
    const handle = await open(file, 'r')
    try {
      const size = (await handle.stat()).size
      start = Math.max(0, size - maxBytes)
      tail = Buffer.alloc(size - start)
      const { bytesRead } = await handle.read(tail, 0, tail.length, start)
      if (bytesRead !== tail.length) return undefined
    } finally {
      await handle.close()
    }
  } catch {
    return undefined
  }
  let i = skipWsBack(tail, tail.length - 1)
  if (tail[i] !== 0x7d) return undefined // the top-level object's '}'
  const valueEnd = skipWsBack(tail, i - 1)
  if (tail[valueEnd] !== 0x5d && tail[valueEnd] !== 0x7d) return undefined
  const valueStart = openingBracket(tail, valueEnd)
  if (valueStart < 0) return undefined
  i = skipWsBack(tail, valueStart - 1)
  if (tail[i] !== 0x3a) return undefined // ':'
  const keyEnd = skipWsBack(tail, i - 1)
  if (tail[keyEnd] !== QUOTE || !delimits(tail, keyEnd)) return undefined
  let keyStart = keyEnd - 1
  while (keyStart >= 0 && !(tail[keyStart] === QUOTE && delimits(tail, keyStart))) keyStart--
  if (keyStart < 0) return undefined
  // What precedes the key must end a member (',') or open the object ('{'); anything else means the backwards walk
  // went wrong (e.g. the tail began inside a string) and the forward reader takes over.
  const before = skipWsBack(tail, keyStart - 1)
  if (before < 0 || (tail[before] !== 0x2c && tail[before] !== 0x7b)) return undefined
  try {
    const decoder = new TextDecoder('utf-8', { fatal: true })
    const keyText = decoder.decode(tail.subarray(keyStart, keyEnd + 1))
    const valueText = decoder.decode(tail.subarray(valueStart, valueEnd + 1))
    // A lone surrogate escape is left to the forward reader, which names its JSON path and byte offset.
    if (findLoneSurrogateEscape(keyText) >= 0 || findLoneSurrogateEscape(valueText) >= 0) return undefined
    const key: unknown = JSON.parse(keyText)
    const value: unknown = JSON.parse(valueText)
    if (typeof key !== 'string') return undefined
    return { key, value, byteOffset: start + valueStart }
  } catch {
    return undefined
  }
}
