// The worker side of worker-pool.ts: answers {id, input} messages with `handle(input)`, several at a time.
import { parentPort, type TransferListItem } from 'node:worker_threads'
import type { WorkerReply } from './worker-pool.js'

/** Serves tasks from the pool that started this worker; `transfer` names buffers in a reply to move, not copy. */
export function serveTasks<I, O>(handle: (input: I) => Promise<O>, transfer: (value: O) => TransferListItem[] = () => []): void {
  const port = parentPort
  if (port === null) throw new Error('serveTasks must run inside a worker thread')
  port.on('message', ({ id, input }: { id: number; input: I }) => {
    handle(input).then(
      (value) => port.postMessage({ id, ok: true, value } satisfies WorkerReply<O>, transfer(value)),
      (err: unknown) => port.postMessage({ id, ok: false, error: err instanceof Error ? err.message : String(err) } satisfies WorkerReply<O>),
    )
  })
}
