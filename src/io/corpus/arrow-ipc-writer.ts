// Arrow IPC *stream* files, the format `datasets` writes and reads: ArrowWriter uses pa.RecordBatchStreamWriter and
// Dataset.from_file opens pa.ipc.open_stream; an IPC *file* fails there with "Expected to read 1330795073 metadata
// bytes" (the ARROW1 magic read as a length) (reference/ecosystem.md §3).
import { RecordBatchStreamWriter, type RecordBatch, type Schema } from 'apache-arrow'
import { OutputFile, type FinishedFile } from './output-file.js'
import type { BatchFileWriter } from './row-sink.js'

/** Streams record batches into one `.arrow` IPC stream file. */
export class ArrowStreamFileWriter implements BatchFileWriter {
  private readonly writer = new RecordBatchStreamWriter()
  private readonly pump: Promise<void>
  private pumpError: unknown
  private rows = 0
  private started = false

  private constructor(
    private readonly out: OutputFile,
    private readonly schema: Schema,
  ) {
    this.pump = (async () => {
      for await (const chunk of this.writer) await this.out.write(chunk)
    })().catch((err: unknown) => {
      this.pumpError = err
    })
  }

  /** Opens a temporary file beside `provisionalDest`. */
  static async open(provisionalDest: string, schema: Schema): Promise<ArrowStreamFileWriter> {
    return new ArrowStreamFileWriter(await OutputFile.open(provisionalDest), schema)
  }

  async writeBatch(batch: RecordBatch): Promise<void> {
    if (this.pumpError !== undefined) throw this.pumpError
    if (!this.started) {
      this.writer.reset(undefined, this.schema)
      this.started = true
    }
    this.writer.write(batch)
    this.rows += batch.numRows
    // Let the pump drain the writer's queue so bytes do not pile up in memory.
    await new Promise<void>((resolve) => setImmediate(resolve))
  }

  async finish(): Promise<FinishedFile> {
    try {
      if (!this.started) this.writer.reset(undefined, this.schema) // an empty stream still carries the schema
      this.writer.finish()
      await this.pump
      if (this.pumpError !== undefined) throw this.pumpError
      return await this.out.finish(this.rows)
    } catch (err) {
      await this.out.abort()
      throw err
    }
  }

  async abort(): Promise<void> {
    this.writer.abort()
    await this.pump
    await this.out.abort()
  }
}
