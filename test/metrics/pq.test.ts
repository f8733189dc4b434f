// Hand-made PQ cases: each checks one of panopticapi's rules (reference/metrics.md §10) on tiny id grids.
import { describe, expect, it } from 'vitest'
import { PixcapError } from '../../src/errors.js'
import type { PanopticMap } from '../../src/geometry/panoptic-map.js'
import {
  emptyPqStats, jointHistogram, mergePqStats, pqImage, summarizePq,
  type PqGtSegment, type PqPredSegment, type PqStats, type RgbPixels,
} from '../../src/metrics/pq/index.js'

/** Rows of space-separated ids -> a PanopticMap. */
function grid(rows: string[]): PanopticMap {
  const cells = rows.map((r) => r.trim().split(/\s+/).map(Number))
  const width = cells[0]?.length ?? 0
  return { width, height: cells.length, ids: Uint32Array.from(cells.flat()) }
}

const where = { gtFile: 'gt.json', gtPath: ['annotations', 0], predFile: 'pred.json', predPath: ['annotations', 0], gtPng: 'a.png', predPng: 'a.png' }
const CATS = new Set([1, 2, 3])
const gtSeg = (id: number, categoryId: number, area: number, isCrowd = false): PqGtSegment => ({ id, categoryId, area, isCrowd })
const predSeg = (id: number, categoryId: number): PqPredSegment => ({ id, categoryId })

function statsOf(s: PqStats): Record<number, [number, number, number, number]> {
  const out: Record<number, [number, number, number, number]> = {}
  for (const [k, v] of s) out[k] = [v.iou, v.tp, v.fp, v.fn]
  return out
}

interface Case {
  name: string
  gt: string[]
  gtSegs: PqGtSegment[]
  pred: string[]
  predSegs: PqPredSegment[]
  /** category -> [ΣIoU, TP, FP, FN] */
  want: Record<number, [number, number, number, number]>
}

const cases: Case[] = [
  {
    name: 'perfect match, IoU 1',
    gt: ['1 1 0', '1 1 0'], gtSegs: [gtSeg(1, 1, 4)],
    pred: ['7 7 0', '7 7 0'], predSegs: [predSeg(7, 1)],
    want: { 1: [1, 1, 0, 0] },
  },
  {
    name: 'IoU exactly 0.5 is NOT a match (strict >): FN + FP',
    gt: ['1 1 2 2'], gtSegs: [gtSeg(1, 1, 2), gtSeg(2, 2, 2)],
    pred: ['7 7 7 7'], predSegs: [predSeg(7, 1)],
    want: { 1: [0, 0, 1, 1], 2: [0, 0, 0, 1] },
  },
  {
    name: 'pred pixels on VOID leave the union: 2/(3+2-2-1) = 1',
    gt: ['1 1 0'], gtSegs: [gtSeg(1, 1, 2)],
    pred: ['7 7 7'], predSegs: [predSeg(7, 1)],
    want: { 1: [1, 1, 0, 0] },
  },
  {
    name: 'GT area comes from the JSON, not the PNG: 2/(2+3-2) = 2/3',
    gt: ['1 1 0'], gtSegs: [gtSeg(1, 1, 3)],
    pred: ['7 7 0'], predSegs: [predSeg(7, 1)],
    want: { 1: [2 / 3, 1, 0, 0] },
  },
  {
    name: 'different category: never a candidate (FN for GT, FP for pred)',
    gt: ['1 1'], gtSegs: [gtSeg(1, 1, 2)],
    pred: ['7 7'], predSegs: [predSeg(7, 2)],
    want: { 1: [0, 0, 0, 1], 2: [0, 0, 1, 0] },
  },
  {
    name: 'crowd GT is never matched nor FN; a same-category pred lying on it is ignored',
    gt: ['9 9 9 9'], gtSegs: [gtSeg(9, 1, 4, true)],
    pred: ['7 7 7 0'], predSegs: [predSeg(7, 1)],
    want: {},
  },
  {
    name: 'crowd of another category does not excuse a pred: FP',
    gt: ['9 9 9 9'], gtSegs: [gtSeg(9, 2, 4, true)],
    pred: ['7 7 7 0'], predSegs: [predSeg(7, 1)],
    want: { 1: [0, 0, 1, 0] },
  },
  {
    name: 'several crowd GT of one category: the last in JSON order wins',
    gt: ['8 8 9 9'], gtSegs: [gtSeg(8, 1, 2, true), gtSeg(9, 1, 2, true)],
    pred: ['7 7 0 0'], predSegs: [predSeg(7, 1)],
    want: { 1: [0, 0, 1, 0] },
  },
  {
    name: 'crowd + VOID together above half: ignored (1 crowd + 1 void of 3 px)',
    gt: ['9 0 1 1 1 1'], gtSegs: [gtSeg(9, 1, 1, true), gtSeg(1, 1, 4)],
    pred: ['7 7 7 5 5 5'], predSegs: [predSeg(7, 1), predSeg(5, 1)],
    // pred 5 vs GT 1: inter 3, union 3+4-3-0 = 4 -> 0.75 (TP); pred 7: (1 void + 1 crowd)/3 > 0.5 -> ignored
    want: { 1: [0.75, 1, 0, 0] },
  },
  {
    name: 'VOID-dominated pred is not FP; exactly half on VOID is FP',
    gt: ['0 0 0 0 0 1 1 0 0 0'], gtSegs: [gtSeg(1, 1, 2)],
    pred: ['7 7 7 5 5 6 6 3 3 0'], predSegs: [predSeg(7, 1), predSeg(5, 1), predSeg(6, 1), predSeg(3, 2)],
    // 7: 3/3 void -> ignored; 5: 2/2 void -> ignored; 6 matches GT 1; 3 (cat 2): 2/2 void -> ignored
    want: { 1: [1, 1, 0, 0] },
  },
  {
    name: 'exactly half on VOID is still FP (strict >)',
    gt: ['0 2 2 2'], gtSegs: [gtSeg(2, 2, 3)],
    pred: ['7 7 0 0'], predSegs: [predSeg(7, 1)],
    want: { 1: [0, 0, 1, 0], 2: [0, 0, 0, 1] },
  },
  {
    name: 'GT ids missing from the GT JSON are not VOID: they count in the union',
    gt: ['4 4 1 1'], gtSegs: [gtSeg(1, 1, 2)],
    pred: ['7 7 7 7'], predSegs: [predSeg(7, 1)],
    want: { 1: [0, 0, 1, 1] },
  },
]

