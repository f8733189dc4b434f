// Writes one split of a corpus in every requested format (ARCHITECTURE.md "A corpus on disk"):
//   data/{split}-{i:05d}-of-{n:05d}.parquet, arrow/{split}-{i:05d}-of-{n:05d}.arrow, jsonl/{split}.jsonl, json/{split}.json
// Each Arrow batch is built once (it is also the type check), 100 rows at a time so that row objects die young
// (arrow-concat.ts), and fed to the Parquet and Arrow writers, so their shards hold the same rows. Shard files stay
// under `.incomplete` names until close, when the count is known and every file is renamed; a failure anywhere removes
// every temporary file and renames nothing.
import { join, relative, sep } from 'node:path'
import type { RecordBatch } from 'apache-arrow'
import type { FieldSpec } from '../../records/field-spec.js'
import { ArrowBatchBuilder, DEFAULT_BATCH_ROWS, IMAGE_BATCH_ROWS, PIECE_ROWS, type Row } from './arrow-batch.js'
import { ArrowStreamFileWriter } from './arrow-ipc-writer.js'
import { JsonArraySink } from './json-array-sink.js'
import { JsonlSink } from './jsonl-sink.js'
import { finishedFile, type FinishedFile, type WrittenFile } from './output-file.js'
import type { JournaledShard } from './corpus-lock.js'
import { failpoint } from '../../util/failpoint.js'
import { IMAGE_ROW_GROUP_ROWS, MAX_ROW_GROUP_BYTES, ParquetFileWriter, prestartParquetWorker, releaseParquetWorker, TEXT_ROW_GROUP_ROWS } from './parquet-writer.js'
import type { BatchFileWriter, RowSink } from './row-sink.js'
import { MAX_SHARD_BYTES, MAX_SHARD_ROWS, planShards, shardFileName, startsNewShard, type BatchSize, type ShardLimits } from './shards.js'

/** Output formats a corpus can be written in. */
export const OUTPUT_FORMATS = ['parquet', 'arrow', 'jsonl', 'json'] as const
export type OutputFormat = (typeof OUTPUT_FORMATS)[number]

/** Folder and extension of each format inside a corpus. */
export const FORMAT_LAYOUT: Record<OutputFormat, { dir: string; ext: string }> = {
  parquet: { dir: 'data', ext: 'parquet' },
  arrow: { dir: 'arrow', ext: 'arrow' },
  jsonl: { dir: 'jsonl', ext: 'jsonl' },
  json: { dir: 'json', ext: 'json' },
}

/** Options for {@link openCorpusSink}. */
export interface CorpusSinkOptions {
  outDir: string
  split: string
  fields: readonly FieldSpec[]
  formats: readonly OutputFormat[]
  /** Rows carry image bytes: 100-row batches and row groups (reference/ecosystem.md §4). */
  embedImages?: boolean
  limits?: Partial<ShardLimits>
  /**
   * This process is job `index` of `count` (a cluster array job): each format gets exactly one file, named with the
   * job's index and count (`train-00003-of-00008.parquet`), so the jobs' outputs join without renaming.
   */
  job?: { index: number; count: number }
  /**
   * Shards a dead writer finished (checked by the caller against their sha256), with the batch sizes up to their
   * end: they are kept, and the rows they hold are not encoded again (`convert --resume`). The caller replays the
   * same rows from the start; formats without shards (JSONL, JSON) are written whole again.
   */
  resume?: { shards: readonly JournaledShard[]; batches: readonly BatchSize[] }
  /** Called when a shard's files are complete on disk (temporary names), with the batch sizes up to its end. */
  onShardFinished?: (shard: JournaledShard, batches: readonly BatchSize[]) => Promise<void>
  /** Called at close, before any file is renamed into place, with the corpus-relative final names. */
  beforeCommit?: (files: readonly string[]) => Promise<void>
}

/** Row and byte caps actually used. */
function resolveLimits(o: Pick<CorpusSinkOptions, 'limits' | 'job'>): ShardLimits {
  if (o.job) return { maxRowsPerShard: Number.POSITIVE_INFINITY, maxBytesPerShard: Number.POSITIVE_INFINITY }
  return { maxRowsPerShard: o.limits?.maxRowsPerShard ?? MAX_SHARD_ROWS, maxBytesPerShard: o.limits?.maxBytesPerShard ?? MAX_SHARD_BYTES }
}

/** Corpus-relative POSIX path of a JSONL file. */
function jsonlPath(split: string, job?: { index: number; count: number }): string {
  return job ? `jsonl/${shardFileName(split, job.index, job.count, 'jsonl')}` : `jsonl/${split}.jsonl`
}

