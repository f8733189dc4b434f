// A small pool of worker_threads for CPU work off the main thread (panoptic PNG decode, PQ statistics, Parquet
// encoding). Tasks go to the least busy worker; each worker holds at most `perWorker` tasks at once (by default no
// limit: their sharp calls are async) and the rest wait here in order. Workers keep the process alive only while they
// hold tasks, so an idle or pre-started pool never delays exit. Protocol: {id, input} and {setup} in, {id, ok, value |
// error} out (worker-serve.ts); a failed task's error is rebuilt with its PixcapError fields (worker-failure.ts).
//
// Entries written in TypeScript (running from sources under tsx or vitest) are loaded through tsx's register API,
// because Node 20 workers do not inherit the parent's module hooks; built entries (.js) load directly.
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker, type TransferListItem } from 'node:worker_threads'
import { fromWorkerFailure, type WorkerFailure } from './worker-failure.js'

/** Runs tasks on a fixed set of workers. */
export interface WorkerPool<I, O> {
  readonly size: number
  /** Runs one task; `transfer` lists buffers in `input` to move to the worker instead of copying. */
  run(input: I, transfer?: readonly TransferListItem[]): Promise<O>
  /** Sends `data` to every worker ahead of any later task (messages keep their order), e.g. settings known late. */
  broadcast(data: unknown): void
  /** Terminates every worker; pending and queued tasks reject. */
  close(): Promise<void>
}

/** How a pool runs its workers. */
export interface WorkerPoolOptions {
  /** Most tasks a worker holds at once (default: no limit); more wait in the pool, in order. */
  perWorker?: number
  /** `workerData` for every worker. */
  workerData?: unknown
  /** Rebuilds a worker's failure as an Error (default: fromWorkerFailure, keeping PixcapError's fields). */
  reviveError?: (f: WorkerFailure) => Error
}

/** A worker's reply to one task. */
export type WorkerReply<O> = { id: number; ok: true; value: O } | { id: number; ok: false; error: WorkerFailure }

interface Task {
  resolve: (v: never) => void
  reject: (e: Error) => void
}

interface Queued extends Task {
  id: number
  input: unknown
  transfer: readonly TransferListItem[]
}

interface Slot {
  worker: Worker
  pending: Map<number, Task>
  failed?: Error
}

/** Resolves a worker module next to `base`: `<name>.js` when built, else `<name>.ts` (sources under tsx/vitest). */
export function workerModuleUrl(base: string | URL, name: string): URL {
  const js = new URL(`./${name}.js`, base)
  if (existsSync(fileURLToPath(js))) return js
  return new URL(`./${name}.ts`, base)
}

/** Starts `size` workers running `entry` (a module that answers with `serveTasks`). */
export function createWorkerPool<I, O>(entry: URL, size: number, opts: WorkerPoolOptions = {}): WorkerPool<I, O> {
  if (!(size >= 1)) throw new RangeError(`worker pool size must be at least 1, got ${size}`)
  const perWorker = opts.perWorker ?? Infinity
  if (!(perWorker >= 1)) throw new RangeError(`perWorker must be at least 1, got ${perWorker}`)
  const revive = opts.reviveError ?? fromWorkerFailure
  let nextId = 0
  const queue: Queued[] = []
  let closed: Error | undefined

  const alive = (): Slot[] => slots.filter((s) => s.failed === undefined)
  const send = (slot: Slot, t: Queued): void => {
    slot.pending.set(t.id, t)
    if (slot.pending.size === 1) slot.worker.ref()
    slot.worker.postMessage({ id: t.id, input: t.input }, [...t.transfer])
  }
  // Hands queued tasks to the least busy live workers with room, in queue order.
  const pump = (): void => {
    while (queue.length > 0) {
      let slot: Slot | undefined
      for (const s of slots) if (s.failed === undefined && s.pending.size < perWorker && (slot === undefined || s.pending.size < slot.pending.size)) slot = s
      if (slot === undefined) return
      send(slot, queue.shift() as Queued)
    }
  }
  const fail = (slot: Slot, err: Error): void => {
    slot.failed ??= err
    for (const task of slot.pending.values()) task.reject(err)
    slot.pending.clear()
    slot.worker.unref()
    // Queued tasks move to the workers still alive; with none left they fail too.
    if (alive().length === 0) for (const q of queue.splice(0)) q.reject(slot.failed)
    else pump()
  }
  const slots: Slot[] = Array.from({ length: size }, () => {
    const slot: Slot = { worker: spawn(entry, opts.workerData), pending: new Map() }
    const { worker } = slot
    worker.on('message', (reply: WorkerReply<unknown>) => {
      const task = slot.pending.get(reply.id)
      if (task === undefined) return
      slot.pending.delete(reply.id)
      if (slot.pending.size === 0) worker.unref()
      if (reply.ok) task.resolve(reply.value as never)
      else task.reject(revive(reply.error))
      pump()
    })
    worker.on('error', (err) => fail(slot, err))
    worker.on('exit', (code) => fail(slot, closed ?? new Error(`worker exited with code ${code}`)))
    // After the listeners: adding a 'message' listener refs the worker's port again (Node's setupPortReferencing in
    // lib/internal/worker.js), so an unref before it would leave an idle worker holding the process open.
    worker.unref()
    return slot
  })

  return {
    size,
    run(input: I, transfer: readonly TransferListItem[] = []): Promise<O> {
      const live = alive()
      if (live.length === 0) return Promise.reject(closed ?? slots[0]?.failed ?? new Error('worker pool closed'))
      return new Promise<O>((resolve, reject) => {
        queue.push({ id: nextId++, input, transfer, resolve: resolve as (v: never) => void, reject })
        pump()
      })
    },
    broadcast(data: unknown): void {
      for (const s of alive()) s.worker.postMessage({ setup: data })
    },
    async close(): Promise<void> {
      closed ??= new Error('worker pool closed')
      const err = closed
      await Promise.all(
        slots.map(async (s) => {
          fail(s, err)
          await s.worker.terminate()
        }),
      )
    },
  }
}

/** tsx's ESM API entry (its `exports['./esm/api'].import`), read from its package.json: a dev-only dependency. */
function tsxEsmApiUrl(): string {
  const pkgJson = createRequire(import.meta.url).resolve('tsx/package.json')
  const pkg = JSON.parse(readFileSync(pkgJson, 'utf8')) as { exports?: Record<string, { import?: { default?: string } }> }
  const rel = pkg.exports?.['./esm/api']?.import?.default ?? './dist/esm/api/index.mjs'
  return new URL(rel, pathToFileURL(pkgJson)).href
}

function spawn(entry: URL, workerData: unknown): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData })
  const boot = `import(${JSON.stringify(tsxEsmApiUrl())}).then((m) => { (m.register ?? m.default.register)(); return import(${JSON.stringify(entry.href)}) })`
  return new Worker(boot, { eval: true, workerData })
}
