// Worker-thread entry for PQ: first a { setup: { categoryIds } } broadcast (the pool starts before the JSON is read),
// then one task per batch of consecutive image pairs (see io/workers/worker-serve.ts).
import { serveTasks } from '../io/workers/worker-serve.js'
import { runPqBatch, type PqImageTask, type PqImageTaskResult } from './pq-image-task.js'

let categories: ReadonlySet<number> = new Set()

serveTasks<PqImageTask[], PqImageTaskResult[], { categoryIds: number[] }>((tasks) => runPqBatch(tasks, categories), {
  onSetup: (setup) => {
    categories = new Set(setup.categoryIds)
  },
})
