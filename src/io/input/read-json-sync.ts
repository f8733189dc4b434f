// readJsonFile (read-json.ts) without the promise machinery, for the many small per-item files some sources name
// (VCR: one metadata JSON per image): through fs/promises, opening, stat-ing and closing each file cost more than
// reading it (a VCR read spent most of its time there, bench stage conversation-sources). Same errors and paths.
import { readFileSync } from 'node:fs'
import type { z } from 'zod'
import { PixcapError } from '../../errors.js'
import { parseJsonText, type SchemaGuard } from './read-json.js'
import { decodeUtf8 } from './utf8.js'

/** Reads a small JSON file synchronously and validates it; throws PixcapError 'not_found' | 'io' | 'invalid_json' | 'schema'. */
export function readJsonFileSync<S extends z.ZodType>(file: string, schema: S, guard?: SchemaGuard<S>): z.infer<S> {
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    if (e.code === 'ENOENT') throw new PixcapError('not_found', file, [], 'file not found', { cause: err })
    if (e.code === 'EISDIR') throw new PixcapError('io', file, [], 'is a directory, expected a file', { cause: err })
    throw new PixcapError('io', file, [], `cannot read: ${e.message}`, { cause: err })
  }
  return parseJsonText(decodeUtf8(bytes, file), file, schema, guard)
}
