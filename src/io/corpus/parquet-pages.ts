// Pages of a corpus's Parquet files without reading the whole corpus: only the footers are read up front
// (hyparquet parquetMetadataAsync reads the last 512 kB of each file), then each request decodes just the row
// groups it touches (hyparquet reads byte ranges of their column chunks). The last few decoded row groups are kept,
// so turning pages inside one group (pixcap writes 10,000 text rows per group, src/io/corpus/parquet-writer.ts) reads
// nothing again. Memory stays at most `cachedGroups` row groups, whatever the corpus size.
import { open, type FileHandle } from 'node:fs/promises'
import { parquetMetadataAsync, parquetReadObjects, type AsyncBuffer, type FileMetaData } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'
import { PixcapError } from '../../errors.js'

/** One row group of one file, placed in the corpus's global row numbering. */
interface RowGroupRef {
  file: string
  /** Index of the group inside its file. */
  group: number
  /** Global index of its first row. */
  rowStart: number
  rows: number
}

/** A read-only row pager over some Parquet files, in order. */
export interface ParquetPager {
  totalRows: number
  groups: readonly RowGroupRef[]
  /** Top-level column names of the first file. */
  columns: readonly string[]
  /** Rows [start, end) in global numbering, only the given columns when set. */
  readRows(start: number, end: number, columns?: readonly string[]): Promise<Record<string, unknown>[]>
  /** Every row group in order, one at a time (scans for filters and statistics). */
  scanGroups(columns: readonly string[]): AsyncGenerator<{ ref: RowGroupRef; rows: Record<string, unknown>[] }>
  /** Bytes read from disk so far (tests assert paging reads a fraction of the files). */
  bytesRead(): number
  close(): Promise<void>
}

/** Options of openParquetPager. */
export interface ParquetPagerOptions {
  /** Decoded row groups kept (per column set); default 2. */
  cachedGroups?: number
}

interface OpenFile {
  file: string
  handle: FileHandle
  buffer: AsyncBuffer
  metadata: FileMetaData
}

/** Opens the files and reads their footers. */
export async function openParquetPager(files: readonly string[], o: ParquetPagerOptions = {}): Promise<ParquetPager> {
  let bytesRead = 0
  const opened: OpenFile[] = []
  try {
    for (const file of files) {
      const handle = await open(file, 'r')
      const { size } = await handle.stat()
      const buffer: AsyncBuffer = {
        byteLength: size,
        async slice(start: number, end?: number) {
          const stop = end ?? size
          const out = new Uint8Array(stop - start)
          await handle.read(out, 0, out.length, start)
          bytesRead += out.length
          return out.buffer
        },
      }
      opened.push({ file, handle, buffer, metadata: await readFooter(file, handle, buffer) })
    }
  } catch (err) {
    await Promise.all(opened.map((f) => f.handle.close()))
    throw err
  }
  const groups: RowGroupRef[] = []
  let rowStart = 0
  for (const f of opened) {
    f.metadata.row_groups.forEach((g, group) => {
      const rows = Number(g.num_rows)
      groups.push({ file: f.file, group, rowStart, rows })
      rowStart += rows
    })
  }
  const totalRows = rowStart
  const byFile = new Map(opened.map((f) => [f.file, f]))
  const cacheSize = Math.max(1, o.cachedGroups ?? 2)
  const cache = new Map<string, Promise<Record<string, unknown>[]>>()

  const readGroup = (ref: RowGroupRef, columns: readonly string[] | undefined): Promise<Record<string, unknown>[]> => {
    const key = `${ref.file}#${ref.group}#${columns?.join(',') ?? '*'}`
    const hit = cache.get(key)
    if (hit) {
      cache.delete(key)
      cache.set(key, hit)
      return hit
    }
    const f = byFile.get(ref.file) as OpenFile
    const first = groups.findIndex((g) => g.file === ref.file)
    const inFile = (groups[first] as RowGroupRef).rowStart
    const pending = parquetReadObjects({
      file: f.buffer,
      metadata: f.metadata,
      compressors,
      rowStart: ref.rowStart - inFile,
      rowEnd: ref.rowStart - inFile + ref.rows,
      ...(columns ? { columns: [...columns] } : {}),
    }) as Promise<Record<string, unknown>[]>
    pending.catch(() => cache.delete(key))
    cache.set(key, pending)
    while (cache.size > cacheSize) cache.delete(cache.keys().next().value as string)
    return pending
  }

  return {
    totalRows,
    groups,
    columns: opened[0] ? topLevelColumns(opened[0].metadata) : [],
    async readRows(start, end, columns) {
      const lo = Math.max(0, start)
      const hi = Math.min(totalRows, end)
      const out: Record<string, unknown>[] = []
      for (const ref of groups) {
        if (ref.rowStart + ref.rows <= lo || ref.rowStart >= hi) continue
        const rows = await readGroup(ref, columns)
        out.push(...rows.slice(Math.max(lo, ref.rowStart) - ref.rowStart, Math.min(hi, ref.rowStart + ref.rows) - ref.rowStart))
      }
      return out
    },
    async *scanGroups(columns) {
      for (const ref of groups) yield { ref, rows: await readGroup(ref, columns) }
    },
    bytesRead: () => bytesRead,
    async close() {
      cache.clear()
      await Promise.all(opened.map((f) => f.handle.close()))
    },
  }
}

async function readFooter(file: string, handle: FileHandle, buffer: AsyncBuffer): Promise<FileMetaData> {
  try {
    return await parquetMetadataAsync(buffer)
  } catch (err) {
    await handle.close()
    throw new PixcapError('io', file, [], `not a readable Parquet file: ${(err as Error).message}`, { cause: err })
  }
}

/** Names of the root's children in the flattened schema (each element lists how many children it has). */
function topLevelColumns(metadata: FileMetaData): string[] {
  const names: string[] = []
  const schema = metadata.schema
  let i = 1
  const skip = (at: number): number => {
    let next = at + 1
    for (let c = 0; c < Number(schema[at]?.num_children ?? 0); c++) next = skip(next)
    return next
  }
  while (i < schema.length) {
    names.push(String(schema[i]?.name))
    i = skip(i)
  }
  return names
}
