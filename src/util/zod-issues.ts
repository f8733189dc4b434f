// Turns zod issues into pixcap messages that say what was expected and what was found (STYLE.md §5-6), with the
// issue path prefixed by the caller's JSON path (`annotations[12].segments_info[3].bbox: expected 4 numbers, got 3`).
import type { z } from 'zod'
import type { JsonPath } from '../errors.js'

/** One schema problem: the full JSON path and a message without the path. */
export interface SchemaProblem {
  path: (string | number)[]
  detail: string
}

/** Describes a JSON value briefly for "found ..." (type plus a short rendering). */
function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (the key is missing)'
  if (value === null) return 'null'
  if (Array.isArray(value)) return `an array of ${value.length} (${short(value)})`
  if (typeof value === 'object') return `an object (${short(value)})`
  if (typeof value === 'string') return `the string ${short(value)}`
  return `${typeof value} ${String(value)}`
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined
    cur = Reflect.get(cur, key) as unknown
  }
  return cur
}

function expectedOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'int' ? 'integer' : issue.expected
    case 'invalid_value':
      return issue.values.length === 1 ? JSON.stringify(issue.values[0]) : `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`
    case 'too_small':
      return `${issue.exact ? '' : issue.inclusive ? 'at least ' : 'more than '}${String(issue.minimum)}${issue.origin === 'array' ? ' items' : issue.origin === 'string' ? ' characters' : ''}`
    case 'too_big':
      return `${issue.exact ? '' : issue.inclusive ? 'at most ' : 'less than '}${String(issue.maximum)}${issue.origin === 'array' ? ' items' : issue.origin === 'string' ? ' characters' : ''}`
    case 'unrecognized_keys':
      return `no keys ${issue.keys.join(', ')}`
    case 'invalid_union': {
      const alts = issue.errors.map((errs) => errs.map((e) => expectedOf(e)).join(' and ')).filter((s) => s !== '')
      return alts.length > 0 ? alts.join(' or ') : 'a valid value'
    }
    default:
      return issue.message
  }
}

/**
 * Formats one zod issue. Schemas may carry a custom message starting with "expected" (e.g. `expected 4 numbers
 * [x, y, w, h]`); the found value is appended to it. Otherwise the message is built from the issue. A type mismatch
 * names the type and what was got (`expected string, got number 7`); a value check says what was found
 * (`expected iscrowd 0 or 1, found the string "no"`); a length check gives the count (`got 3`).
 */
export function formatZodIssue(issue: z.core.$ZodIssue, input: unknown, basePath: JsonPath = []): SchemaProblem {
  const rel = issue.path.map((k) => (typeof k === 'symbol' ? String(k) : k))
  const found = valueAt(input, issue.path)
  const custom = issue.message.startsWith('expected')
  const expected = custom ? issue.message.slice('expected '.length) : expectedOf(issue)
  let foundText: string
  if ((issue.code === 'too_small' || issue.code === 'too_big') && Array.isArray(found)) foundText = `got ${found.length}`
  else if (issue.code === 'unrecognized_keys') foundText = `found ${issue.keys.join(', ')}`
  else if (!custom && (issue.code === 'invalid_type' || issue.code === 'invalid_union')) foundText = `got ${describeValue(found)}`
  else foundText = `found ${describeValue(found)}`
  return { path: [...basePath, ...rel], detail: `expected ${expected}, ${foundText}` }
}

/** Parses `value` with `schema`; on failure returns every issue as a SchemaProblem under `basePath`. */
export function parseWithProblems<S extends z.ZodType>(
  schema: S,
  value: unknown,
  basePath: JsonPath,
): { ok: true; data: z.infer<S> } | { ok: false; problems: SchemaProblem[] } {
  const result = schema.safeParse(value)
  if (result.success) return { ok: true, data: result.data }
  return { ok: false, problems: result.error.issues.map((issue) => formatZodIssue(issue, value, basePath)) }
}
