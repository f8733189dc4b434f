// The Parquet encoding itself, in memory: Arrow IPC stream bytes in (one record batch per push), Parquet file bytes
// out. Used in-process or inside parquet-worker.ts (the same code, so the bytes are the same either way).
//
// wasm memory rules (ecosystem.md §2, measured): a wasm Table we only take recordBatches() from must be .free()d
// (without it wasm memory grew to 1.49 GB at 2M rows; with it, flat at 92 MB; wasm32 cannot pass 4 GB), while the
// batches handed to transformParquetStream / the Table handed to writeParquet are consumed and must NOT be freed.
// setMaxRowGroupBytes only takes effect between record batches, so we feed small (1k-row, or 100-row with images)
// batches. transformParquetStream resolves only after its input yields a first batch, so it starts lazily.
import * as pw from 'parquet-wasm'

/** Writer settings that cross to a worker as plain data. */
export interface EncoderProps {
  maxRowGroupRows: number
  maxRowGroupBytes: number
  /** Footer key-value metadata (the `huggingface` features key). */
  keyValue: [string, string][]
}

/**
 * SNAPPY, the codec pyarrow (and so `datasets`' own Parquet) uses by default; reference/ecosystem.md §8 allows ZSTD
 * or SNAPPY. ZSTD (level 1) spent ~0.55 s of the ~1.1 s the encoder took on the 167k-region bench corpus, the largest
 * single item of `pixcap convert`'s time, for files ~40% smaller (9.5 vs 16.4 MB); SNAPPY was chosen for speed
 * (docs/speed.md). Every reader the tests use (pyarrow, datasets, DuckDB, hyparquet) reads it without extras.
 */
export const PARQUET_COMPRESSION = 'SNAPPY'

function writerProperties(p: EncoderProps): pw.WriterProperties {
  return new pw.WriterPropertiesBuilder()
    .setCompression(pw.Compression[PARQUET_COMPRESSION])
    .setMaxRowGroupSize(p.maxRowGroupRows)
    .setMaxRowGroupBytes(p.maxRowGroupBytes)
    .setKeyValueMetadata(new Map(p.keyValue))
    .build()
}

/** Copies one IPC stream into wasm memory as parquet-wasm RecordBatches (freeing the wasm Table shell). */
function toWasmBatches(ipc: Uint8Array): pw.RecordBatch[] {
  const table = pw.Table.fromIPCStream(ipc)
  try {
    return table.recordBatches()
  } finally {
    table.free()
  }
}

/** Size of this thread's parquet-wasm heap (it never shrinks, so this is its high-water mark). */
export function wasmHeapBytes(): number {
  return pw.wasmMemory().buffer.byteLength
}

/** A whole Parquet file for a table with no rows (transformParquetStream needs a first batch). */
export function encodeEmptyParquet(schemaIpc: Uint8Array, props: EncoderProps): Uint8Array {
  return pw.writeParquet(pw.Table.fromIPCStream(schemaIpc), writerProperties(props)) // consumes the Table
}

/**
 * Streams batches into one Parquet file. Calls are serialised internally, so pushes may be issued without awaiting
 * the previous one; each resolves, once the encoder has taken its batch, with the output bytes produced so far.
 */
export class ParquetEncoder {
  private controller: ReadableStreamDefaultController<pw.RecordBatch> | undefined
  private pullWaiter: (() => void) | undefined
  private pump: Promise<void> | undefined
  private pumpError: unknown
  private chunks: Uint8Array[] = []
  private queue: Promise<unknown> = Promise.resolve()

  constructor(private readonly props: EncoderProps) {}

  /** Queues one record batch (an Arrow IPC stream); resolves with the Parquet bytes ready so far. */
  push(ipc: Uint8Array): Promise<Uint8Array[]> {
    return this.serial(async () => {
      if (this.pumpError !== undefined) throw this.pumpError
      if (this.pump === undefined) this.start()
      for (const b of toWasmBatches(ipc)) this.controller!.enqueue(b)
      // Backpressure: wait until the encoder has pulled what we queued, so wasm memory holds about one batch.
      while ((this.controller!.desiredSize ?? 1) <= 0 && this.pumpError === undefined) {
        await new Promise<void>((resolve) => (this.pullWaiter = resolve))
      }
      if (this.pumpError !== undefined) throw this.pumpError
      return this.drain()
    })
  }

  /** Ends the file; resolves with the remaining bytes (undefined when nothing was pushed: see encodeEmptyParquet). */
  finish(): Promise<Uint8Array[] | undefined> {
    return this.serial(async () => {
      if (this.pump === undefined) return undefined
      this.controller!.close()
      await this.pump
      if (this.pumpError !== undefined) throw this.pumpError
      return this.drain()
    })
  }

  /** Stops the encoder; its output is dropped. */
  async abort(): Promise<void> {
    if (this.pump === undefined) return
    try {
      this.controller!.error(new Error('aborted'))
    } catch {
      // already closed or errored
    }
    await this.pump.catch(() => {})
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn)
    this.queue = run.catch(() => {})
    return run
  }

  private drain(): Uint8Array[] {
    const out = this.chunks
    this.chunks = []
    return out
  }

  private start(): void {
    const input = new ReadableStream<pw.RecordBatch>(
      {
        start: (c) => {
          this.controller = c
        },
        pull: () => {
          const w = this.pullWaiter
          this.pullWaiter = undefined
          w?.()
        },
      },
      { highWaterMark: 1 },
    )
    const output = pw.transformParquetStream(input, writerProperties(this.props))
    this.pump = (async () => {
      const reader = (await output).getReader()
      for (;;) {
        const { done, value } = await reader.read()
        if (done) return
        this.chunks.push(value as Uint8Array)
      }
    })().catch((err: unknown) => {
      this.pumpError = err
      const w = this.pullWaiter
      this.pullWaiter = undefined
      w?.()
    })
  }
}
