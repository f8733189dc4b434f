// Panoptic Quality statistics of one image pair, with panopticapi's exact rules
// (`panopticapi/evaluation.py` pq_compute_single_core @ 7bb4655; reference/metrics.md §10):
// - GT area is the JSON `area`; predicted area is recomputed from the PNG.
// - A (gt, pred) pair is a candidate only if the GT is not crowd and both have the same category.
// - union = area_pred + area_gt - inter - |pred ∩ VOID|; match iff IoU > 0.5 strictly (so matches are unique).
// - FN: every unmatched non-crowd GT. Crowd GT is remembered per category; the last one in JSON order wins.
// - FP: every unmatched prediction unless (|pred ∩ VOID| + |pred ∩ same-category crowd|) / area_pred > 0.5.
// - Sanity errors like panopticapi's KeyErrors, as PixcapErrors naming the file and JSON path.
// Pure: the PNGs arrive decoded (io/png/panoptic-png.ts does the pixels).
import { PixcapError, type JsonPath } from '../../errors.js'
import { VOID_ID } from '../../geometry/panoptic-map.js'
import { OFFSET, jointHistogram, type PanopticPixels } from './joint-histogram.js'
import { categoryStat, emptyPqStats, type PqStats } from './pq-stats.js'

/** A match needs IoU > 0.5 strictly (panopticapi `if iou > 0.5`). */
export const PQ_MATCH_IOU = 0.5
/** An unmatched prediction is ignored (not FP) when more than this fraction lies on VOID + same-category crowd. */
export const PQ_IGNORE_FRACTION = 0.5

/** A GT segment as PQ needs it; `segments` arrays are in `segments_info` order (indices name JSON paths). */
export interface PqGtSegment {
  id: number
  categoryId: number
  isCrowd: boolean
  /** The JSON `area` (panopticapi never recounts GT pixels). */
  area: number
}

/** A predicted segment as PQ needs it; its area comes from the PNG. */
export interface PqPredSegment {
  id: number
  categoryId: number
}

/** Where an image's data came from, for error messages. */
export interface PqImageWhere {
  gtFile: string
  /** JSON path of the GT annotation, e.g. ['annotations', 4]. */
  gtPath: JsonPath
  predFile: string
  predPath: JsonPath
  gtPng: string
  predPng: string
}

/** One image pair with its JSON segments and decoded PNGs. */
export interface PqImageInput {
  imageId: number | string
  gt: { map: PanopticPixels; segments: readonly PqGtSegment[] }
  pred: { map: PanopticPixels; segments: readonly PqPredSegment[] }
  /** Ids of the GT `categories`. */
  categoryIds: ReadonlySet<number>
  where: PqImageWhere
}

/** A TP pair. */
export interface PqMatch {
  gtId: number
  predId: number
  categoryId: number
  iou: number
}

/**
 * For each predicted segment (JSON order): its best candidate GT (non-crowd, same category) by PQ IoU, first of equal
 * IoUs in ascending GT id, or null when it overlaps none. Used by the dense-caption mAP.
 */
export interface PqPredBest {
  predId: number
  categoryId: number
  area: number
  gtId: number | null
  iou: number
}

/** Per-image result: the PQ sums plus what caption metrics need. */
export interface PqImageResult {
  stats: PqStats
  matches: PqMatch[]
  predBest: PqPredBest[]
}

function rgbOf(id: number): string {
  return `RGB ${id & 0xff},${(id >>> 8) & 0xff},${(id >>> 16) & 0xff}`
}

function indexById<T extends { id: number }>(segs: readonly T[], file: string, path: JsonPath): Map<number, T> {
  const byId = new Map<number, T>()
  const at = new Map<number, number>()
  segs.forEach((s, j) => {
    const prev = at.get(s.id)
    if (prev !== undefined) {
      throw new PixcapError('schema', file, [...path, 'segments_info', j, 'id'],
        `duplicate segment id ${s.id} (also segments_info[${prev}].id); ids must be unique within an image`)
    }
    if (s.id === VOID_ID) {
      throw new PixcapError('schema', file, [...path, 'segments_info', j, 'id'], 'segment id 0 is VOID (unlabelled pixels); real segments have ids > 0')
    }
    at.set(s.id, j)
    byId.set(s.id, s)
  })
  return byId
}

