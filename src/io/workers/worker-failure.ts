// How a task's error crosses the thread boundary: structured clone keeps only an Error's message, so the worker side
// (worker-serve.ts) sends a plain WorkerFailure and the pool (worker-pool.ts) rebuilds it; a PixcapError keeps its
// code, file, JSON path and detail, so callers see the same error as when the task runs in-process.
import { PixcapError, type PixcapErrorCode } from '../../errors.js'

/** A task failure reported by a worker: the error's name and message, plus PixcapError's fields when it is one. */
export interface WorkerFailure {
  name: string
  message: string
  data?: { code: PixcapErrorCode; file: string; path: (string | number)[]; detail: string }
}

/** Serialises an error for postMessage, keeping PixcapError's fields. */
export function toWorkerFailure(err: unknown): WorkerFailure {
  if (err instanceof PixcapError) return { name: err.name, message: err.message, data: { code: err.code, file: err.file, path: [...err.path], detail: err.detail } }
  const e = err as Error | undefined
  return { name: e?.name ?? 'Error', message: String(e?.message ?? e) }
}

/** Rebuilds a worker failure as the error the in-process path would have thrown. */
export function fromWorkerFailure(f: WorkerFailure): Error {
  if (f.name === 'PixcapError' && f.data !== undefined) return new PixcapError(f.data.code, f.data.file, f.data.path, f.data.detail)
  const e = new Error(f.message)
  e.name = f.name
  return e
}
