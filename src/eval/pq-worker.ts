// Worker-thread entry for PQ: receives { id, task } messages, answers { id, ok, value | error } (see worker-pool.ts).
import { parentPort, workerData } from 'node:worker_threads'
import { runPqImageTask, toWorkerFailure, type PqImageTask } from './pq-image-task.js'

const { categoryIds } = workerData as { categoryIds: number[] }
const categories = new Set(categoryIds)

parentPort?.on('message', (msg: { id: number; task: PqImageTask }) => {
  runPqImageTask(msg.task, categories).then(
    (value) => parentPort?.postMessage({ id: msg.id, ok: true, value }),
    (err: unknown) => parentPort?.postMessage({ id: msg.id, ok: false, error: toWorkerFailure(err) }),
  )
})