/** Computes one image pair's PQ statistics, TP matches and per-prediction best GT; throws PixcapError on bad input. */
export function pqImage(input: PqImageInput): PqImageResult {
  const { gt, pred, where, categoryIds } = input
  if (gt.map.width !== pred.map.width || gt.map.height !== pred.map.height) {
    throw new PixcapError('mask_mismatch', where.predFile, [...where.predPath, 'file_name'],
      `${where.predPng} is ${pred.map.width}x${pred.map.height} but the GT ${where.gtPng} is ${gt.map.width}x${gt.map.height}`)
  }
  const gtById = indexById(gt.segments, where.gtFile, where.gtPath)
  const predById = indexById(pred.segments, where.predFile, where.predPath)
  gt.segments.forEach((s, j) => {
    // panopticapi would file this FN under a category it never averages; we refuse instead of losing it silently.
    if (!categoryIds.has(s.categoryId)) {
      throw new PixcapError('schema', where.gtFile, [...where.gtPath, 'segments_info', j, 'category_id'],
        `unknown category_id ${s.categoryId}; expected an id from the GT categories`)
    }
  })

  const cells = jointHistogram(gt.map, pred.map)
  const predArea = new Map<number, number>()
  const cellCount = new Map<number, number>()
  for (const c of cells) {
    predArea.set(c.pred, (predArea.get(c.pred) ?? 0) + c.count)
    cellCount.set(c.gt * OFFSET + c.pred, c.count)
  }

  // Prediction sanity checks, in panopticapi's order: PNG ids ascending, then JSON segments missing from the PNG.
  for (const id of [...predArea.keys()].sort((a, b) => a - b)) {
    if (id === VOID_ID || predById.has(id)) continue
    throw new PixcapError('mask_mismatch', where.predFile, [...where.predPath, 'segments_info'],
      `segment id ${id} (${rgbOf(id)}) covers ${predArea.get(id)} px of ${where.predPng} but is not in segments_info (image_id ${input.imageId})`)
  }
  pred.segments.forEach((s, j) => {
    if (!predArea.has(s.id)) {
      throw new PixcapError('mask_mismatch', where.predFile, [...where.predPath, 'segments_info', j, 'id'],
        `segment id ${s.id} (${rgbOf(s.id)}) does not occur in ${where.predPng} (image_id ${input.imageId}); every listed segment needs pixels`)
    }
    if (!categoryIds.has(s.categoryId)) {
      throw new PixcapError('schema', where.predFile, [...where.predPath, 'segments_info', j, 'category_id'],
        `unknown category_id ${s.categoryId}; expected an id from the GT categories`)
    }
  })

  const voidOf = (predId: number): number => cellCount.get(VOID_ID * OFFSET + predId) ?? 0
  const stats = emptyPqStats()
  const matches: PqMatch[] = []
  const gtMatched = new Set<number>()
  const predMatched = new Set<number>()
  const best = new Map<number, { gtId: number; iou: number }>()
  for (const c of cells) {
    const g = gtById.get(c.gt)
    if (g === undefined) continue
    const p = predById.get(c.pred)
    if (p === undefined) continue
    if (g.isCrowd || g.categoryId !== p.categoryId) continue
    const union = (predArea.get(p.id) as number) + g.area - c.count - voidOf(p.id)
    const iou = c.count / union
    const b = best.get(p.id)
    if (b === undefined || iou > b.iou) best.set(p.id, { gtId: g.id, iou })
    if (iou > PQ_MATCH_IOU) {
      const s = categoryStat(stats, g.categoryId)
      s.tp += 1
      s.iou += iou
      gtMatched.add(g.id)
      predMatched.add(p.id)
      matches.push({ gtId: g.id, predId: p.id, categoryId: g.categoryId, iou })
    }
  }

  const crowdByCategory = new Map<number, number>()
  for (const g of gt.segments) {
    if (gtMatched.has(g.id)) continue
    if (g.isCrowd) {
      crowdByCategory.set(g.categoryId, g.id)
      continue
    }
    categoryStat(stats, g.categoryId).fn += 1
  }
  for (const p of pred.segments) {
    if (predMatched.has(p.id)) continue
    let ignored = voidOf(p.id)
    const crowd = crowdByCategory.get(p.categoryId)
    if (crowd !== undefined) ignored += cellCount.get(crowd * OFFSET + p.id) ?? 0
    if (ignored / (predArea.get(p.id) as number) > PQ_IGNORE_FRACTION) continue
    categoryStat(stats, p.categoryId).fp += 1
  }

  const predBest = pred.segments.map((p): PqPredBest => {
    const b = best.get(p.id)
    return { predId: p.id, categoryId: p.categoryId, area: predArea.get(p.id) as number, gtId: b?.gtId ?? null, iou: b?.iou ?? 0 }
  })
  return { stats, matches, predBest }
}
