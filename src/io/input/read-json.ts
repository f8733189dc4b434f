// The one way to read a JSON or JSONL input file and validate it with zod: read failures, JSON syntax errors and
// schema issues all become PixcapErrors naming the file and the JSON path (STYLE.md §5), with the issue worded by
// util/zod-issues.ts (`results.json: [3].caption: expected string, got number 7`).
import { readFile } from 'node:fs/promises'
import type { z } from 'zod'
import { PixcapError, type JsonPath } from '../../errors.js'
import { parseWithProblems } from '../../util/zod-issues.js'
import { decodeUtf8 } from './utf8.js'
import { checkNoLoneSurrogates } from './lone-surrogates.js'

/**
 * Validates an already parsed JSON value; the first issue becomes a PixcapError('schema') under `basePath`, with a
 * count of the others. `file` names where the value came from (a file, or e.g. a command's output).
 */
export function validateJson<S extends z.ZodType>(schema: S, value: unknown, file: string, basePath: JsonPath = []): z.infer<S> {
  const parsed = parseWithProblems(schema, value, basePath)
  if (parsed.ok) return parsed.data
  const [first, ...rest] = parsed.problems
  if (!first) throw new PixcapError('schema', file, basePath, 'does not match the expected shape')
  const more = rest.length > 0 ? ` (and ${rest.length} more issue${rest.length > 1 ? 's' : ''})` : ''
  throw new PixcapError('schema', file, first.path, `${first.detail}${more}`)
}

/** The PixcapError for a failed read of an input file: 'not_found', or 'io' naming what went wrong. */
export function readFailure(file: string, err: unknown): PixcapError {
  const e = err as NodeJS.ErrnoException
  if (e.code === 'ENOENT') return new PixcapError('not_found', file, [], 'file not found', { cause: err })
  if (e.code === 'EISDIR') return new PixcapError('io', file, [], 'is a directory, expected a file', { cause: err })
  return new PixcapError('io', file, [], `cannot read: ${e.message}`, { cause: err })
}

async function readText(file: string): Promise<string> {
  let bytes: Buffer
  try {
    bytes = await readFile(file)
  } catch (err) {
    throw readFailure(file, err)
  }
  return decodeUtf8(bytes, file)
}

function parseText(text: string, file: string, path: JsonPath, baseOffset = 0): unknown {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new PixcapError('invalid_json', file, path, `not valid JSON: ${(err as Error).message}`, { cause: err })
  }
  checkNoLoneSurrogates(text, value, file, path, baseOffset)
  return value
}

/**
 * A plain type guard that accepts a value only where `schema` would accept it unchanged (as strict or stricter):
 * a fast path for large files, with zod run only when the guard says no, so every message still comes from the schema.
 */
export type SchemaGuard<S extends z.ZodType> = (value: unknown) => value is z.infer<S>

/** Parses JSON text read from `file` and validates it; throws PixcapError 'invalid_json' | 'schema'. */
export function parseJsonText<S extends z.ZodType>(text: string, file: string, schema: S, guard?: SchemaGuard<S>): z.infer<S> {
  const value = parseText(text, file, [])
  return guard?.(value) ? value : validateJson(schema, value, file)
}

/** Reads a whole JSON file and validates it; throws PixcapError 'not_found' | 'io' | 'invalid_json' | 'schema'. */
export async function readJsonFile<S extends z.ZodType>(file: string, schema: S, guard?: SchemaGuard<S>): Promise<z.infer<S>> {
  return parseJsonText(await readText(file), file, schema, guard)
}

/**
 * Reads a JSONL file, one value per non-blank line, each validated by `schema`; errors name the line as the first
 * path key (`answers.jsonl: ["line 3"].text: ...`).
 */
export async function readJsonlFile<S extends z.ZodType>(file: string, schema: S): Promise<z.infer<S>[]> {
  const lines = (await readText(file)).split('\n')
  const out: z.infer<S>[] = []
  let lineStart = 0 // byte offset of the line, for lone-surrogate messages
  for (const [i, raw] of lines.entries()) {
    const at = lineStart
    lineStart += Buffer.byteLength(raw) + 1
    const line = raw.trim()
    if (line === '') continue
    const where = [`line ${i + 1}`]
    out.push(validateJson(schema, parseText(line, file, where, at + Buffer.byteLength(raw.slice(0, raw.length - raw.trimStart().length))), file, where))
  }
  return out
}
