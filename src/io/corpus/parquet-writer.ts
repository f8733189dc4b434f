// Parquet through parquet-wasm 0.8.0 (parquet-rs 59.3): SNAPPY (parquet-encoder.ts), dictionary encoding, page index,
// embedded ARROW:schema.
// Chosen over parquetjs-lite and kept behind BatchFileWriter so hyparquet-writer can replace it (docs/parquet-writer.md,
// reference/ecosystem.md §0, §2). The encoding (and its wasm memory rules) lives in parquet-encoder.ts.
//
// On a multi-core machine the encoder runs in a worker thread (parquet-worker.ts): encoding was a fifth of
// `pixcap convert`'s main-thread time, and it now overlaps with building the next batch. The worker sends the Parquet
// bytes back and this thread appends them to the file in order, so the bytes equal the in-process ones.
import { availableParallelism } from 'node:os'
import type { TransferListItem } from 'node:worker_threads'
import { Table, tableToIPC, type RecordBatch, type Schema } from 'apache-arrow'
import { HF_METADATA_KEY } from './arrow-schema.js'
import { OutputFile, type FinishedFile } from './output-file.js'
import type { EncoderProps } from './parquet-encoder.js'
import type { ParquetTask, ParquetTaskReply } from './parquet-worker.js'
import type { BatchFileWriter } from './row-sink.js'
import { batchStreamIpc, takeBatchStreamIpc } from './batch-ipc.js'
import { createWorkerPool, workerModuleUrl, type WorkerPool } from '../workers/worker-pool.js'

/** Row-group caps for the Hub viewer: <= 100 MB uncompressed per group (datasets MAX_ROW_GROUP_SIZE, ecosystem.md §4). */
export interface ParquetOptions {
  /** Max rows per row group: 10,000 for text rows; 100 when images are embedded (ecosystem.md §4). */
  maxRowGroupRows: number
  /** Max uncompressed bytes per row group. */
  maxRowGroupBytes: number
  /** Encode in a worker thread; default: when the machine has more than one core. */
  worker?: boolean
}

/** Text+boxes rows: 10k-100k rows per group fit the viewer's budget (ecosystem.md §4 "Our target"). */
export const TEXT_ROW_GROUP_ROWS = 10_000
/** Embedded images: 100-row groups, as datasets and the viewer use for image data (ecosystem.md §4). */
export const IMAGE_ROW_GROUP_ROWS = 100
/** datasets config MAX_ROW_GROUP_SIZE = "100MB" (ecosystem.md §4). */
export const MAX_ROW_GROUP_BYTES = 100 * 1024 * 1024
/** Batches handed to the encoder and not yet written back: bounds memory while letting both threads work. */
const MAX_IN_FLIGHT = 2

let wasmHighWater = 0

/**
 * parquet-wasm in this thread, once an in-process writer needs it: a process whose writers encode in their worker
 * never loads it (~40 ms of start-up on the bench machine).
 */
let inProcess: typeof import('./parquet-encoder.js') | undefined

/** The largest parquet-wasm heap any writer in this process has used (in-process or in its worker), in bytes. */
export function parquetWasmHighWaterBytes(): number {
  return Math.max(wasmHighWater, inProcess?.wasmHeapBytes() ?? 0)
}

function encoderProps(schema: Schema, o: ParquetOptions): EncoderProps {
  // The huggingface key goes into the footer's key-value metadata too: without it only pyarrow/datasets (via
  // ARROW:schema) see the features, DuckDB/hyparquet do not (ecosystem.md §2, capabilities table).
  const hf = schema.metadata.get(HF_METADATA_KEY)
  return { maxRowGroupRows: o.maxRowGroupRows, maxRowGroupBytes: o.maxRowGroupBytes, keyValue: hf === undefined ? [] : [[HF_METADATA_KEY, hf]] }
}

/** The encoder in this thread or in a worker, behind one shape. */
interface Encoder {
  /** `own`: the caller hands `ipc` over (nobody else reads it), so a worker may take it without a copy. */
  push(ipc: Uint8Array, own?: boolean): Promise<Uint8Array[]>
  finish(emptyIpc: Uint8Array): Promise<Uint8Array[]>
  abort(): Promise<void>
}

async function localEncoder(props: EncoderProps): Promise<Encoder> {
  const lib = (inProcess ??= await import('./parquet-encoder.js'))
  const enc = new lib.ParquetEncoder(props)
  const note = <T>(v: T): T => ((wasmHighWater = Math.max(wasmHighWater, lib.wasmHeapBytes())), v)
  return {
    push: async (ipc) => note(await enc.push(ipc)),
    finish: async (emptyIpc) => note((await enc.finish()) ?? [lib.encodeEmptyParquet(emptyIpc, props)]),
    abort: () => enc.abort(),
  }
}

