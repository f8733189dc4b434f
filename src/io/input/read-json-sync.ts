// readJsonFile (read-json.ts) without the promise machinery, for the many small per-item files some sources name
// (VCR: one metadata JSON per image): through fs/promises, opening, stat-ing and closing each file cost more than
// reading it (a VCR read spent most of its time there, bench stage conversation-sources). Same errors and paths.
import { readFileSync } from 'node:fs'
import type { z } from 'zod'
import { parseJsonText, readFailure, type SchemaGuard } from './read-json.js'
import { decodeUtf8 } from './utf8.js'

/** Reads a small JSON file synchronously and validates it; throws PixcapError 'not_found' | 'io' | 'invalid_json' | 'schema'. */
export function readJsonFileSync<S extends z.ZodType>(file: string, schema: S, guard?: SchemaGuard<S>): z.infer<S> {
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch (err) {
    throw readFailure(file, err)
  }
  return parseJsonText(decodeUtf8(bytes, file), file, schema, guard)
}
