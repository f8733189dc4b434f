// Worker-thread entry for PQ: first a { setup: { categoryIds } } broadcast (the pool starts before the JSON is read),
// then one task per image pair (see io/worker-serve.ts).
import { serveTasks } from '../io/worker-serve.js'
import { runPqImageTask, type PqImageTask, type PqImageTaskResult } from './pq-image-task.js'

let categories: ReadonlySet<number> = new Set()

serveTasks<PqImageTask, PqImageTaskResult, { categoryIds: number[] }>((task) => runPqImageTask(task, categories), {
  onSetup: (setup) => {
    categories = new Set(setup.categoryIds)
  },
})
