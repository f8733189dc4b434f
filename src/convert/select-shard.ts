// Job sharding for cluster array jobs (`--shard-index i --num-shards n`): an image belongs to job
// fnv1a(imageId) mod n. The hash depends on the id only, never on file order or on which machine runs the job, so
// every job agrees without talking to the others, and together the jobs cover each image exactly once.
import type { ImageId } from '../records/region-record.js'
import { deriveSeed } from '../util/rng.js'

/** The job (0..count-1) that converts `imageId`. */
function shardOfImage(imageId: ImageId, count: number): number {
  return deriveSeed(0, String(imageId)) % count
}

/** Keeps the items of job `index` of `count`. */
export async function* selectShard<T extends { imageId: ImageId }>(items: AsyncIterable<T>, job: { index: number; count: number } | undefined): AsyncGenerator<T> {
  for await (const item of items) if (!job || shardOfImage(item.imageId, job.count) === job.index) yield item
}
