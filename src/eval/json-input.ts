// Reading a JSON input file for evaluation: parse errors and schema issues become PixcapErrors naming the file and
// the JSON path (STYLE.md §5), e.g. `results.json: [3].caption: expected a string, got number 7`.
import { readFile } from 'node:fs/promises'
import type { z } from 'zod'
import { PixcapError } from '../errors.js'

/** Reads and parses a whole JSON file, or throws PixcapError('io' | 'invalid_json'). */
export async function readJsonFile(file: string): Promise<unknown> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    throw new PixcapError(e.code === 'ENOENT' ? 'not_found' : 'io', file, [], e.code === 'ENOENT' ? 'file not found' : e.message, { cause: err })
  }
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new PixcapError('invalid_json', file, [], `not valid JSON: ${(err as Error).message}`, { cause: err })
  }
}

/** Describes a JSON value for "got ..." messages without dumping large values. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return `an array of ${v.length}`
  if (typeof v === 'object') return 'an object'
  const s = JSON.stringify(v)
  return `${typeof v} ${s.length > 40 ? `${s.slice(0, 37)}...` : s}`
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined
    v = (v as Record<PropertyKey, unknown>)[key]
  }
  return v
}

/** Parses `value` with `schema`; the first issue becomes a PixcapError('schema') with the file and JSON path. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, file: string, prefix: (string | number)[] = []): z.infer<S> {
  const r = schema.safeParse(value)
  if (r.success) return r.data
  const issue = r.error.issues[0]
  if (!issue) throw new PixcapError('schema', file, prefix, 'does not match the expected shape')
  const path = [...prefix, ...issue.path.map((k) => (typeof k === 'symbol' ? String(k) : k))]
  const found = valueAt(value, issue.path)
  const more = r.error.issues.length > 1 ? ` (and ${r.error.issues.length - 1} more issue${r.error.issues.length > 2 ? 's' : ''})` : ''
  const got = found === undefined ? 'nothing' : describeValue(found)
  let detail = issue.message
  if (issue.code === 'invalid_type') detail = `expected ${issue.expected}, got ${got}`
  else if (issue.code === 'invalid_union') {
    // zod 4 keeps each alternative's issues; name the alternatives' expected types when they are plain type checks.
    const expected = issue.errors.flatMap((alt) => alt.flatMap((i) => (i.code === 'invalid_type' && i.path.length === 0 ? [i.expected] : [])))
    if (expected.length === issue.errors.length) detail = `expected ${expected.join(' or ')}, got ${got}`
  }
  throw new PixcapError('schema', file, path, `${detail}${more}`)
}
