// A small pool of worker_threads for CPU work off the main thread (panoptic PNG decode + pixel pass): each worker
// takes several tasks at once (its sharp calls are async), tasks go to the least busy worker, and the workers keep
// the process alive only while tasks are pending. Protocol: {id, input} in, {id, ok, value | error} out.
//
// Entries written in TypeScript (running from sources under tsx or vitest) are loaded through tsx's register API,
// because Node 20 workers do not inherit the parent's module hooks; built entries (.js) load directly.
import { Worker, type TransferListItem } from 'node:worker_threads'

/** Runs tasks on a fixed set of workers. */
export interface WorkerPool<I, O> {
  readonly size: number
  /** Runs one task; `transfer` lists buffers in `input` to move to the worker instead of copying. */
  run(input: I, transfer?: readonly TransferListItem[]): Promise<O>
  /** Terminates every worker; pending tasks reject. */
  close(): Promise<void>
}

/** A worker's reply to one task. */
export type WorkerReply<O> = { id: number; ok: true; value: O } | { id: number; ok: false; error: string }

interface Slot {
  worker: Worker
  pending: Map<number, { resolve: (v: never) => void; reject: (e: Error) => void }>
  failed?: Error
}

/** Starts `size` workers running `entry` (a module that answers with `serveTasks`). */
export function createWorkerPool<I, O>(entry: URL, size: number): WorkerPool<I, O> {
  if (!(size >= 1)) throw new RangeError(`worker pool size must be at least 1, got ${size}`)
  let nextId = 0
  const slots: Slot[] = Array.from({ length: size }, () => startSlot(entry))
  return {
    size,
    run(input: I, transfer: readonly TransferListItem[] = []): Promise<O> {
      const alive = slots.filter((s) => s.failed === undefined)
      if (alive.length === 0) return Promise.reject(slots[0]?.failed ?? new Error('worker pool is closed'))
      let slot = alive[0] as Slot
      for (const s of alive) if (s.pending.size < slot.pending.size) slot = s
      const id = nextId++
      const chosen = slot
      return new Promise<O>((resolve, reject) => {
        chosen.pending.set(id, { resolve: resolve as (v: never) => void, reject })
        if (chosen.pending.size === 1) chosen.worker.ref()
        chosen.worker.postMessage({ id, input }, [...transfer])
      })
    },
    async close(): Promise<void> {
      await Promise.all(
        slots.map(async (s) => {
          fail(s, new Error('worker pool closed'))
          await s.worker.terminate()
        }),
      )
    },
  }
}

function startSlot(entry: URL): Slot {
  const worker = entry.pathname.endsWith('.ts')
    ? new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry.href)}) })`, { eval: true })
    : new Worker(entry)
  const slot: Slot = { worker, pending: new Map() }
  worker.unref()
  worker.on('message', (reply: WorkerReply<unknown>) => {
    const task = slot.pending.get(reply.id)
    if (task === undefined) return
    slot.pending.delete(reply.id)
    if (slot.pending.size === 0) worker.unref()
    if (reply.ok) task.resolve(reply.value as never)
    else task.reject(new Error(reply.error))
  })
  worker.on('error', (err) => fail(slot, err))
  worker.on('exit', (code) => fail(slot, new Error(`worker exited with code ${code}`)))
  return slot
}

function fail(slot: Slot, err: Error): void {
  slot.failed ??= err
  for (const task of slot.pending.values()) task.reject(err)
  slot.pending.clear()
  slot.worker.unref()
}
