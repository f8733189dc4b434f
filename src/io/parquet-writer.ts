// Parquet through parquet-wasm 0.8.0 (parquet-rs 59.3): ZSTD, dictionary encoding, page index, embedded ARROW:schema.
// Chosen over parquetjs-lite and kept behind BatchFileWriter so hyparquet-writer can replace it (docs/parquet-writer.md,
// reference/ecosystem.md §0, §2).
//
// wasm memory rules (ecosystem.md §2, measured): a wasm Table we only take recordBatches() from must be .free()d
// (without it wasm memory grew to 1.49 GB at 2M rows; with it, flat at 92 MB; wasm32 cannot pass 4 GB), while the
// batches handed to transformParquetStream / the Table handed to writeParquet are consumed and must NOT be freed.
// setMaxRowGroupBytes only takes effect between record batches, so we feed small (1k-row, or 100-row with images)
// batches. transformParquetStream resolves only after its input yields a first batch, so it starts lazily.
import { Table, tableToIPC, type RecordBatch, type Schema } from 'apache-arrow'
import * as pw from 'parquet-wasm'
import { HF_METADATA_KEY } from './arrow-schema.js'
import { OutputFile, type FinishedFile } from './output-file.js'
import type { BatchFileWriter } from './row-sink.js'

/** Row-group caps for the Hub viewer: <= 100 MB uncompressed per group (datasets MAX_ROW_GROUP_SIZE, ecosystem.md §4). */
export interface ParquetOptions {
  /** Max rows per row group: 10,000 for text rows; 100 when images are embedded (ecosystem.md §4). */
  maxRowGroupRows: number
  /** Max uncompressed bytes per row group. */
  maxRowGroupBytes: number
}

/** Text+boxes rows: 10k-100k rows per group fit the viewer's budget (ecosystem.md §4 "Our target"). */
export const TEXT_ROW_GROUP_ROWS = 10_000
/** Embedded images: 100-row groups, as datasets and the viewer use for image data (ecosystem.md §4). */
export const IMAGE_ROW_GROUP_ROWS = 100
/** datasets config MAX_ROW_GROUP_SIZE = "100MB" (ecosystem.md §4). */
export const MAX_ROW_GROUP_BYTES = 100 * 1024 * 1024

function writerProperties(schema: Schema, o: ParquetOptions): pw.WriterProperties {
  // The huggingface key goes into the footer's key-value metadata too: without it only pyarrow/datasets (via
  // ARROW:schema) see the features, DuckDB/hyparquet do not (ecosystem.md §2, capabilities table).
  const kv = new Map<string, string>()
  const hf = schema.metadata.get(HF_METADATA_KEY)
  if (hf !== undefined) kv.set(HF_METADATA_KEY, hf)
  return new pw.WriterPropertiesBuilder()
    .setCompression(pw.Compression.ZSTD)
    .setMaxRowGroupSize(o.maxRowGroupRows)
    .setMaxRowGroupBytes(o.maxRowGroupBytes)
    .setKeyValueMetadata(kv)
    .build()
}

/** Copies an apache-arrow batch into wasm memory as parquet-wasm RecordBatches (freeing the wasm Table shell). */
function toWasmBatches(batch: RecordBatch): pw.RecordBatch[] {
  const table = pw.Table.fromIPCStream(tableToIPC(new Table([batch]), 'stream'))
  try {
    return table.recordBatches()
  } finally {
    table.free()
  }
}

/** Streams record batches into one Parquet file. */
export class ParquetFileWriter implements BatchFileWriter {
  private controller: ReadableStreamDefaultController<pw.RecordBatch> | undefined
  private pullWaiter: (() => void) | undefined
  private pump: Promise<void> | undefined
  private pumpError: unknown
  private rows = 0

  private constructor(
    private readonly out: OutputFile,
    private readonly schema: Schema,
    private readonly options: ParquetOptions,
  ) {}

  /** Opens a temporary file beside `provisionalDest`. */
  static async open(provisionalDest: string, schema: Schema, options: ParquetOptions): Promise<ParquetFileWriter> {
    return new ParquetFileWriter(await OutputFile.open(provisionalDest), schema, options)
  }

  async writeBatch(batch: RecordBatch): Promise<void> {
    if (this.pumpError !== undefined) throw this.pumpError
    if (batch.numRows === 0) return
    if (this.pump === undefined) this.start()
    for (const b of toWasmBatches(batch)) this.controller!.enqueue(b)
    this.rows += batch.numRows
    // Backpressure: wait until the encoder has pulled what we queued, so wasm memory holds about one batch.
    while ((this.controller!.desiredSize ?? 1) <= 0 && this.pumpError === undefined) {
      await new Promise<void>((resolve) => (this.pullWaiter = resolve))
    }
    if (this.pumpError !== undefined) throw this.pumpError
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
    const output = pw.transformParquetStream(input, writerProperties(this.schema, this.options))
    this.pump = (async () => {
      const reader = (await output).getReader()
      for (;;) {
        const { done, value } = await reader.read()
        if (done) return
        await this.out.write(value as Uint8Array)
      }
    })().catch((err: unknown) => {
      this.pumpError = err
      const w = this.pullWaiter
      this.pullWaiter = undefined
      w?.()
    })
  }

  async finish(): Promise<FinishedFile> {
    try {
      if (this.pump === undefined) {
        // No rows: transformParquetStream needs a first batch, so write the empty table in one go.
        const empty = pw.Table.fromIPCStream(tableToIPC(new Table(this.schema), 'stream'))
        await this.out.write(pw.writeParquet(empty, writerProperties(this.schema, this.options))) // consumes `empty`
      } else {
        this.controller!.close()
        await this.pump
        if (this.pumpError !== undefined) throw this.pumpError
      }
      return await this.out.finish(this.rows)
    } catch (err) {
      await this.out.abort()
      throw err
    }
  }

  async abort(): Promise<void> {
    if (this.pump !== undefined) {
      try {
        this.controller!.error(new Error('aborted'))
      } catch {
        // already closed or errored
      }
      await this.pump.catch(() => {})
    }
    await this.out.abort()
  }
}
