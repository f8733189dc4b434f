import { describe, expect, it } from 'vitest'
import { createWorkerPool } from '../../src/io/worker-pool.js'

type In = { n: number; fail?: boolean; delayMs?: number }
type Out = { doubled: number; threadId: number }
const entry = new URL('../fixtures/double-worker.ts', import.meta.url)

describe('worker pool', () => {
  it('runs tasks on every worker, several at a time, and returns each answer to its caller', async () => {
    const pool = createWorkerPool<In, Out>(entry, 2)
    try {
      const results = await Promise.all(Array.from({ length: 8 }, (_, n) => pool.run({ n, delayMs: 20 })))
      expect(results.map((r) => r.doubled)).toEqual([0, 2, 4, 6, 8, 10, 12, 14])
      // Least-busy dispatch spreads 8 concurrent tasks over both workers.
      expect(new Set(results.map((r) => r.threadId)).size).toBe(2)
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
  })
})
