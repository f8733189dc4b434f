// The worker side of worker-pool.ts: answers {id, input} messages with `handle(input)`, several at a time, and hands
// {setup} messages (the pool's `broadcast`) to `onSetup` before any later task. Errors go back as WorkerFailure.
import { parentPort, type TransferListItem } from 'node:worker_threads'
import { toWorkerFailure } from './worker-failure.js'
import type { WorkerReply } from './worker-pool.js'

/** How a worker serves its tasks. */
export interface ServeOptions<O, S> {
  /** Buffers in a reply to move to the main thread instead of copying. */
  transfer?: (value: O) => TransferListItem[]
  /** Receives each `broadcast` from the pool, in order with the tasks. */
  onSetup?: (data: S) => void
}

/** Serves tasks from the pool that started this worker. */
export function serveTasks<I, O, S = unknown>(handle: (input: I) => Promise<O>, opts: ServeOptions<O, S> = {}): void {
  const port = parentPort
  if (port === null) throw new Error('serveTasks must run inside a worker thread')
  const transfer = opts.transfer ?? (() => [])
  port.on('message', (msg: { id: number; input: I } | { setup: S }) => {
    if ('setup' in msg) {
      opts.onSetup?.(msg.setup)
      return
    }
    const { id } = msg
    handle(msg.input).then(
      (value) => port.postMessage({ id, ok: true, value } satisfies WorkerReply<O>, transfer(value)),
      (err: unknown) => port.postMessage({ id, ok: false, error: toWorkerFailure(err) } satisfies WorkerReply<O>),
    )
  })
}
