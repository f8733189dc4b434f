// Worker-thread entry for PQ: first a { setup: { categoryIds } } message (the pool starts before the JSON is read),
// then { id, task } messages, each answered with { id, ok, value | error } (see worker-pool.ts).
import { parentPort } from 'node:worker_threads'
import { runPqImageTask, toWorkerFailure, type PqImageTask } from './pq-image-task.js'

let categories: ReadonlySet<number> = new Set()

parentPort?.on('message', (msg: { setup: { categoryIds: number[] } } | { id: number; task: PqImageTask }) => {
  if ('setup' in msg) {
    categories = new Set(msg.setup.categoryIds)
    return
  }
  runPqImageTask(msg.task, categories).then(
    (value) => parentPort?.postMessage({ id: msg.id, ok: true, value }),
    (err: unknown) => parentPort?.postMessage({ id: msg.id, ok: false, error: toWorkerFailure(err) }),
  )
})
