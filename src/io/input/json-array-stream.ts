// Streams the top-level members of a JSON object, yielding the elements of chosen arrays one by one, without ever
// holding the whole file in one string: Pix2Cap-COCO train is hundreds of MB and V8 strings stop near 512 MB
// (reference/pix2cap.md §1). A byte-level scanner (string and escape aware, depth tracking) finds where each element
// starts and ends across file chunks; each element is JSON.parsed from its own byte slice, so JSON.parse still does
// all value validation. Multi-byte UTF-8 is safe: the scanner only looks at ASCII structural bytes, which never occur
// inside a multi-byte sequence.
import { createReadStream, type ReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { ARRAY_WINDOW_BYTES, parseElementWindows } from './json-array-windows.js'
import { decodeUtf8 } from './utf8.js'
import { checkNoLoneSurrogates } from './lone-surrogates.js'
import { PixcapError, type JsonPath } from '../../errors.js'
import type { JsonStreamEvent, JsonStreamOptions, MemberMode } from './json-stream-events.js'

export type { MemberMode, JsonStreamEvent, JsonStreamOptions } from './json-stream-events.js'

// Scanner states (plain numbers: cheap to compare in the hot loop).
const START = 0 // before the top-level '{'
const KEY_OR_END = 1 // after '{' or ','; expecting a key (or '}' right after '{')
const COLON = 2
const VALUE = 3 // expecting a member value
const AFTER_VALUE = 4 // expecting ',' or '}'
const ELEM_OR_END = 5 // inside a streamed array: expecting an element (or ']' right after '[')
const AFTER_ELEM = 6 // expecting ',' or ']'
const DONE = 7 // after the top-level '}'
const IN_VALUE = 8 // inside a captured or skipped value

const QUOTE = 0x22
const BACKSLASH = 0x5c

function isWs(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09
}

function describeByte(b: number | undefined): string {
  if (b === undefined) return 'end of file'
  if (b >= 0x20 && b < 0x7f) return `'${String.fromCharCode(b)}'`
  return `byte 0x${b.toString(16).padStart(2, '0')}`
}

function typeOfStart(b: number): string {
  if (b === 0x7b) return 'an object'
  if (b === 0x5b) return 'an array'
  if (b === QUOTE) return 'a string'
  if (b === 0x74 || b === 0x66) return 'a boolean'
  if (b === 0x6e) return 'null'
  return 'a number'
}

/**
 * Reads `file`, a JSON object, member by member. Elements of members whose mode is `elements` are yielded one at a
 * time; a member in `elements` mode that is not an array is an error naming its key. Errors (truncation, bad syntax)
 * are PixcapError('invalid_json') naming the file, the JSON path of the element and the byte offset.
 */
export async function* streamJsonObject(file: string, options: JsonStreamOptions): AsyncGenerator<JsonStreamEvent> {
  const label = options.label ?? file
  const fail = (path: JsonPath, detail: string, code: 'invalid_json' | 'schema' = 'invalid_json'): never => {
    throw new PixcapError(code, label, path, detail)
  }

  let state = START
  let offset = 0 // absolute offset of the current chunk's first byte
  let key = '' // current top-level key
  let mode = 'skip' as MemberMode // reassigned in finishValue; widen so TS does not narrow it
  let index = 0 // element index inside a streamed array
  // The value being scanned (key string, member value or array element).
  let target: 'key' | 'value' | 'element' = 'key'
  let capture = false
  let parts: Buffer[] = []
  let valueStart = 0 // absolute offset where the value started
  let depth = 0
  let inString = false
  let escaped = false
  let primitive = false
  let afterState = AFTER_VALUE
  let firstMember = true
  // Inside a skipped or whole-parsed array, the index of the element being scanned (for truncation messages).
  let innerIndex = 0
  let topIsArray = false
  const events: JsonStreamEvent[] = []

  const pathNow = (): JsonPath => (target === 'element' ? [key, index] : target === 'value' ? [key] : [])

  const finishValue = (): void => {
    if (target === 'key') {
      const text = decodeUtf8(Buffer.concat(parts), label, [], valueStart)
      parts = []
      try {
        const parsed: unknown = JSON.parse(text)
        checkNoLoneSurrogates(text, parsed, label, [], valueStart)
        key = typeof parsed === 'string' ? parsed : fail([], `invalid key at byte ${valueStart}`)
      } catch (err) {
        if (err instanceof PixcapError) throw err
        fail([], `invalid key ${text.slice(0, 40)} at byte ${valueStart}: ${(err as Error).message}`)
      }
      mode = options.mode(key)
      state = COLON
      return
    }
    if (capture) {
      const text = decodeUtf8(Buffer.concat(parts), label, pathNow(), valueStart)
      parts = []
      let value: unknown
      try {
        value = JSON.parse(text)
      } catch (err) {
        fail(pathNow(), `invalid JSON in the value starting at byte ${valueStart}: ${(err as Error).message}`)
      }
      checkNoLoneSurrogates(text, value, label, pathNow(), valueStart)
      if (target === 'element') events.push({ kind: 'element', key, index, value, byteOffset: valueStart })
      else events.push({ kind: 'value', key, value, byteOffset: valueStart })
    } else if (target === 'value') {
      events.push({ kind: 'skipped', key })
    }
    if (target === 'element') index++
    state = afterState
  }

  const beginValue = (i: number, b: number, what: 'key' | 'value' | 'element', keep: boolean): void => {
    target = what
    capture = keep
    valueStart = offset + i
    depth = 0
    inString = false
    escaped = false
    primitive = false
    afterState = what === 'element' ? AFTER_ELEM : AFTER_VALUE
    innerIndex = 0
    topIsArray = b === 0x5b
    if (b === QUOTE) inString = true
    else if (b === 0x7b || b === 0x5b) depth = 1
    else primitive = true
    state = IN_VALUE
    startInChunk = i
  }

  let startInChunk = 0
  let bytesRead = 0
  const windowBytes = options.windowBytes ?? ARRAY_WINDOW_BYTES
  // Set when a streamed array begins and the windowed fast path should parse its elements from this byte.
  let windowsFrom = -1
  let stream: ReadStream | undefined
  try {
   for (;;) {
    stream = createReadStream(file, { start: offset, highWaterMark: options.chunkSize ?? 1 << 20 })
    for await (const raw of stream) {
      const chunk: Buffer = typeof raw === 'string' ? Buffer.from(raw) : raw
      bytesRead += chunk.length
      startInChunk = 0
      const n = chunk.length
      let i = 0
      while (i < n) {
        const b = chunk[i]!
        if (state === IN_VALUE) {
          if (inString) {
            if (escaped) {
              escaped = false
              i++
              continue
            }
            if (b === BACKSLASH) {
              escaped = true
              i++
              continue
            }
            if (b === QUOTE) {
              inString = false
              if (depth === 0) {
                if (capture || target === 'key') parts.push(chunk.subarray(startInChunk, i + 1))
                i++
                finishValue()
                continue
              }
              i++
              continue
            }
            // Plain string bytes: skip ahead to the next quote or backslash (a tight loop; two indexOf calls
            // would each scan to the end of the chunk when one of the bytes is absent).
            i++
            while (i < n) {
              const c = chunk[i]!
              if (c === QUOTE || c === BACKSLASH) break
              i++
            }
            continue
          }
          if (primitive) {
            if (isWs(b) || b === 0x2c || b === 0x5d || b === 0x7d) {
              if (capture) parts.push(chunk.subarray(startInChunk, i))
              finishValue()
              continue // re-read the delimiter in the next state
            }
            i++
            continue
          }
          if (b === QUOTE) inString = true
          else if (b === 0x2c) {
            if (depth === 1) innerIndex++
          } else if (b === 0x7b || b === 0x5b) depth++
          else if (b === 0x7d || b === 0x5d) {
            depth--
            if (depth === 0) {
              if (capture) parts.push(chunk.subarray(startInChunk, i + 1))
              i++
              finishValue()
              continue
            }
          }
          i++
          continue
        }
        if (isWs(b)) {
          i++
          continue
        }
        const at = offset + i
        switch (state) {
          case START:
            if (b === 0xef && offset === 0 && i === 0) {
              i += 3 // UTF-8 byte order mark
              continue
            }
            if (b !== 0x7b) fail([], `expected a JSON object at byte ${at}, found ${describeByte(b)}`)
            state = KEY_OR_END
            target = 'key'
            break
          case KEY_OR_END:
            if (b === 0x7d && firstMember) {
              state = DONE
              break
            }
            if (b !== QUOTE) fail([], `expected a key at byte ${at}, found ${describeByte(b)}`)
            firstMember = false
            beginValue(i, b, 'key', true)
            break
          case COLON:
            if (b !== 0x3a) fail([key], `expected ':' after the key at byte ${at}, found ${describeByte(b)}`)
            state = VALUE
            break
          case VALUE:
            if (mode === 'elements') {
              if (b !== 0x5b) fail([key], `expected an array, found ${typeOfStart(b)} at byte ${at}`, 'schema')
              index = 0
              state = ELEM_OR_END
              target = 'element'
              if (windowBytes > 0) windowsFrom = at + 1
              break
            }
            beginValue(i, b, 'value', mode === 'value')
            break
          case ELEM_OR_END:
            if (b === 0x5d && index === 0) {
              events.push({ kind: 'array_end', key, count: 0 })
              state = AFTER_VALUE
              target = 'value'
              break
            }
            beginValue(i, b, 'element', true)
            break
          case AFTER_ELEM:
            if (b === 0x2c) state = ELEM_OR_END
            else if (b === 0x5d) {
              events.push({ kind: 'array_end', key, count: index })
              state = AFTER_VALUE
              target = 'value'
            } else fail([key, index - 1], `expected ',' or ']' after the element at byte ${at}, found ${describeByte(b)}`)
            break
          case AFTER_VALUE:
            if (b === 0x2c) {
              state = KEY_OR_END
              target = 'key'
            } else if (b === 0x7d) state = DONE
            else fail([key], `expected ',' or '}' after the value at byte ${at}, found ${describeByte(b)}`)
            break
          case DONE:
            fail([], `unexpected ${describeByte(b)} at byte ${at} after the end of the top-level object`)
        }
        i++
        if (windowsFrom >= 0) break
      }
      if (state === IN_VALUE && (capture || target === 'key') && startInChunk < n) {
        parts.push(chunk.subarray(startInChunk, n))
      }
      if (windowsFrom >= 0) {
        for (const e of events.splice(0, events.length)) yield e
        break
      }
      offset += n
      options.onBytes?.(bytesRead)
      if (events.length > 0) {
        const out = events.splice(0, events.length)
        for (const e of out) yield e
      }
    }
    stream.destroy()
    if (windowsFrom < 0) break
    // The array's elements, window by window; the scanner resumes where that stops (an element start).
    const handle = await open(file, 'r')
    try {
      const size = (await handle.stat()).size
      const windows = parseElementWindows(handle, windowsFrom, size, key, index, windowBytes, options.onBytes)
      for (;;) {
        const r = await windows.next()
        if (r.done === true) {
          offset = bytesRead = r.value.resumeAt
          index = r.value.index
          break
        }
        yield r.value
      }
    } finally {
      await handle.close()
    }
    windowsFrom = -1
   }
  } catch (err) {
    if (err instanceof PixcapError) throw err
    const e = err as NodeJS.ErrnoException
    const detail = e.code === 'EISDIR' ? 'is a directory, expected a JSON file' : e.message
    throw new PixcapError(e.code === 'ENOENT' ? 'not_found' : 'io', label, [], detail, { cause: err })
  } finally {
    stream?.destroy()
  }
  // End of file: a primitive value may end exactly here; anything else unfinished is truncation.
  if (state === IN_VALUE && primitive) {
    finishValue()
    for (const e of events.splice(0, events.length)) yield e
  }
  if (state !== DONE) {
    const path: JsonPath =
      state === IN_VALUE ? (target === 'value' && topIsArray && depth > 0 ? [key, innerIndex] : pathNow()) : state === ELEM_OR_END ? [key, index] : state === START || firstMember ? [] : [key]
    fail(path, `unexpected end of file at byte ${offset}${state === START ? ' (the file is empty)' : ' (the file is truncated)'}`)
  }
}