describe('pqImage: panopticapi rules', () => {
  it.each(cases)('$name', ({ gt, gtSegs, pred, predSegs, want }) => {
    const r = pqImage({ imageId: 1, gt: { map: grid(gt), segments: gtSegs }, pred: { map: grid(pred), segments: predSegs }, categoryIds: CATS, where })
    expect(statsOf(r.stats)).toEqual(want)
    const tps = Object.values(want).reduce((n, w) => n + w[1], 0)
    expect(r.matches).toHaveLength(tps)
  })

  it('reports the best same-category, non-crowd GT of each prediction (for dense mAP)', () => {
    const r = pqImage({
      imageId: 1, categoryIds: CATS, where,
      gt: { map: grid(['1 1 2 2 2 9']), segments: [gtSeg(1, 1, 2), gtSeg(2, 1, 3), gtSeg(9, 1, 1, true)] },
      pred: { map: grid(['7 7 7 7 7 7']), segments: [predSeg(7, 1)] },
    })
    expect(r.predBest).toEqual([{ predId: 7, categoryId: 1, area: 6, gtId: 2, iou: 0.5 }])
  })
})

describe('pqImage: sanity errors name the file and JSON path', () => {
  const base = { imageId: 42, categoryIds: CATS, where }
  const errCases = [
    {
      name: 'id in the PNG but not in the JSON',
      gt: ['1 1'], gtSegs: [gtSeg(1, 1, 2)], pred: ['7 300'], predSegs: [predSeg(7, 1)],
      msg: 'pred.json: annotations[0].segments_info: segment id 300 (RGB 44,1,0) covers 1 px of a.png but is not in segments_info (image_id 42)',
    },
    {
      name: 'JSON segment absent from the PNG',
      gt: ['1 1'], gtSegs: [gtSeg(1, 1, 2)], pred: ['7 7'], predSegs: [predSeg(7, 1), predSeg(8, 1)],
      msg: 'pred.json: annotations[0].segments_info[1].id: segment id 8 (RGB 8,0,0) does not occur in a.png (image_id 42); every listed segment needs pixels',
    },
    {
      name: 'unknown predicted category',
      gt: ['1 1'], gtSegs: [gtSeg(1, 1, 2)], pred: ['7 7'], predSegs: [predSeg(7, 99)],
      msg: 'pred.json: annotations[0].segments_info[0].category_id: unknown category_id 99; expected an id from the GT categories',
    },
    {
      name: 'duplicate predicted id',
      gt: ['1 1'], gtSegs: [gtSeg(1, 1, 2)], pred: ['7 7'], predSegs: [predSeg(7, 1), predSeg(7, 2)],
      msg: 'pred.json: annotations[0].segments_info[1].id: duplicate segment id 7 (also segments_info[0].id); ids must be unique within an image',
    },
    {
      name: 'size mismatch',
      gt: ['1 1'], gtSegs: [gtSeg(1, 1, 2)], pred: ['7 7 7'], predSegs: [predSeg(7, 1)],
      msg: 'pred.json: annotations[0].file_name: a.png is 3x1 but the GT a.png is 2x1',
    },
  ]
  it.each(errCases)('$name', ({ gt, gtSegs, pred, predSegs, msg }) => {
    const run = () => pqImage({ ...base, gt: { map: grid(gt), segments: gtSegs }, pred: { map: grid(pred), segments: predSegs } })
    expect(run).toThrow(PixcapError)
    expect(run).toThrow(msg)
  })
})

