// The whole-file path of the JSON object reader: a small file is read and JSON.parsed at once, and
// jsonObjectEvents replays it as the events streamJsonObject (json-array-stream.ts) would yield for it.
import { readFile, stat } from 'node:fs/promises'
import { PixcapError } from '../../errors.js'
import { findLoneSurrogateEscape } from './lone-surrogates.js'
import { streamJsonObject, type JsonStreamEvent, type JsonStreamOptions, type MemberMode } from './json-array-stream.js'
import { firstInvalidUtf8 } from './utf8.js'

/**
 * Files up to this size may be read whole and JSON.parsed once (see {@link parseJsonObjectFile}); larger ones stream.
 * Streaming costs about what a whole parse costs since arrays of objects are parsed in windows
 * (json-array-windows.ts: 39 MB Pix2Cap-scale file, 0.39-0.54 s CPU streamed vs 0.39-0.46 s whole), and it keeps
 * peak RSS flat with the file's size, so only small files (where holding them costs nothing) are read whole.
 */
const WHOLE_FILE_MAX_BYTES = 4 * 2 ** 20

/** A JSON object file parsed whole by {@link parseJsonObjectFile}. */
export interface ParsedJsonObject {
  file: string
  bytes: number
  members: Record<string, unknown>
}

/**
 * Reads and parses `file` whole when it is at most `maxBytes` and is a valid JSON object; otherwise (too big,
 * unreadable, invalid JSON, not an object) undefined, and the caller streams with {@link streamJsonObject}, which
 * reports any problem with its JSON path and byte offset.
 */
export async function parseJsonObjectFile(file: string, maxBytes = WHOLE_FILE_MAX_BYTES): Promise<ParsedJsonObject | undefined> {
  let bytes: number
  let text: string
  try {
    bytes = (await stat(file)).size
    if (bytes > maxBytes) return undefined
    const raw = await readFile(file)
    // Invalid UTF-8 is left to the scanner too: it names the JSON path and byte offset (io/utf8.ts).
    if (firstInvalidUtf8(raw) >= 0) return undefined
    text = raw.toString('utf8')
  } catch {
    return undefined
  }
  // The scanner skips a UTF-8 byte order mark; JSON.parse would reject it.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  // A lone surrogate escape is left to the scanner as well, which names its JSON path and byte offset.
  if (findLoneSurrogateEscape(text) >= 0) return undefined
  let members: unknown
  try {
    members = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof members !== 'object' || members === null || Array.isArray(members)) return undefined
  return { file, bytes, members: members as Record<string, unknown> }
}

/**
 * The events {@link streamJsonObject} yields for the same file, from its parsed object (same order, same modes
 * asked in key order, same errors: a member in `elements` mode that is not an array is re-scanned to report it with
 * its byte offset). One difference JSON.parse imposes: a duplicated top-level key is seen once, with its last value.
 */
export async function* jsonObjectEvents(parsed: ParsedJsonObject, options: JsonStreamOptions): AsyncGenerator<JsonStreamEvent> {
  options.onBytes?.(parsed.bytes)
  const modes: MemberMode[] = []
  for (const key of Object.keys(parsed.members)) {
    const mode = options.mode(key)
    modes.push(mode)
    const value = parsed.members[key]
    if (mode === 'skip') {
      yield { kind: 'skipped', key }
    } else if (mode === 'value') {
      yield { kind: 'value', key, value }
    } else if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) yield { kind: 'element', key, index, value: value[index] }
      yield { kind: 'array_end', key, count: value.length }
    } else {
      // Let the scanner word the error (it knows the byte offset), replaying the modes already chosen.
      let asked = 0
      const replay = (k: string): MemberMode => (asked < modes.length ? modes[asked++]! : options.mode(k))
      const { onBytes: _onBytes, ...rest } = options
      for await (const _ of streamJsonObject(parsed.file, { ...rest, mode: replay })) {
        // events were already yielded above; only the error matters
      }
      throw new PixcapError('schema', options.label ?? parsed.file, [key], 'expected an array')
    }
  }
}
