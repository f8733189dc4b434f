// A small fixed-size pool of worker threads, each running one task at a time. The CPU-heavy part of evaluation
// (PNG decode + joint histogram) runs in workers so both cores work; the main thread only merges results.
// Running from TypeScript sources (tests, `tsx`), the worker module is a .ts file: it is loaded through tsx's ESM
// hook; the built package loads the compiled .js directly.
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'

/** A task failure reported by a worker, rebuilt into an Error by the caller's `reviveError`. */
export interface WorkerFailure {
  name: string
  message: string
  data?: unknown
}

type Reply<R> = { id: number; ok: true; value: R } | { id: number; ok: false; error: WorkerFailure }

interface Slot<R> {
  worker: Worker
  /** Tasks sent to this worker and not answered yet, by id. */
  pending: Map<number, { resolve: (r: R) => void; reject: (e: unknown) => void }>
}

/** Resolves a worker module next to `base`: `<name>.js` when built, else `<name>.ts` (sources under tsx/vitest). */
export function workerModuleUrl(base: string | URL, name: string): URL {
  const js = new URL(`./${name}.js`, base)
  if (existsSync(fileURLToPath(js))) return js
  return new URL(`./${name}.ts`, base)
}

/** tsx's ESM API entry (its `exports['./esm/api'].import`), read from its package.json: a dev-only dependency. */
function tsxEsmApiUrl(): string {
  const pkgJson = createRequire(import.meta.url).resolve('tsx/package.json')
  const pkg = JSON.parse(readFileSync(pkgJson, 'utf8')) as { exports?: Record<string, { import?: { default?: string } }> }
  const rel = pkg.exports?.['./esm/api']?.import?.default ?? './dist/esm/api/index.mjs'
  return new URL(rel, pathToFileURL(pkgJson)).href
}

function spawn(url: URL, workerData: unknown): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, { workerData })
  const tsxApi = tsxEsmApiUrl()
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { (m.register ?? m.default.register)(); return import(${JSON.stringify(url.href)}) })`
  return new Worker(boot, { eval: true, workerData })
}

/**
 * Fixed-size worker pool; `run` queues when every worker already holds `perWorker` tasks. More than one task per
 * worker keeps the next task waiting in the worker's own message queue, so a worker never idles while its answer
 * travels back to a busy main thread and a new task travels out.
 */
export class WorkerPool<T, R> {
  private readonly slots: Slot<R>[] = []
  private readonly queue: { id: number; task: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = []
  private nextId = 0
  private failed: unknown = null

  constructor(
    url: URL,
    size: number,
    workerData: unknown,
    private readonly reviveError: (f: WorkerFailure) => Error,
    private readonly perWorker = 1,
  ) {
    for (let i = 0; i < Math.max(1, size); i++) {
      const slot: Slot<R> = { worker: spawn(url, workerData), pending: new Map() }
      slot.worker.on('message', (msg: Reply<R>) => this.onReply(slot, msg))
      slot.worker.on('error', (err) => this.fail(err))
      slot.worker.on('exit', (code) => {
        if (code !== 0 && this.failed === null) this.fail(new Error(`evaluation worker exited with code ${code}`))
      })
      this.slots.push(slot)
    }
  }

  /** Runs one task on the next free worker. */
  run(task: T): Promise<R> {
    if (this.failed !== null) return Promise.reject(this.failed)
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, resolve, reject })
      this.pump()
    })
  }

  /** Sends `data` to every worker ahead of any later task (messages keep their order), e.g. settings known late. */
  broadcast(data: unknown): void {
    for (const slot of this.slots) slot.worker.postMessage({ setup: data })
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()))
  }

  private pump(): void {
    // Fill the least-loaded worker first, so a burst of tasks spreads over all of them.
    for (let load = 0; load < Math.max(1, this.perWorker); load++) {
      for (const slot of this.slots) {
        if (slot.pending.size > load) continue
        const next = this.queue.shift()
        if (next === undefined) return
        slot.pending.set(next.id, { resolve: next.resolve, reject: next.reject })
        slot.worker.postMessage({ id: next.id, task: next.task })
      }
    }
  }

  private onReply(slot: Slot<R>, msg: Reply<R>): void {
    const cur = slot.pending.get(msg.id)
    if (cur === undefined) return
    slot.pending.delete(msg.id)
    if (msg.ok) cur.resolve(msg.value)
    else cur.reject(this.reviveError(msg.error))
    this.pump()
  }

  private fail(err: unknown): void {
    this.failed = err
    for (const s of this.slots) {
      for (const p of s.pending.values()) p.reject(err)
      s.pending.clear()
    }
    for (const q of this.queue.splice(0)) q.reject(err)
  }
}
