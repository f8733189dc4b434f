// The joint (GT id, predicted id) pixel histogram of one image pair, keyed like panopticapi:
// key = gt * OFFSET + pred with OFFSET = 256^3 (`evaluation.py` @ 7bb4655; reference/metrics.md §10). Ids decode from
// 24-bit RGB, so keys stay below 2^48 and are exact doubles.
import type { PanopticMap } from '../../geometry/panoptic-map.js'

/** Histogram key multiplier: key = gt * OFFSET + pred (panopticapi OFFSET = 256 * 256 * 256). */
export const OFFSET = 256 * 256 * 256

/** One cell of the joint histogram: `count` pixels carry GT id `gt` and predicted id `pred`. */
export interface JointCell {
  gt: number
  pred: number
  count: number
}

/**
 * Counts pixels per (gt, pred) pair, returned in ascending key order (the order numpy's `np.unique` gives
 * panopticapi, so per-image IoU sums add up in the same order). Runs of equal pairs are counted before touching the
 * map, which makes the common case (long runs along a row) cheap.
 */
export function jointHistogram(gt: PanopticMap, pred: PanopticMap): JointCell[] {
  const g = gt.ids
  const p = pred.ids
  const n = g.length
  const counts = new Map<number, number>()
  if (n > 0) {
    let rg = g[0] as number
    let rp = p[0] as number
    let run = 0
    for (let i = 0; i < n; i++) {
      const a = g[i] as number
      const b = p[i] as number
      if (a === rg && b === rp) {
        run++
        continue
      }
      const key = rg * OFFSET + rp
      counts.set(key, (counts.get(key) ?? 0) + run)
      rg = a
      rp = b
      run = 1
    }
    const key = rg * OFFSET + rp
    counts.set(key, (counts.get(key) ?? 0) + run)
  }
  const keys = [...counts.keys()].sort((x, y) => x - y)
  return keys.map((key) => ({ gt: Math.floor(key / OFFSET), pred: key % OFFSET, count: counts.get(key) as number }))
}
