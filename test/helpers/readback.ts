// Independent readers for files pixcap writes: hyparquet (+ZSTD from hyparquet-compressors), DuckDB, apache-arrow's
// own IPC reader, and the Hugging Face stack through Python (test/helpers/hf_readback.py). None shares code with the
// writers, so a read-back that matches the source rows is real evidence.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { tableFromIPC } from 'apache-arrow'
import { DuckDBInstance } from '@duckdb/node-api'
import { execa } from 'execa'
import { parquetMetadata, parquetReadObjects } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'
import { PYTHON } from './fixtures.js'

/** Rows of a Parquet file via hyparquet. */
export async function readParquetHyparquet(file: string): Promise<Record<string, unknown>[]> {
  const buf = await readFile(file)
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)
  return (await parquetReadObjects({ file: ab, compressors })) as Record<string, unknown>[]
}

/** Footer metadata via hyparquet: row counts per group and key-value metadata. */
export async function parquetFooter(file: string): Promise<{ rowGroups: number[]; rowGroupBytes: number[]; kv: Record<string, string>; codecs: string[] }> {
  const buf = await readFile(file)
  const md = parquetMetadata(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength))
  return {
    rowGroups: md.row_groups.map((g) => Number(g.num_rows)),
    rowGroupBytes: md.row_groups.map((g) => Number(g.total_byte_size)),
    kv: Object.fromEntries((md.key_value_metadata ?? []).map((e) => [e.key, e.value ?? ''])),
    codecs: [...new Set(md.row_groups.flatMap((g) => g.columns.map((c) => String(c.meta_data?.codec))))],
  }
}

/** Rows and column types of a Parquet file via DuckDB. */
export async function readParquetDuckdb(file: string): Promise<{ rows: Record<string, unknown>[]; types: Record<string, string> }> {
  const db = await DuckDBInstance.create(':memory:')
  const conn = await db.connect()
  try {
    const lit = `'${file.replaceAll("'", "''")}'`
    const reader = await conn.runAndReadAll(`SELECT * FROM read_parquet(${lit})`)
    const rows = reader.getRowObjectsJson() as Record<string, unknown>[]
    const desc = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${lit})`)).getRowObjectsJson() as { column_name: string; column_type: string }[]
    return { rows, types: Object.fromEntries(desc.map((d) => [d.column_name, d.column_type])) }
  } finally {
    conn.closeSync()
    db.closeSync()
  }
}

/** Rows of an Arrow IPC stream via apache-arrow's reader, plus its schema metadata. */
export async function readArrowStream(file: string): Promise<{ rows: Record<string, unknown>[]; metadata: Map<string, string>; types: string[] }> {
  const table = tableFromIPC(await readFile(file))
  const rows = table.toArray().map((r) => toPlain(r.toJSON()) as Record<string, unknown>)
  return { rows, metadata: table.schema.metadata, types: table.schema.fields.map((f) => `${f.name}: ${String(f.type)}`) }
}

/** Turns Arrow vectors/rows and typed arrays into plain JS values. */
export function toPlain(v: unknown): unknown {
  if (v === null || v === undefined) return v
  if (v instanceof Uint8Array) return v
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>)
  if (Array.isArray(v)) return v.map(toPlain)
  if (typeof v === 'object') {
    // Vectors' toJSON gives arrays, StructRows' gives objects.
    const o = v as { toJSON?: () => unknown }
    if (Object.getPrototypeOf(v) !== Object.prototype && typeof o.toJSON === 'function') {
      const j = o.toJSON()
      return Array.isArray(j) ? j.map(toPlain) : ArrayBuffer.isView(j) ? toPlain(j) : j === v ? j : toPlain(j)
    }
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, toPlain(x)]))
  }
  return v
}

/** What hf_readback.py prints. */
export interface HfReadback {
  features: Record<string, unknown>
  arrow_schema: string
  rows: Record<string, unknown>[]
  row_groups: number[]
  footer_kv: Record<string, string>
}

/** Reads files back with `datasets` (load_dataset("parquet") or Dataset.from_file) in the test venv. */
export async function hfReadback(kind: 'parquet' | 'arrow', files: string[]): Promise<HfReadback> {
  const script = fileURLToPath(new URL('./hf_readback.py', import.meta.url))
  const cache = await mkdtemp(join(tmpdir(), 'pixcap-hf-cache-'))
  try {
    const env = { HF_DATASETS_OFFLINE: '1', HF_HUB_OFFLINE: '1', HF_DATASETS_CACHE: cache, HF_HOME: cache }
    const { stdout } = await execa(PYTHON, [script, kind, ...files], { env, extendEnv: true })
    return JSON.parse(stdout) as HfReadback
  } finally {
    await rm(cache, { recursive: true, force: true })
  }
}
