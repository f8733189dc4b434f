import { describe, expect, it } from 'vitest'
import { planShards, shardFileName, startsNewShard } from '../../../src/io/corpus/shards.js'

const b = (rows: number, bytes = rows * 10) => ({ rows, bytes })

describe('planShards', () => {
  it.each([
    { name: 'no batches', batches: [], limits: { maxRowsPerShard: 10, maxBytesPerShard: 1e9 }, want: [] },
    {
      name: 'row cap',
      batches: [b(4), b(4), b(4), b(1)],
      limits: { maxRowsPerShard: 8, maxBytesPerShard: 1e9 },
      want: [
        { index: 0, firstBatch: 0, batchCount: 2, rows: 8, bytes: 80 },
        { index: 1, firstBatch: 2, batchCount: 2, rows: 5, bytes: 50 },
      ],
    },
    {
      name: 'byte cap binds first',
      batches: [b(1, 60), b(1, 60), b(1, 10)],
      limits: { maxRowsPerShard: 100, maxBytesPerShard: 100 },
      want: [
        { index: 0, firstBatch: 0, batchCount: 1, rows: 1, bytes: 60 },
        { index: 1, firstBatch: 1, batchCount: 2, rows: 2, bytes: 70 },
      ],
    },
    {
      name: 'an oversized batch still gets a shard of its own',
      batches: [b(50)],
      limits: { maxRowsPerShard: 10, maxBytesPerShard: 1 },
      want: [{ index: 0, firstBatch: 0, batchCount: 1, rows: 50, bytes: 500 }],
    },
  ])('$name', ({ batches, limits, want }) => {
    expect(planShards(batches, limits)).toEqual(want)
  })

  it('agrees with the incremental rule the streaming writer uses', () => {
    const batches = Array.from({ length: 40 }, (_, i) => b(100 + ((i * 37) % 250), 1000 + ((i * 7919) % 9000)))
    const limits = { maxRowsPerShard: 700, maxBytesPerShard: 20_000 }
    let cur = { rows: 0, bytes: 0 }
    let shards = 0
    for (const x of batches) {
      if (shards === 0 || startsNewShard(cur, x, limits)) {
        shards++
        cur = { rows: 0, bytes: 0 }
      }
      cur = { rows: cur.rows + x.rows, bytes: cur.bytes + x.bytes }
    }
    const plan = planShards(batches, limits)
    expect(plan).toHaveLength(shards)
    expect(plan.reduce((n, s) => n + s.batchCount, 0)).toBe(40)
    expect(plan.every((s) => s.rows <= 700 && s.bytes <= 20_000)).toBe(true)
  })
})

describe('shardFileName', () => {
  it('follows push_to_hub naming', () => {
    expect(shardFileName('train', 3, 12, 'parquet')).toBe('train-00003-of-00012.parquet')
  })
  it('refuses indices outside the count and split names that are not file-name safe', () => {
    expect(() => shardFileName('train', 2, 2, 'arrow')).toThrow('shard index 2 is outside 0..1')
    expect(() => shardFileName('../x', 0, 1, 'arrow')).toThrow('split name "../x" must be letters')
  })
})