function toRgb(m: PanopticMap, channels: 3 | 4): RgbPixels {
  const data = new Uint8Array(m.ids.length * channels)
  m.ids.forEach((id, i) => {
    data.set([id & 0xff, (id >>> 8) & 0xff, (id >>> 16) & 0xff], i * channels)
    if (channels === 4) data[i * channels + 3] = 255
  })
  return { width: m.width, height: m.height, channels, data }
}

describe('jointHistogram', () => {
  it('reads ids from raw RGB/RGBA bytes exactly as from an id map', () => {
    const gt = grid(['70000 70000 1 1 0', '0 300 300 1 1'])
    const pred = grid(['5 5 5 16777215 16777215', '5 0 0 3 3'])
    const want = jointHistogram(gt, pred)
    expect(jointHistogram(toRgb(gt, 3), toRgb(pred, 4))).toEqual(want)
    expect(jointHistogram(toRgb(gt, 4), pred)).toEqual(want)
    expect(want).toContainEqual({ gt: 1, pred: 16777215, count: 1 })
  })

  it('counts (gt, pred) pairs in ascending key order, runs included', () => {
    const h = jointHistogram(grid(['2 2 1 1', '0 0 1 1']), grid(['5 5 5 3', '5 0 0 3']))
    expect(h).toEqual([
      { gt: 0, pred: 0, count: 1 }, { gt: 0, pred: 5, count: 1 },
      { gt: 1, pred: 0, count: 1 }, { gt: 1, pred: 3, count: 2 }, { gt: 1, pred: 5, count: 1 },
      { gt: 2, pred: 5, count: 2 },
    ])
  })
})

describe('mergePqStats and summarizePq', () => {
  const cats = [
    { id: 1, name: 'person', isThing: true },
    { id: 2, name: 'car', isThing: true },
    { id: 3, name: 'sky', isThing: false },
  ]
  it('merges field by field without touching its inputs', () => {
    const a: PqStats = new Map([[1, { iou: 0.75, tp: 1, fp: 0, fn: 1 }]])
    const b: PqStats = new Map([[1, { iou: 0.5, tp: 1, fp: 2, fn: 0 }], [3, { iou: 0, tp: 0, fp: 1, fn: 0 }]])
    const m = mergePqStats(a, b)
    expect(statsOf(m)).toEqual({ 1: [1.25, 2, 2, 1], 3: [0, 0, 1, 0] })
    expect(statsOf(a)).toEqual({ 1: [0.75, 1, 0, 1] })
    expect(statsOf(mergePqStats(emptyPqStats(), m))).toEqual(statsOf(m))
  })
  it('skips categories with TP+FP+FN = 0 and reports an empty group as absent', () => {
    const s: PqStats = new Map([[1, { iou: 1.5, tp: 2, fp: 1, fn: 1 }], [2, { iou: 0, tp: 0, fp: 0, fn: 0 }]])
    const sum = summarizePq(s, cats)
    expect(sum.All).toEqual({ pq: 0.5, sq: 0.75, rq: 2 / 3, n: 1 })
    expect(sum.Things).toEqual(sum.All)
    expect(sum.Stuff).toBeNull()
    expect(sum.perCategory.map((r) => r.categoryId)).toEqual([1])
  })
  it('SQ is 0 for a category with no TP; means are over categories', () => {
    const s: PqStats = new Map([[1, { iou: 1, tp: 1, fp: 0, fn: 0 }], [3, { iou: 0, tp: 0, fp: 2, fn: 0 }]])
    const sum = summarizePq(s, cats)
    expect(sum.perCategory[1]).toMatchObject({ categoryId: 3, pq: 0, sq: 0, rq: 0 })
    expect(sum.All).toEqual({ pq: 0.5, sq: 0.5, rq: 0.5, n: 2 })
    expect(sum.Stuff).toEqual({ pq: 0, sq: 0, rq: 0, n: 1 })
  })
})