/** Corpus-relative POSIX path of a JSON-array file (one per split, or per job). */
function jsonArrayPath(split: string, job?: { index: number; count: number }): string {
  return job ? `json/${shardFileName(split, job.index, job.count, 'json')}` : `json/${split}.json`
}

interface OpenShard {
  size: BatchSize
  writers: { format: OutputFormat; writer: BatchFileWriter }[]
  /** `writers` with the Parquet writer last. */
  writeOrder: { format: OutputFormat; writer: BatchFileWriter }[]
}

/** Opens a sink that writes one split; `close()` returns the written files with corpus-relative paths. */
export async function openCorpusSink(o: CorpusSinkOptions): Promise<RowSink> {
  const formats = [...new Set(o.formats)]
  if (formats.length === 0) throw new RangeError('no output format requested')
  shardFileName(o.split, 0, 1, 'x') // validates the split name before anything is created
  const builder = new ArrowBatchBuilder(o.fields, join(o.outDir, `${o.split} rows`))
  const batchRows = o.embedImages ? IMAGE_BATCH_ROWS : DEFAULT_BATCH_ROWS
  const limits = resolveLimits(o)
  const parquetOptions = { maxRowGroupRows: o.embedImages ? IMAGE_ROW_GROUP_ROWS : TEXT_ROW_GROUP_ROWS, maxRowGroupBytes: MAX_ROW_GROUP_BYTES }
  const jsonl = formats.includes('jsonl') ? await JsonlSink.open(join(o.outDir, jsonlPath(o.split, o.job)), o.fields) : undefined
  const jsonArray = formats.includes('json') ? await JsonArraySink.open(join(o.outDir, jsonArrayPath(o.split, o.job)), o.fields) : undefined
  const batchFormats = formats.filter((f) => f !== 'jsonl' && f !== 'json')
  if (batchFormats.includes('parquet')) prestartParquetWorker()

  const finished: { format: OutputFormat; file: FinishedFile }[][] = []
  const history: BatchSize[] = [...(o.resume?.batches ?? [])]
  const rel = (abs: string): string => relative(o.outDir, abs).split(sep).join('/')
  for (const shard of o.resume?.shards ?? []) {
    finished.push(shard.files.map((f) => ({ format: f.format as OutputFormat, file: finishedFile(join(o.outDir, f.tmp), f) })))
  }
  // Rows already in the resumed shards: they still flow through (JSONL gets every row) but are not encoded again.
  // Shards end on batch boundaries, so this is a whole number of batches.
  const skipRows = (o.resume?.shards ?? []).reduce((n, s) => n + s.rows, 0)
  let rowsFlushed = 0
  let shard: OpenShard | undefined
  // The batch being filled: its rows so far (inBatch), those not yet handed to the builder (piece), and, for JSONL and
  // JSON, which write row objects, all of them (held).
  const pieceRows = Math.min(batchRows, PIECE_ROWS)
  const keepRows = jsonl !== undefined || jsonArray !== undefined
  let inBatch = 0
  let piece: Row[] = []
  let held: Row[] = []
  let failed = false

  const provisional = (format: OutputFormat, index: number): string =>
    join(o.outDir, FORMAT_LAYOUT[format].dir, `${o.split}-${String(index).padStart(5, '0')}.${FORMAT_LAYOUT[format].ext}`)

  async function openShard(): Promise<OpenShard> {
    const index = finished.length
    const writers: OpenShard['writers'] = []
    for (const format of batchFormats) {
      const dest = provisional(format, index)
      const writer = format === 'parquet' ? await ParquetFileWriter.open(dest, builder.schema, parquetOptions) : await ArrowStreamFileWriter.open(dest, builder.schema)
      writers.push({ format, writer })
    }
    return { size: { rows: 0, bytes: 0 }, writers, writeOrder: [...writers].sort((a, b) => Number(a.format === 'parquet') - Number(b.format === 'parquet')) }
  }

  // Batch count at the end of each finished shard (for the journal).
  const shardBatchEnds: number[] = []
  for (const shard of o.resume?.shards ?? []) shardBatchEnds.push((shardBatchEnds.at(-1) ?? 0) + shard.batches)

  async function finishShard(s: OpenShard, batchesSoFar: number): Promise<void> {
    const files: { format: OutputFormat; file: FinishedFile }[] = []
    finished.push(files)
    for (const { format, writer } of s.writers) files.push({ format, file: await writer.finish() })
    const before = shardBatchEnds.at(-1) ?? 0
    shardBatchEnds.push(batchesSoFar)
    if (o.onShardFinished) {
      const journaled: JournaledShard = {
        rows: s.size.rows,
        batches: batchesSoFar - before,
        files: files.map(({ format, file }) => ({ format, tmp: rel(file.tmpPath), rows: file.rows, bytes: file.bytes, sha256: file.sha256 })),
      }
      await o.onShardFinished(journaled, history.slice(0, batchesSoFar))
      await failpoint(`shard-finished:${finished.length}`)
    }
  }

  async function writeBatch(batch: RecordBatch): Promise<void> {
    const size = { rows: batch.numRows, bytes: batch.data.byteLength }
    history.push(size)
    if (shard && startsNewShard(shard.size, size, limits)) {
      const done = shard
      shard = undefined
      await finishShard(done, history.length - 1)
    }
    shard ??= await openShard()
    shard.size.rows += size.rows
    shard.size.bytes += size.bytes
    // The Parquet writer goes last and takes the batch's IPC bytes to its worker instead of copying them.
    for (const { writer } of shard.writeOrder) await writer.writeBatch(batch, { lastUse: writer === shard.writeOrder.at(-1)?.writer })
  }

  /** Encodes the rows of `piece` into the batch being assembled (type-checking them), unless a resumed shard has them. */
  function appendPiece(): void {
    const first = rowsFlushed + inBatch - piece.length
    // Already encoded in a resumed shard (and type-checked by the run that wrote it). Shards end on batch boundaries.
    if (rowsFlushed + batchRows > skipRows) builder.append(piece, first)
    piece = []
  }

  /** Ends the batch being filled: the batch formats get it (unless a resumed shard has it), JSONL and JSON its rows. */
  async function flushBatch(): Promise<void> {
    const n = inBatch
    const resumed = rowsFlushed + n <= skipRows
    rowsFlushed += n
    inBatch = 0
    const rows = held
    held = []
    // A resumed run's last partial batch may have been appended before it was known to be whole in a resumed shard.
    const batch = builder.takeBatch()
    if (!resumed && batchFormats.length > 0) await writeBatch(batch)
    await jsonl?.write(rows)
    await jsonArray?.write(rows)
  }

  async function abort(): Promise<void> {
    failed = true
    const s = shard
    shard = undefined
    for (const w of s?.writers ?? []) await w.writer.abort()
    await releaseParquetWorker()
    for (const files of finished) for (const f of files) await f.file.discard()
    await jsonl?.abort()
    await jsonArray?.abort()
  }

  const guard = async <T>(fn: () => Promise<T>): Promise<T> => {
    if (failed) throw new Error(`${o.outDir}: the ${o.split} sink already failed or was aborted`)
    try {
      return await fn()
    } catch (err) {
      await abort()
      throw err
    }
  }

  return {
    write: (rows) =>
      guard(async () => {
        for (const row of rows) {
          piece.push(row)
          if (keepRows) held.push(row)
          inBatch++
          if (piece.length === pieceRows || inBatch === batchRows) appendPiece()
          if (inBatch === batchRows) await flushBatch()
        }
      }),
    close: () =>
      guard(async () => {
        if (piece.length > 0) appendPiece()
        if (inBatch > 0) await flushBatch()
        // A split with no rows still gets one (empty) file per format, so readers see the schema.
        if (batchFormats.length > 0 && shard === undefined && finished.length === 0) shard = await openShard()
        if (rowsFlushed < skipRows) throw new Error(`internal: resumed shards hold ${skipRows} rows, but the conversion gave only ${rowsFlushed}`)
        if (shard) await finishShard(shard, history.length)
        shard = undefined
        await releaseParquetWorker()
        const plan = planShards(history, limits)
        if (batchFormats.length > 0 && history.length > 0 && plan.length !== finished.length) {
          throw new Error(`internal: wrote ${finished.length} shards but the plan has ${plan.length}`)
        }
        const count = o.job ? o.job.count : finished.length
        const commits: { file: FinishedFile; rel: string }[] = []
        for (let i = 0; i < finished.length; i++) {
          const index = o.job ? o.job.index : i
          for (const { format, file } of finished[i]!) commits.push({ file, rel: `${FORMAT_LAYOUT[format].dir}/${shardFileName(o.split, index, count, FORMAT_LAYOUT[format].ext)}` })
        }
        await o.beforeCommit?.([...commits.map((c) => c.rel), ...(jsonl ? [jsonlPath(o.split, o.job)] : []), ...(jsonArray ? [jsonArrayPath(o.split, o.job)] : [])])
        const written: WrittenFile[] = []
        for (const [k, c] of commits.entries()) {
          written.push({ ...(await c.file.commit(join(o.outDir, c.rel))), file: c.rel })
          await failpoint(`committed:${k + 1}`)
        }
        if (jsonl) for (const f of await jsonl.close()) written.push({ ...f, file: jsonlPath(o.split, o.job) })
        if (jsonArray) for (const f of await jsonArray.close()) written.push({ ...f, file: jsonArrayPath(o.split, o.job) })
        failed = true // closed: later writes are errors
        return written
      }),
    abort,
  }
}
