// Reads a written corpus's rows back as plain JSON values (for the dataset card's statistics and example row).
// Parquet is read with parquet-wasm (one shard at a time: the wasm Table is consumed by intoIPCStream, so nothing
// needs freeing; docs/parquet-writer.md), JSONL line by line. Lists become arrays, structs objects, binary stays bytes.
import { createReadStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import { tableFromIPC, Vector } from 'apache-arrow'
import * as pw from 'parquet-wasm'
import { PixcapError } from '../../errors.js'
import type { ManifestFile } from './manifest.js'
import { resolveInside } from '../input/safe-path.js'

/** A row as plain values. */
export type PlainRow = Record<string, unknown>

/** Arrow values (Vectors, StructRows, BigInts) -> plain JSON-like values. */
function plain(value: unknown): unknown {
  if (value === null || value === undefined) return value ?? null
  if (value instanceof Uint8Array) return value
  if (typeof value === 'bigint') return Number(value)
  if (value instanceof Vector) return [...value].map(plain)
  if (typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    const obj = (value as { toJSON(): Record<string, unknown> }).toJSON()
    if (Array.isArray(obj)) return obj.map(plain)
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, plain(v)]))
  }
  return value
}

/** The data files of one kind that hold a corpus's rows, by preference: parquet, then jsonl. */
export function rowFilesOf(files: readonly ManifestFile[]): ManifestFile[] {
  const parquet = files.filter((f) => f.kind === 'parquet')
  return parquet.length > 0 ? parquet : files.filter((f) => f.kind === 'jsonl')
}

/**
 * Yields the rows of one data file (parquet or jsonl). `columns` limits what a Parquet read decodes (converting Arrow
 * values to plain ones is most of the cost); `limit` stops early.
 */
export async function* readRowFile(dir: string, file: ManifestFile, where: string, o: { columns?: string[]; limit?: number } = {}): AsyncGenerator<PlainRow> {
  const abs = resolveInside(dir, file.file, { file: where, path: ['files'] })
  if (file.kind === 'parquet') {
    const options = { ...(o.columns ? { columns: o.columns } : {}), ...(o.limit !== undefined ? { limit: o.limit } : {}) }
    const table = tableFromIPC(pw.readParquet(new Uint8Array(await readFile(abs)), options).intoIPCStream())
    for (const batch of table.batches) {
      for (let i = 0; i < batch.numRows; i++) yield plain(batch.get(i)) as PlainRow
    }
    return
  }
  if (file.kind !== 'jsonl') throw new PixcapError('unsupported', abs, [], `cannot read rows from a ${file.kind} file`)
  let line = 0
  let rows = 0
  for await (const text of createInterface({ input: createReadStream(abs), crlfDelay: Infinity })) {
    line++
    if (text.trim() === '') continue
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (err) {
      throw new PixcapError('invalid_json', abs, [line - 1], `line ${line}: ${(err as Error).message}`)
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new PixcapError('schema', abs, [line - 1], `line ${line}: expected a JSON object (one row)`)
    yield value as PlainRow
    if (o.limit !== undefined && ++rows >= o.limit) return
  }
}
