// Arrow IPC *stream* files, the format `datasets` writes and reads: ArrowWriter uses pa.RecordBatchStreamWriter and
// Dataset.from_file opens pa.ipc.open_stream; an IPC *file* fails there with "Expected to read 1330795073 metadata
// bytes" (the ARROW1 magic read as a length) (reference/ecosystem.md §3).
//
// Each batch is encoded on its own (apache-arrow's stream writer, through tableToIPC: schema message, batch message,
// end-of-stream marker; once per batch for all writers, batch-ipc.ts) and its batch message appended to the file: the
// file is the same byte stream one writer would produce (schema once, the batches, one end marker). An earlier version piped one long-lived RecordBatchStreamWriter
// into the file; its output chunks are views of the batches' own buffers, and the process's live ArrayBuffers grew
// with the corpus (to 270 MB at 1M regions), so peak RSS did too. Encoding per batch copies, and nothing outlives it.
import { Table, tableToIPC, type RecordBatch, type Schema } from 'apache-arrow'
import { OutputFile, type FinishedFile } from './output-file.js'
import type { BatchFileWriter } from './row-sink.js'
import { batchStreamIpc } from './batch-ipc.js'

/** End of stream: continuation marker 0xFFFFFFFF and a zero metadata length (Arrow IPC format, "EOS"). */
const END_OF_STREAM = 8

/** Streams record batches into one `.arrow` IPC stream file. */
export class ArrowStreamFileWriter implements BatchFileWriter {
  private rows = 0
  /** The schema message, as the stream of a table with no batches starts (written once, first). */
  private readonly schemaMessage: Uint8Array
  private started = false

  private constructor(
    private readonly out: OutputFile,
    private readonly schema: Schema,
  ) {
    const empty = tableToIPC(new Table(schema), 'stream')
    this.schemaMessage = empty.subarray(0, empty.length - END_OF_STREAM)
  }

  /** Opens a temporary file beside `provisionalDest`. */
  static async open(provisionalDest: string, schema: Schema): Promise<ArrowStreamFileWriter> {
    return new ArrowStreamFileWriter(await OutputFile.open(provisionalDest), schema)
  }

  async writeBatch(batch: RecordBatch): Promise<void> {
    const ipc = batchStreamIpc(batch)
    const head = this.schemaMessage.length
    if (Buffer.compare(ipc.subarray(0, head), this.schemaMessage) !== 0) {
      throw new Error('arrow writer: a batch encoded with a schema message other than the file schema')
    }
    if (!this.started) {
      await this.out.write(this.schemaMessage)
      this.started = true
    }
    await this.out.write(ipc.subarray(head, ipc.length - END_OF_STREAM))
    this.rows += batch.numRows
  }

  async finish(): Promise<FinishedFile> {
    try {
      // An empty stream still carries the schema.
      await this.out.write(tableToIPC(new Table(this.schema), 'stream').subarray(this.started ? this.schemaMessage.length : 0))
      return await this.out.finish(this.rows)
    } catch (err) {
      await this.out.abort()
      throw err
    }
  }

  async abort(): Promise<void> {
    await this.out.abort()
  }
}
