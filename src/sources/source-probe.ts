// Detection by shape: what a source may look at to decide whether a file is one of its own, read lazily and at
// most once per question, so that trying every registered source costs about one partial read of the file.
import { open } from 'node:fs/promises'
import { streamJsonObject } from '../io/json-array-stream.js'

/** Bytes of the file's start that `head` holds. */
export const PROBE_HEAD_BYTES = 64 * 1024

/** What a source's `detect` reads. */
export interface SourceProbe {
  file: string
  /** The first {@link PROBE_HEAD_BYTES} of the file as text (a multi-byte character may be cut at the end). */
  head(): Promise<string>
  /** `object`, `array` or `other`: the file's top-level JSON value, from its first non-blank byte. */
  topLevel(): Promise<'object' | 'array' | 'other'>
  /**
   * The first element of the top-level array member `key` of a JSON object file (streamed up to that element,
   * skipping the members before it), or undefined when there is no such element or the file cannot be scanned.
   */
  firstElement(key: string): Promise<unknown>
  /** The error that stopped a scan, if any (reported when no source recognises the file). */
  readonly scanError: unknown
}

/** A probe of `file`; nothing is read until asked. */
export function probeFile(file: string): SourceProbe {
  let head: Promise<string> | undefined
  const elements = new Map<string, Promise<unknown>>()
  const probe: SourceProbe & { scanError: unknown } = {
    file,
    scanError: undefined,
    head() {
      head ??= (async () => {
        const fh = await open(file, 'r')
        try {
          const buf = Buffer.alloc(PROBE_HEAD_BYTES)
          const { bytesRead } = await fh.read(buf, 0, buf.length, 0)
          return buf.subarray(0, bytesRead).toString('utf8')
        } finally {
          await fh.close()
        }
      })()
      return head
    },
    async topLevel() {
      const c = (await probe.head()).trimStart().replace(/^\uFEFF/, '')[0]
      return c === '{' ? 'object' : c === '[' ? 'array' : 'other'
    },
    firstElement(key) {
      let found = elements.get(key)
      if (!found) {
        found = (async () => {
          // Not an object: nothing to find; anything else but an array is scanned so a syntax error can be reported.
          if ((await probe.topLevel()) === 'array') return undefined
          try {
            for await (const event of streamJsonObject(file, { mode: (k) => (k === key ? 'elements' : 'skip') })) {
              if (event.kind === 'element') return event.value
              if (event.kind === 'array_end') return undefined
            }
          } catch (err) {
            probe.scanError ??= err
          }
          return undefined
        })()
        elements.set(key, found)
      }
      return found
    },
  }
  return probe
}

/** True when `value` is an object with `key` (detection helpers). */
export function hasKey(value: unknown, key: string): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && key in value
}
