// The joint (GT id, predicted id) pixel histogram of one image pair, keyed like panopticapi:
// key = gt * OFFSET + pred with OFFSET = 256^3 (`evaluation.py` @ 7bb4655; reference/metrics.md §10). Ids decode from
// 24-bit RGB, so keys stay below 2^48 and are exact doubles.
import type { PanopticMap } from '../../geometry/panoptic-map.js'

/** Histogram key multiplier: key = gt * OFFSET + pred (panopticapi OFFSET = 256 * 256 * 256). */
export const OFFSET = 256 * 256 * 256

/** Undecoded-id pixels: interleaved 8-bit RGB or RGBA bytes; id = R + 256*G + 256^2*B, alpha ignored. */
export interface RgbPixels {
  width: number
  height: number
  channels: number
  data: Uint8Array
}

/** Either form of a panoptic image the PQ code accepts. */
export type PanopticPixels = PanopticMap | RgbPixels

/** True for the raw-bytes form. */
export function isRgbPixels(p: PanopticPixels): p is RgbPixels {
  return 'data' in p
}

/** The segment id at pixel index `i`. */
export function idAt(p: PanopticPixels, i: number): number {
  if (!isRgbPixels(p)) return p.ids[i] as number
  const o = i * p.channels
  return (p.data[o] as number) | ((p.data[o + 1] as number) << 8) | ((p.data[o + 2] as number) << 16)
}

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
export function jointHistogram(gt: PanopticPixels, pred: PanopticPixels): JointCell[] {
  const counts = isRgbPixels(gt) && isRgbPixels(pred) ? countRgb(gt, pred) : countIds(gt, pred)
  const keys = [...counts.keys()].sort((x, y) => x - y)
  return keys.map((key) => ({ gt: Math.floor(key / OFFSET), pred: key % OFFSET, count: counts.get(key) as number }))
}

function countIds(gt: PanopticPixels, pred: PanopticPixels): Map<number, number> {
  const g = isRgbPixels(gt) ? toIds(gt) : gt.ids
  const p = isRgbPixels(pred) ? toIds(pred) : pred.ids
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
  return counts
}

function toIds(p: RgbPixels): Uint32Array {
  const n = p.width * p.height
  const ids = new Uint32Array(n)
  for (let i = 0; i < n; i++) ids[i] = idAt(p, i)
  return ids
}

// The same run-length count as countIds, reading ids from the bytes as it goes.
function countRgb(gt: RgbPixels, pred: RgbPixels): Map<number, number> {
  const g = gt.data
  const p = pred.data
  const gc = gt.channels
  const pc = pred.channels
  const n = gt.width * gt.height
  const counts = new Map<number, number>()
  if (n === 0) return counts
  let rg = idAt(gt, 0)
  let rp = idAt(pred, 0)
  let run = 0
  for (let i = 0, a = 0, b = 0; i < n; i++, a += gc, b += pc) {
    const x = (g[a] as number) | ((g[a + 1] as number) << 8) | ((g[a + 2] as number) << 16)
    const y = (p[b] as number) | ((p[b + 1] as number) << 8) | ((p[b + 2] as number) << 16)
    if (x === rg && y === rp) {
      run++
      continue
    }
    const key = rg * OFFSET + rp
    counts.set(key, (counts.get(key) ?? 0) + run)
    rg = x
    rp = y
    run = 1
  }
  const key = rg * OFFSET + rp
  counts.set(key, (counts.get(key) ?? 0) + run)
  return counts
}
