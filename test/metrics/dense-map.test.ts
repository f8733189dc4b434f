// DenseCap mAP rules (jcjohnson/densecap eval/eval_utils.lua; reference/metrics.md §11) on hand-made rankings.
import { describe, expect, it } from 'vitest'
import {
  assignDetections, denseCapMap, interpolatedAp, DENSE_IOU_THRESHOLDS, DENSE_SCORE_THRESHOLDS,
} from '../../src/metrics/dense-map.js'

describe('assignDetections', () => {
  it('sorts by decreasing score (ties keep input order) and lets only the first claim of a GT be ok', () => {
    const r = assignDetections([
      { score: 0.2, gtKey: 'a', iou: 0.9 },
      { score: 0.9, gtKey: 'a', iou: 0.6 },
      { score: 0.5, gtKey: null, iou: 0 },
      { score: 0.5, gtKey: 'b', iou: 0.7 },
    ])
    expect(r.map((x) => [x.index, x.ok])).toEqual([[1, true], [2, false], [3, true], [0, false]])
  })
})

describe('interpolatedAp', () => {
  it.each([
    // rec [.5 .5 1], prec [1 .5 2/3]: t <= .5 -> 1 (51 points), t > .5 -> 2/3 (50 points)
    { name: 'TP FP TP of 2', tp: [true, false, true], npos: 2, want: (51 + 50 * (2 / 3)) / 101 },
    { name: 'all TP, full recall', tp: [true, true], npos: 2, want: 1 },
    { name: 'no TP', tp: [false, false], npos: 3, want: 0 },
    { name: 'no detections', tp: [], npos: 3, want: 0 },
    // rec [0 1/3], prec [0 .5]: t = 0 -> max(0, .5); t in (0, 1/3] -> .5 (k = 1..33); beyond -> 0
    { name: 'FP then TP of 3', tp: [false, true], npos: 3, want: (34 * 0.5) / 101 },
  ])('$name', ({ tp, npos, want }) => {
    expect(interpolatedAp(tp, npos)).toBeCloseTo(want, 14)
  })
})

describe('denseCapMap', () => {
  it('has 5 x 6 caption APs in map and 5 detection APs in detmap, keyed like eval_utils.lua', () => {
    const records = assignDetections([{ score: 1, gtKey: 'a', iou: 0.55 }])
    const r = denseCapMap(records, [0.12], 1)
    expect(Object.keys(r.apBreakdown)).toHaveLength(DENSE_IOU_THRESHOLDS.length * (DENSE_SCORE_THRESHOLDS.length - 1))
    expect(Object.keys(r.detBreakdown)).toEqual(['ov0.3', 'ov0.4', 'ov0.5', 'ov0.6', 'ov0.7'])
    // IoU 0.55 passes 0.3..0.5; caption 0.12 passes 0, 0.05, 0.1 (strict >)
    expect(r.detBreakdown).toEqual({ 'ov0.3': 1, 'ov0.4': 1, 'ov0.5': 1, 'ov0.6': 0, 'ov0.7': 0 })
    expect(r.apBreakdown['ov0.5_score0.1']).toBe(1)
    expect(r.apBreakdown['ov0.5_score0.15']).toBe(0)
    expect(r.apBreakdown['ov0.6_score0']).toBe(0)
    expect(r.detmap).toBeCloseTo(3 / 5, 15)
    expect(r.map).toBeCloseTo((3 * 3) / 30, 15)
  })
  it('a second detection of a claimed GT is a false positive even with a perfect caption', () => {
    const records = assignDetections([{ score: 0.9, gtKey: 'a', iou: 0.8 }, { score: 0.8, gtKey: 'a', iou: 0.9 }])
    const r = denseCapMap(records, [1, 1], 1)
    // ranking TP, FP: rec [1 1], prec [1 .5] -> AP 1
    expect(r.detBreakdown['ov0.7']).toBe(1)
    const swapped = denseCapMap(assignDetections([{ score: 0.8, gtKey: 'a', iou: 0.8 }, { score: 0.9, gtKey: 'a', iou: 0.2 }]), [1, 1], 1)
    // the higher-scored claim has IoU 0.2: FP at 0.3; the ok=0 one cannot count -> AP 0
    expect(swapped.detBreakdown['ov0.3']).toBe(0)
  })
})
