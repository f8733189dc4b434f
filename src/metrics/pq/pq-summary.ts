// Averages PQ sums into PQ/SQ/RQ, per category and for All / Things / Stuff, as panopticapi's PQStat.pq_average
// (`evaluation.py` @ 7bb4655; reference/metrics.md §10):
//   PQ = ΣIoU / (TP + FP/2 + FN/2), SQ = ΣIoU / TP (0 if TP = 0), RQ = TP / (TP + FP/2 + FN/2);
//   categories with TP + FP + FN = 0 are skipped (not counted in n); means follow the GT `categories` order.
// Where panopticapi divides by zero for an empty group, the group is reported as absent (null).
import type { PqStats } from './pq-stats.js'

/** A category as the averaging needs it (from the GT JSON `categories`). */
export interface PqCategoryInfo {
  id: number
  name: string
  isThing: boolean
}

/** Mean PQ/SQ/RQ over the `n` evaluated categories of a group. */
export interface PqScores {
  pq: number
  sq: number
  rq: number
  n: number
}

/** One evaluated category's scores and sums. */
export interface PqCategoryRow {
  categoryId: number
  name: string
  isThing: boolean
  pq: number
  sq: number
  rq: number
  iou: number
  tp: number
  fp: number
  fn: number
}

/** All / Things / Stuff (null when a group has no evaluated category) plus the per-category table. */
export interface PqSummary {
  All: PqScores | null
  Things: PqScores | null
  Stuff: PqScores | null
  /** Evaluated categories (TP + FP + FN > 0) in GT `categories` order. */
  perCategory: PqCategoryRow[]
}

/** The group names in panopticapi's print order. */
export const PQ_GROUPS = ['All', 'Things', 'Stuff'] as const

function mean(rows: PqCategoryRow[]): PqScores | null {
  if (rows.length === 0) return null
  let pq = 0
  let sq = 0
  let rq = 0
  for (const r of rows) {
    pq += r.pq
    sq += r.sq
    rq += r.rq
  }
  const n = rows.length
  return { pq: pq / n, sq: sq / n, rq: rq / n, n }
}

/** Turns merged PQ sums into the All / Things / Stuff means and the per-category table. */
export function summarizePq(stats: PqStats, categories: readonly PqCategoryInfo[]): PqSummary {
  const perCategory: PqCategoryRow[] = []
  for (const c of categories) {
    const s = stats.get(c.id)
    if (s === undefined) continue
    const { iou, tp, fp, fn } = s
    if (tp + fp + fn === 0) continue
    // Same expression as panopticapi, so the float results agree to the last digit.
    const denom = tp + 0.5 * fp + 0.5 * fn
    perCategory.push({
      categoryId: c.id, name: c.name, isThing: c.isThing,
      pq: iou / denom, sq: tp !== 0 ? iou / tp : 0, rq: tp / denom, iou, tp, fp, fn,
    })
  }
  return {
    All: mean(perCategory),
    Things: mean(perCategory.filter((r) => r.isThing)),
    Stuff: mean(perCategory.filter((r) => !r.isThing)),
    perCategory,
  }
}