function startWorker(): WorkerPool<ParquetTask, ParquetTaskReply> {
  return createWorkerPool(workerModuleUrl(import.meta.url, 'parquet-worker'), 1)
}

/**
 * An idle worker for the next writer: started ahead of the first (prestartParquetWorker), or handed on by a writer that
 * finished. It is unref'd, so it never keeps the process alive.
 */
let spare: WorkerPool<ParquetTask, ParquetTaskReply> | undefined

/**
 * Starts the encoder worker the next ParquetFileWriter will use, so its start-up (loading parquet-wasm) overlaps with
 * reading the input instead of delaying the first batch. No-op where writers would encode in-process.
 */
export function prestartParquetWorker(): void {
  if (spare === undefined && availableParallelism() > 1) spare = startWorker()
}

/** Ends the idle encoder worker kept for the next writer, if any (a corpus sink calls it once its files are done). */
export async function releaseParquetWorker(): Promise<void> {
  const idle = spare
  spare = undefined
  await idle?.close()
}

function workerEncoder(props: EncoderProps): Encoder {
  const pool = spare ?? startWorker()
  spare = undefined
  const call = async (task: ParquetTask, transfer: TransferListItem[] = []): Promise<Uint8Array[]> => {
    const reply = await pool.run(task, transfer)
    wasmHighWater = Math.max(wasmHighWater, reply.wasmBytes)
    return reply.chunks
  }
  void call({ op: 'start', props }).catch(() => {}) // a failed start fails the next call too
  return {
    push: (ipc, own) => {
      // Shared bytes (batch-ipc.ts) cross as a copy; bytes handed over cross as they are. Without .arrow output (or
      // with the .arrow writer done first, corpus-sink.ts) that saves copying the whole corpus once more on this
      // thread: ~73 MB and its fresh pages for the 167k-region bench corpus.
      const moved = own === true ? ipc : ipc.slice()
      return call({ op: 'push', ipc: moved }, [moved.buffer as ArrayBuffer])
    },
    finish: async (emptyIpc) => {
      let chunks: Uint8Array[]
      try {
        chunks = await call({ op: 'finish', emptyIpc })
      } catch (err) {
        await pool.close()
        throw err
      }
      // The next shard's writer takes this worker (and its wasm heap, whose freed pages parquet-wasm reuses) instead
      // of starting another: a fresh worker per shard left the old one's memory to the allocator while the new one
      // grew its own, which raised peak RSS at every shard boundary of a multi-shard corpus.
      if (spare === undefined) spare = pool
      else await pool.close()
      return chunks
    },
    abort: () => pool.close(),
  }
}

/** Streams record batches into one Parquet file. */
export class ParquetFileWriter implements BatchFileWriter {
  private rows = 0
  /** Appends of encoded bytes, in batch order; the oldest is awaited once MAX_IN_FLIGHT are pending. */
  private tail: Promise<void> = Promise.resolve()
  private inFlight: Promise<void>[] = []

  private constructor(
    private readonly out: OutputFile,
    private readonly schema: Schema,
    private readonly encoder: Encoder,
  ) {}

  /** Opens a temporary file beside `provisionalDest` (and, by default on a multi-core machine, the encoder's worker). */
  static async open(provisionalDest: string, schema: Schema, options: ParquetOptions): Promise<ParquetFileWriter> {
    const props = encoderProps(schema, options)
    const inWorker = options.worker ?? availableParallelism() > 1
    const local = inWorker ? undefined : await localEncoder(props)
    const out = await OutputFile.open(provisionalDest)
    return new ParquetFileWriter(out, schema, local ?? workerEncoder(props))
  }

  async writeBatch(batch: RecordBatch, options: { lastUse?: boolean } = {}): Promise<void> {
    if (batch.numRows === 0) return
    const last = options.lastUse === true
    const encoded = this.encoder.push(last ? takeBatchStreamIpc(batch) : batchStreamIpc(batch), last)
    this.rows += batch.numRows
    this.tail = this.tail.then(() => encoded).then((chunks) => this.append(chunks))
    this.tail.catch(() => {}) // observed by the awaits below; never an unhandled rejection meanwhile
    this.inFlight.push(this.tail)
    while (this.inFlight.length > MAX_IN_FLIGHT) await this.inFlight.shift()
  }

  private async append(chunks: Uint8Array[]): Promise<void> {
    for (const c of chunks) await this.out.write(c)
  }

  async finish(): Promise<FinishedFile> {
    try {
      this.inFlight = []
      await this.tail
      await this.append(await this.encoder.finish(tableToIPC(new Table(this.schema), 'stream')))
      return await this.out.finish(this.rows)
    } catch (err) {
      await this.encoder.abort().catch(() => {})
      await this.out.abort()
      throw err
    }
  }

  async abort(): Promise<void> {
    this.inFlight = []
    await this.encoder.abort() // first: pending pushes then fail instead of waiting
    await this.tail.catch(() => {})
    await this.out.abort()
  }
}
