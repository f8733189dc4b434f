// One Arrow IPC stream encoding per record batch, shared by every writer of the batch: the `.arrow` file appends its
// batch message and the Parquet encoder reads the whole stream. Each writer used to encode the batch itself
// (apache-arrow's tableToIPC: flatbuffer headers plus a copy of every buffer), twice per batch for
// `--format parquet,arrow`. The bytes are shared: callers must neither change nor transfer them (copy first), except
// the batch's last user, which may take them (takeBatchStreamIpc).
import { Table, tableToIPC, type RecordBatch } from 'apache-arrow'

const encoded = new WeakMap<RecordBatch, Uint8Array>()

/** The batch as a complete IPC stream (schema message, batch message, end-of-stream marker), encoded once. */
export function batchStreamIpc(batch: RecordBatch): Uint8Array {
  let ipc = encoded.get(batch)
  if (ipc === undefined) {
    ipc = tableToIPC(new Table(batch.schema, [batch]), 'stream')
    encoded.set(batch, ipc)
  }
  return ipc
}

/**
 * The batch's IPC stream for its last user, to move to another thread: the shared bytes themselves when they own
 * their whole buffer (tableToIPC's output does), else a copy. The batch's other users must be done with it.
 */
export function takeBatchStreamIpc(batch: RecordBatch): Uint8Array {
  const ipc = batchStreamIpc(batch)
  encoded.delete(batch)
  const whole = ipc.byteOffset === 0 && ipc.byteLength === ipc.buffer.byteLength && ipc.buffer instanceof ArrayBuffer
  return whole ? ipc : ipc.slice()
}
