// Per-category PQ sums, the unit that workers and shards reduce (STYLE.md §13).
// Mirrors panopticapi's PQStatCat / PQStat (`evaluation.py` @ 7bb4655; reference/metrics.md §10): an IoU sum and
// TP/FP/FN counts per category id; merging adds field by field, so any partition of the images reduces to the same
// counts (the IoU sum can differ in the last bits with the summation order, see docs/panoptic-eval.md).

/** Sums for one category: ΣIoU over its TPs and its TP/FP/FN counts. */
export interface PqCategoryStat {
  iou: number
  tp: number
  fp: number
  fn: number
}

/** Category id -> sums. A category absent from the map has all sums 0. */
export type PqStats = Map<number, PqCategoryStat>

/** A new, empty statistics map. */
export function emptyPqStats(): PqStats {
  return new Map()
}

/** The (mutable) sums for `categoryId` in `stats`, created on first use like panopticapi's defaultdict. */
export function categoryStat(stats: PqStats, categoryId: number): PqCategoryStat {
  let s = stats.get(categoryId)
  if (s === undefined) {
    s = { iou: 0, tp: 0, fp: 0, fn: 0 }
    stats.set(categoryId, s)
  }
  return s
}

/** Adds `b` into `a` (in place) and returns `a`; `b` is left untouched (PQStat.__iadd__). */
export function mergePqStatsInto(a: PqStats, b: PqStats): PqStats {
  for (const [cat, s] of b) {
    const t = categoryStat(a, cat)
    t.iou += s.iou
    t.tp += s.tp
    t.fp += s.fp
    t.fn += s.fn
  }
  return a
}

/** A new map holding `a + b`; neither input is modified. */
export function mergePqStats(a: PqStats, b: PqStats): PqStats {
  return mergePqStatsInto(mergePqStatsInto(emptyPqStats(), a), b)
}

/** Plain-object form for JSON output and postMessage: `{ "<categoryId>": { iou, tp, fp, fn } }`. */
export function pqStatsToJSON(stats: PqStats): Record<string, PqCategoryStat> {
  const out: Record<string, PqCategoryStat> = {}
  for (const [cat, s] of [...stats].sort((x, y) => x[0] - y[0])) out[String(cat)] = { ...s }
  return out
}
