// The joint (GT id, predicted id) pixel histogram of one image pair, keyed like panopticapi:
// key = gt * OFFSET + pred with OFFSET = 256^3 (`evaluation.py` @ 7bb4655; reference/metrics.md §10). Ids decode from
// 24-bit RGB, so keys stay below 2^48 and are exact doubles.
import type { PanopticMap, RgbPixels } from '../../geometry/panoptic-map.js'

export type { RgbPixels } from '../../geometry/panoptic-map.js'

/** Histogram key multiplier: key = gt * OFFSET + pred (panopticapi OFFSET = 256 * 256 * 256). */
export const OFFSET = 256 * 256 * 256

/** Either form of a panoptic image the PQ code accepts. */
export type PanopticPixels = PanopticMap | RgbPixels

/** True for the raw-bytes form. */
export function isRgbPixels(p: PanopticPixels): p is RgbPixels {
  return 'data' in p
}

/** The segment id at pixel index `i`. */
export function idAt(p: PanopticPixels, i: number): number {
  if (!isRgbPixels(p)) return p.ids[i] as number
  const y = Math.floor(i / p.width)
  const o = (p.offset ?? 0) + y * (p.stride ?? p.width * p.channels) + (i - y * p.width) * p.channels
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
 * table, which makes the common case (long runs along a row) cheap.
 */
export function jointHistogram(gt: PanopticPixels, pred: PanopticPixels): JointCell[] {
  if (isRgbPixels(gt) && isRgbPixels(pred)) return histogramRgb(gt, pred)
  const counts = countIds(gt, pred)
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

/**
 * The same run-length count as countIds, reading ids from the bytes as it goes. The few distinct ids of an image get
 * small indices (a Map lookup only when a row's run differs from the run at the same position in an earlier row) and
 * counts live in a flat table indexed gtIndex * predCap + predIndex, so the per-run work is one typed-array add.
 */
function histogramRgb(gt: RgbPixels, pred: RgbPixels): JointCell[] {
  const w = gt.width
  const h = gt.height
  const g = gt.data
  const p = pred.data
  const gc = gt.channels
  const pc = pred.channels
  const gs = gt.stride ?? w * gc
  const ps = pred.stride ?? w * pc
  const go = gt.offset ?? 0
  const po = pred.offset ?? 0
  if (w * h === 0) return []

  const gIds: number[] = []
  const pIds: number[] = []
  const gIndex = new Map<number, number>()
  const pIndex = new Map<number, number>()
  let gCap = 64
  let pCap = 64
  let counts = new Float64Array(gCap * pCap)
  const touched: number[] = [] // table slots in first-touch order (gi * pCap + pi, re-based when pCap grows)
  const add = (gi: number, pi: number, n: number): void => {
    if (gi >= gCap || pi >= pCap) {
      const ng = gi >= gCap ? gCap * 2 : gCap
      const np = pi >= pCap ? pCap * 2 : pCap
      const next = new Float64Array(ng * np)
      for (let t = 0; t < touched.length; t++) {
        const slot = touched[t] as number
        const moved = Math.floor(slot / pCap) * np + (slot % pCap)
        next[moved] = counts[slot] as number
        touched[t] = moved
      }
      counts = next
      gCap = ng
      pCap = np
    }
    const slot = gi * pCap + pi
    if (counts[slot] === 0) touched.push(slot)
    counts[slot] = (counts[slot] as number) + n
  }
  const gIdx = (id: number): number => {
    let i = gIndex.get(id)
    if (i === undefined) {
      i = gIds.length
      gIds.push(id)
      gIndex.set(id, i)
    }
    return i
  }
  const pIdx = (id: number): number => {
    let i = pIndex.get(id)
    if (i === undefined) {
      i = pIds.length
      pIds.push(id)
      pIndex.set(id, i)
    }
    return i
  }

  // Each image's row is a list of runs (table index, end x). A row whose bytes equal the row above's (hint from the
  // decoder) keeps that list without rescanning its pixels, so a pair's row costs a pixel scan only for the image(s)
  // that changed; the two lists are then merged into (gi, pi, n) counts.
  const gRun = new RowRuns(w)
  const pRun = new RowRuns(w)
  const gRep = gt.sameAsAbove
  const pRep = pred.sameAsAbove
  const gv = new DataView(g.buffer, g.byteOffset, g.byteLength)
  const pv = new DataView(p.buffer, p.byteOffset, p.byteLength)
  for (let y = 0; y < h; y++) {
    if (y === 0 || gRep === undefined || gRep[y] !== 1) gRun.scan(g, gv, go + y * gs, gc, gIdx)
    if (y === 0 || pRep === undefined || pRep[y] !== 1) pRun.scan(p, pv, po + y * ps, pc, pIdx)
    const gEnd = gRun.end
    const pEnd = pRun.end
    for (let x = 0, i = 0, j = 0; x < w; ) {
      const ge = gEnd[i] as number
      const pe = pEnd[j] as number
      const e = ge < pe ? ge : pe
      add(gRun.index[i] as number, pRun.index[j] as number, e - x)
      x = e
      if (ge === e) i++
      if (pe === e) j++
    }
  }

  const cells: JointCell[] = touched.map((slot) => ({
    gt: gIds[Math.floor(slot / pCap)] as number,
    pred: pIds[slot % pCap] as number,
    count: counts[slot] as number,
  }))
  return cells.sort((x, y) => x.gt - y.gt || x.pred - y.pred)
}

// One image row as runs of equal ids: run k covers x in [end[k-1], end[k]) and has id table index index[k].
class RowRuns {
  readonly end: Int32Array
  readonly index: Int32Array
  // ids[k]: the id whose table index sits in index[k] (-1: none yet); a run with the same id as the run at the same
  // position in an earlier row, the usual case, reuses that index without a Map lookup.
  private readonly ids: Int32Array
  private readonly w: number
  constructor(w: number) {
    this.w = w
    this.end = new Int32Array(w)
    this.index = new Int32Array(w)
    this.ids = new Int32Array(w).fill(-1)
  }

  // Scans the row starting at byte `a`; `lookup` maps an id to its table index (called once per run).
  scan(d: Uint8Array, v: DataView, a: number, c: number, lookup: (id: number) => number): void {
    if (c === 3) this.scanRgb(d, v, a, lookup)
    else this.scanAny(d, v, a, c, lookup)
  }

  // RGB: a run's next 4 pixels are 12 bytes that, read as three little-endian 32-bit words from a pixel boundary, are
  // fixed patterns of the run's bytes (r g b r | g b r g | b r g b), so 4 pixels cost 3 loads and 3 register
  // compares; 8 at a time while the run goes on, then 4, then pixel by pixel.
  private scanRgb(d: Uint8Array, v: DataView, a: number, lookup: (id: number) => number): void {
    const w = this.w
    let n = 0
    let x = 0
    while (x < w) {
      const b0 = d[a] as number
      const b1 = d[a + 1] as number
      const b2 = d[a + 2] as number
      const id = b0 | (b1 << 8) | (b2 << 16)
      const w0 = id | (b0 << 24)
      const w1 = b1 | (b2 << 8) | (b0 << 16) | (b1 << 24)
      const w2 = b2 | (b0 << 8) | (b1 << 16) | (b2 << 24)
      x++
      a += 3
      while (x + 8 <= w && v.getInt32(a, true) === w0 && v.getInt32(a + 4, true) === w1 && v.getInt32(a + 8, true) === w2 &&
        v.getInt32(a + 12, true) === w0 && v.getInt32(a + 16, true) === w1 && v.getInt32(a + 20, true) === w2) {
        x += 8
        a += 24
      }
      if (x + 4 <= w && v.getInt32(a, true) === w0 && v.getInt32(a + 4, true) === w1 && v.getInt32(a + 8, true) === w2) {
        x += 4
        a += 12
      }
      while (x < w && d[a] === b0 && d[a + 1] === b1 && d[a + 2] === b2) {
        x++
        a += 3
      }
      if (this.ids[n] !== id) {
        this.ids[n] = id
        this.index[n] = lookup(id)
      }
      this.end[n] = x
      n++
    }
  }

  // Any other layout (RGBA above all): skip 4 pixels at a time while they repeat the previous pixel, alpha included
  // (a block whose alpha differs falls through to the id-only loop), then finish one by one.
  private scanAny(d: Uint8Array, v: DataView, a: number, c: number, lookup: (id: number) => number): void {
    const w = this.w
    let n = 0
    let x = 0
    while (x < w) {
      const id = (d[a] as number) | ((d[a + 1] as number) << 8) | ((d[a + 2] as number) << 16)
      x++
      a += c
      while (x + 4 <= w && sameBlock(v, a, c)) {
        x += 4
        a += 4 * c
      }
      while (x < w && ((d[a] as number) | ((d[a + 1] as number) << 8) | ((d[a + 2] as number) << 16)) === id) {
        x++
        a += c
      }
      if (this.ids[n] !== id) {
        this.ids[n] = id
        this.index[n] = lookup(id)
      }
      this.end[n] = x
      n++
    }
  }
}

// True when the 4 pixels at byte `a` (channels `c` bytes each) all equal the pixel before them: bytes [a, a + 4c)
// equal bytes [a - c, a + 3c), compared as c little-endian 32-bit words. Spelled out for RGBA: V8 does not unroll
// the generic loop, which costs about a third of the histogram time.
function sameBlock(v: DataView, a: number, c: number): boolean {
  if (c === 4) {
    return v.getUint32(a, true) === v.getUint32(a - 4, true) && v.getUint32(a + 4, true) === v.getUint32(a, true) &&
      v.getUint32(a + 8, true) === v.getUint32(a + 4, true) && v.getUint32(a + 12, true) === v.getUint32(a + 8, true)
  }
  for (let j = 0, o = a; j < c; j++, o += 4) if (v.getUint32(o, true) !== v.getUint32(o - c, true)) return false
  return true
}
