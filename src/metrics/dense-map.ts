// DenseCap-style dense-captioning mAP (jcjohnson/densecap `eval/eval_utils.lua`, DenseCaptioningEvaluator;
// reference/metrics.md §11), computed faithfully where DenseCap is well defined:
// 1. detections sorted by decreasing confidence (stable: ties keep input order);
// 2. each detection is assigned to its max-IoU GT (the caller supplies it); the first detection to claim a GT gets
//    ok = 1, later ones ok = 0; a detection overlapping no GT claims nothing (DenseCap's jmax = -1 case);
// 3. a caption similarity scores each assigned detection against its GT's references (the scorer is the caller's);
// 4. for IoU thresholds {0.3..0.7} x caption-score thresholds {-1, 0, 0.05 .. 0.25} (the `min_scores` list in
//    eval_utils.lua, which includes 0; metrics.md §11 omits it): TP iff ov >= thr_iou and ok and score > thr_score;
//    recall divides by npos; AP is max-interpolated at t = 0, 0.01, .., 1 (101 points, t = k * 0.01 exactly as Pix2Cap's
//    np.arange(0, 1.01, 0.01));
// 5. `map` = mean of the APs with score threshold > -1, `detmap` = mean of those at -1 (np.mean order, as Pix2Cap).
// Pure: captions are scored outside (eval/panoptic-captions.ts), so a METEOR bridge can plug in.
import { npMean } from './np-mean.js'

/** IoU thresholds (eval_utils.lua `min_overlaps`). */
export const DENSE_IOU_THRESHOLDS: readonly number[] = [0.3, 0.4, 0.5, 0.6, 0.7]
/** Caption-score thresholds (eval_utils.lua `min_scores`); -1 = detection only (`detmap`). */
export const DENSE_SCORE_THRESHOLDS: readonly number[] = [-1, 0, 0.05, 0.1, 0.15, 0.2, 0.25]
/** Recall points of the interpolated AP: t = k * 0.01 for k = 0..100. */
export const AP_RECALL_POINTS = 101

/** One detection: its confidence and its best GT (null when it overlaps none) with that IoU. */
export interface DenseDetection {
  score: number
  gtKey: string | null
  iou: number
}

/** A detection after sorting, with DenseCap's `ok` (first claim of its GT) and its input position. */
export interface DenseRecord extends DenseDetection {
  ok: boolean
  index: number
}

/** DenseCap AP breakdown and means. Keys as eval_utils.lua: `ov0.5_score0.1`, detection-only `ov0.5`. */
export interface DenseMapResult {
  map: number
  detmap: number
  apBreakdown: Record<string, number>
  detBreakdown: Record<string, number>
}

/** Sorts detections by decreasing score (stable) and marks the first claim of each GT as ok. */
export function assignDetections(dets: readonly DenseDetection[]): DenseRecord[] {
  const order = dets.map((d, index) => ({ ...d, index, ok: false }))
  order.sort((a, b) => b.score - a.score || a.index - b.index)
  const used = new Set<string>()
  for (const r of order) {
    if (r.gtKey === null) continue
    if (!used.has(r.gtKey)) {
      used.add(r.gtKey)
      r.ok = true
    }
  }
  return order
}

/** Max-interpolated AP over 101 recall points from a ranked TP flag list. */
export function interpolatedAp(tp: ArrayLike<boolean>, npos: number): number {
  const n = tp.length
  const rec = new Float64Array(n)
  const prec = new Float64Array(n)
  let ctp = 0
  for (let i = 0; i < n; i++) {
    if (tp[i]) ctp++
    rec[i] = ctp / npos
    prec[i] = ctp / (i + 1)
  }
  // Recall never decreases, so {i : rec[i] >= t} is a suffix; the max precision over it is a suffix max.
  const suffixMax = new Float64Array(n + 1)
  for (let i = n - 1; i >= 0; i--) suffixMax[i] = Math.max(prec[i] as number, suffixMax[i + 1] as number)
  let ap = 0
  let first = 0
  for (let k = 0; k < AP_RECALL_POINTS; k++) {
    const t = k * 0.01 // numpy arange values: start + k * step
    while (first < n && !((rec[first] as number) >= t)) first++
    ap += first < n ? (suffixMax[first] as number) : 0
  }
  return ap / AP_RECALL_POINTS
}

/** DenseCap mAP from sorted records and their caption scores (parallel to `records`; ignored where gtKey is null). */
export function denseCapMap(records: readonly DenseRecord[], captionScores: ArrayLike<number>, npos: number): DenseMapResult {
  const apBreakdown: Record<string, number> = {}
  const detBreakdown: Record<string, number> = {}
  const tp = new Array<boolean>(records.length)
  for (const ov of DENSE_IOU_THRESHOLDS) {
    for (const minScore of DENSE_SCORE_THRESHOLDS) {
      records.forEach((r, i) => {
        tp[i] = r.gtKey !== null && r.ok && r.iou >= ov && (captionScores[i] as number) > minScore
      })
      const ap = interpolatedAp(tp, npos)
      if (minScore === -1) detBreakdown[`ov${ov}`] = ap
      else apBreakdown[`ov${ov}_score${minScore}`] = ap
    }
  }
  return { map: npMean(Object.values(apBreakdown)), detmap: npMean(Object.values(detBreakdown)), apBreakdown, detBreakdown }
}
