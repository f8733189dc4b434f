// Shard planning as data (STYLE.md §3): a greedy, prefix-determined rule, so the streaming writer can apply it batch
// by batch and the plan can be recomputed and tested from the batch sizes alone.
// Names follow push_to_hub: `{dir}/{split}-{index:05d}-of-{num:05d}.{ext}` (datasets arrow_dataset.py; the Hub
// recognises `data/<split>-xxxxx-of-xxxxx.ext`), reference/ecosystem.md §4.

/** datasets config MAX_SHARD_SIZE = "500MB" uncompressed (ecosystem.md §4). */
export const MAX_SHARD_BYTES = 500 * 1024 * 1024
/** Default row cap per shard; bytes usually bind first for image rows. */
export const MAX_SHARD_ROWS = 100_000

/** Size of one record batch (uncompressed Arrow bytes). */
export interface BatchSize {
  rows: number
  bytes: number
}

/** Caps per shard. */
export interface ShardLimits {
  maxRowsPerShard: number
  maxBytesPerShard: number
}

/** One planned shard: a run of consecutive batches. */
export interface PlannedShard {
  index: number
  firstBatch: number
  batchCount: number
  rows: number
  bytes: number
}

/** True when `next` must open a new shard after `current` (a shard never starts empty, so one huge batch still fits). */
export function startsNewShard(current: BatchSize, next: BatchSize, limits: ShardLimits): boolean {
  if (current.rows === 0) return false
  return current.rows + next.rows > limits.maxRowsPerShard || current.bytes + next.bytes > limits.maxBytesPerShard
}

/** Groups batches into shards greedily; every batch lands in exactly one shard, in order. */
export function planShards(batches: readonly BatchSize[], limits: ShardLimits): PlannedShard[] {
  const shards: PlannedShard[] = []
  let cur: PlannedShard | undefined
  batches.forEach((b, i) => {
    if (cur === undefined || startsNewShard(cur, b, limits)) {
      cur = { index: shards.length, firstBatch: i, batchCount: 0, rows: 0, bytes: 0 }
      shards.push(cur)
    }
    cur.batchCount++
    cur.rows += b.rows
    cur.bytes += b.bytes
  })
  return shards
}

/** `{split}-{index:05d}-of-{count:05d}.{ext}`. */
export function shardFileName(split: string, index: number, count: number, ext: string): string {
  if (!Number.isInteger(index) || !Number.isInteger(count) || index < 0 || index >= count) {
    throw new RangeError(`shard index ${index} is outside 0..${count - 1}`)
  }
  if (!/^[A-Za-z0-9_.]+$/.test(split) || split.startsWith('.')) {
    throw new RangeError(`split name "${split}" must be letters, digits, "_" or "." (it becomes part of a file name)`)
  }
  return `${split}-${String(index).padStart(5, '0')}-of-${String(count).padStart(5, '0')}.${ext}`
}
