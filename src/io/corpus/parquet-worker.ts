// Worker entry for ParquetFileWriter: runs one ParquetEncoder off the main thread, so the main thread builds the next
// Arrow batch while this one is encoded (parquet-writer.ts). Tasks arrive in order; the encoder serialises them.
import { encodeEmptyParquet, ParquetEncoder, wasmHeapBytes, type EncoderProps } from './parquet-encoder.js'
import type { TransferListItem } from 'node:worker_threads'
import { serveTasks } from '../workers/worker-serve.js'

/** One request to the worker. */
export type ParquetTask =
  | { op: 'start'; props: EncoderProps }
  | { op: 'push'; ipc: Uint8Array }
  | { op: 'finish'; emptyIpc: Uint8Array }

/** Its answer: Parquet bytes to append, and the worker's wasm heap size. */
export interface ParquetTaskReply {
  chunks: Uint8Array[]
  wasmBytes: number
}

let encoder: ParquetEncoder | undefined
let props: EncoderProps | undefined

serveTasks<ParquetTask, ParquetTaskReply>(async (task) => {
  if (task.op === 'start') {
    props = task.props
    encoder = new ParquetEncoder(task.props)
    return { chunks: [], wasmBytes: wasmHeapBytes() }
  }
  if (encoder === undefined || props === undefined) throw new Error(`parquet worker: ${task.op} before start`)
  if (task.op === 'push') return { chunks: await encoder.push(task.ipc), wasmBytes: wasmHeapBytes() }
  const rest = await encoder.finish()
  return { chunks: rest ?? [encodeEmptyParquet(task.emptyIpc, props)], wasmBytes: wasmHeapBytes() }
}, { transfer: transferable })

/** The reply's chunks move to the main thread when each owns its whole buffer (the encoder's output chunks do). */
function transferable(reply: ParquetTaskReply): TransferListItem[] {
  const buffers = reply.chunks.map((c) => c.buffer)
  const whole = reply.chunks.every((c) => c.byteOffset === 0 && c.byteLength === c.buffer.byteLength && c.buffer instanceof ArrayBuffer)
  return whole && new Set(buffers).size === buffers.length ? (buffers as ArrayBuffer[]) : []
}
