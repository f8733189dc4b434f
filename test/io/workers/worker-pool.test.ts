import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { PixcapError } from '../../../src/errors.js'
import { createWorkerPool, workerModuleUrl } from '../../../src/io/workers/worker-pool.js'
import { fromWorkerFailure, toWorkerFailure } from '../../../src/io/workers/worker-failure.js'

type In = { n: number; fail?: boolean; pixcapFail?: boolean; exit?: number; delayMs?: number; bytes?: Uint8Array }
type Out = { doubled: number; threadId: number; inFlight: number; byteSum: number }
const entry = new URL('../../fixtures/double-worker.ts', import.meta.url)

describe('worker pool', () => {
  it('runs tasks on every worker, several at a time, and returns each answer to its caller', async () => {
    const pool = createWorkerPool<In, Out>(entry, 2)
    try {
      const results = await Promise.all(Array.from({ length: 8 }, (_, n) => pool.run({ n, delayMs: 20 })))
      expect(results.map((r) => r.doubled)).toEqual([0, 2, 4, 6, 8, 10, 12, 14])
      // Least-busy dispatch spreads 8 concurrent tasks over both workers.
      expect(new Set(results.map((r) => r.threadId)).size).toBe(2)
      // Without a perWorker limit each worker takes its share at once.
      expect(Math.max(...results.map((r) => r.inFlight))).toBeGreaterThan(1)
    } finally {
      await pool.close()
    }
  })

  it("rejects with the worker's error message and keeps serving other tasks", async () => {
    const pool = createWorkerPool<In, Out>(entry, 1)
    try {
      await expect(pool.run({ n: 3, fail: true })).rejects.toThrow('cannot double 3')
      expect((await pool.run({ n: 4 })).doubled).toBe(8)
    } finally {
      await pool.close()
    }
  })

  it('rejects new tasks once closed, and refuses a size below 1', async () => {
    const pool = createWorkerPool<In, Out>(entry, 1)
    await pool.close()
    await expect(pool.run({ n: 1 })).rejects.toThrow('worker pool closed')
    expect(() => createWorkerPool<In, Out>(entry, 0)).toThrow('worker pool size must be at least 1, got 0')
    expect(() => createWorkerPool<In, Out>(entry, 1, { perWorker: 0 })).toThrow('perWorker must be at least 1, got 0')
  })

  it('a PixcapError thrown in a worker arrives as a PixcapError with its code, file, path and detail', async () => {
    const pool = createWorkerPool<In, Out>(entry, 1)
    try {
      const err: unknown = await pool.run({ n: 5, pixcapFail: true }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(PixcapError)
      const p = err as PixcapError
      expect([p.code, p.file, p.path, p.detail]).toEqual(['schema', 'in.json', ['items', 5, 'n'], 'cannot double 5'])
      expect(p.message).toBe('in.json: items[5].n: cannot double 5')
    } finally {
      await pool.close()
    }
  })

  it('holds at most perWorker tasks per worker and queues the rest in order', async () => {
    const pool = createWorkerPool<In, Out>(entry, 2, { perWorker: 1 })
    try {
      const results = await Promise.all(Array.from({ length: 6 }, (_, n) => pool.run({ n, delayMs: 15 })))
      expect(results.map((r) => r.doubled)).toEqual([0, 2, 4, 6, 8, 10])
      expect(results.map((r) => r.inFlight)).toEqual([1, 1, 1, 1, 1, 1])
      expect(new Set(results.map((r) => r.threadId)).size).toBe(2)
    } finally {
      await pool.close()
    }
  })

  it('broadcast reaches every worker before any later task', async () => {
    const pool = createWorkerPool<In, Out>(entry, 2, { perWorker: 2 })
    try {
      pool.broadcast({ factor: 10 })
      const results = await Promise.all(Array.from({ length: 6 }, (_, n) => pool.run({ n, delayMs: 5 })))
      expect(results.map((r) => r.doubled)).toEqual([0, 10, 20, 30, 40, 50])
      expect(new Set(results.map((r) => r.threadId)).size).toBe(2)
    } finally {
      await pool.close()
    }
  })

  it('moves transferred buffers to the worker instead of copying them', async () => {
    const pool = createWorkerPool<In, Out>(entry, 1)
    try {
      const bytes = new Uint8Array([1, 2, 3, 250])
      const r = await pool.run({ n: 1, bytes }, [bytes.buffer])
      expect(r.byteSum).toBe(256)
      expect(bytes.byteLength).toBe(0) // detached: the worker owns it now
    } finally {
      await pool.close()
    }
  })

  it('a worker that exits fails its tasks; queued ones fail too once no worker is left', async () => {
    const pool = createWorkerPool<In, Out>(entry, 1, { perWorker: 1 })
    try {
      const dying = pool.run({ n: 1, exit: 3 })
      const queued = pool.run({ n: 2 })
      await expect(dying).rejects.toThrow('worker exited with code 3')
      await expect(queued).rejects.toThrow('worker exited with code 3')
      await expect(pool.run({ n: 3 })).rejects.toThrow('worker exited with code 3')
    } finally {
      await pool.close()
    }
  })

  it('resolves worker modules to the built .js when present, else the .ts source', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pixcap-worker-url-'))
    try {
      writeFileSync(join(dir, 'built.js'), '')
      const base = pathToFileURL(join(dir, 'caller.js'))
      expect(fileURLToPath(workerModuleUrl(base, 'built'))).toBe(join(dir, 'built.js'))
      expect(fileURLToPath(workerModuleUrl(base, 'source'))).toBe(join(dir, 'source.ts'))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('worker failures', () => {
  it('round-trip a PixcapError and a plain error by name and message', () => {
    const p = fromWorkerFailure(toWorkerFailure(new PixcapError('io', 'a.png', [], 'cannot decode')))
    expect(p).toBeInstanceOf(PixcapError)
    expect(p.message).toBe('a.png: cannot decode')
    const e = new TypeError('bad')
    const back = fromWorkerFailure(toWorkerFailure(e))
    expect(back).not.toBeInstanceOf(PixcapError)
    expect([back.name, back.message]).toEqual(['TypeError', 'bad'])
  })
})
