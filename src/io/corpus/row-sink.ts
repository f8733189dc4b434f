// The one interface every writer sits behind, so the Parquet engine (parquet-wasm today) can be replaced
// (hyparquet-writer is the measured fallback, reference/ecosystem.md §0) without touching the pipeline.
import type { RecordBatch } from 'apache-arrow'
import type { Row } from './arrow-batch.js'
import type { FinishedFile, WrittenFile } from './output-file.js'

/** Receives rows; `close` commits every file it wrote; `abort` leaves nothing but removed temp files. */
export interface RowSink {
  write(rows: readonly Row[]): Promise<void>
  close(): Promise<WrittenFile[]>
  abort(): Promise<void>
}

/**
 * One file fed with Arrow record batches (Parquet, Arrow IPC stream). `finish` completes it under its temporary name;
 * the caller renames it once the final name (which carries the shard count) is known.
 */
export interface BatchFileWriter {
  /**
   * Appends one batch. `lastUse`: no other writer reads this batch after this call, so the writer may take its
   * shared IPC bytes (batch-ipc.ts) instead of copying them.
   */
  writeBatch(batch: RecordBatch, options?: { lastUse?: boolean }): Promise<void>
  finish(): Promise<FinishedFile>
  abort(): Promise<void>
}
