// One unit of PQ work: decode an image pair's PNGs and compute its statistics. Runs in a worker thread
// (pq-worker.ts) or in-process (`workers: 0`); the message shapes here are what crosses the thread boundary.
import { PixcapError } from '../errors.js'
import { decodePanopticRgbFast, decodeWithSharp } from '../io/png/panoptic-rgb.js'
import { PngScratch } from '../io/png/png-rgb8.js'
import type { RgbPixels } from '../geometry/panoptic-map.js'
import { pqImage, type PqGtSegment, type PqImageWhere, type PqMatch, type PqPredBest, type PqPredSegment } from '../metrics/pq/index.js'

/** What a worker needs for one image pair (absolute PNG paths, already checked to stay inside their roots). */
export interface PqImageTask {
  imageId: number | string
  gtPngPath: string
  predPngPath: string
  gtSegments: PqGtSegment[]
  predSegments: PqPredSegment[]
  where: PqImageWhere
}

/** A worker's answer: the sums as rows [categoryId, iou, tp, fp, fn] plus TP matches and per-prediction best GT. */
export interface PqImageTaskResult {
  stats: [number, number, number, number, number][]
  matches: PqMatch[]
  predBest: PqPredBest[]
  /** PNGs decoded for this task (always 2; lets tests count work instead of timing it). */
  decodes: number
}

// The GT and prediction rows buffers of this thread, reused from pair to pair. Safe because a pair whose PNGs both
// take the fast decoder runs from decode to statistics without yielding; see runPqImageTask for the other case.
const scratch = { gt: new PngScratch(), pred: new PngScratch() }

function wrapDecodeError(err: unknown, png: string, file: string, path: PqImageWhere['gtPath']): PixcapError {
  return new PixcapError('io', file, [...path, 'file_name'], `cannot decode ${png}: ${(err as Error).message}`, { cause: err })
}

function decodeFastAt(png: string, file: string, path: PqImageWhere['gtPath'], into: PngScratch): { pixels: RgbPixels } | { bytes: Uint8Array } {
  try {
    return decodePanopticRgbFast(png, into)
  } catch (err) {
    throw wrapDecodeError(err, png, file, path)
  }
}

async function decodeSlowAt(bytes: Uint8Array, png: string, file: string, path: PqImageWhere['gtPath']): Promise<RgbPixels> {
  try {
    return await decodeWithSharp(bytes)
  } catch (err) {
    throw wrapDecodeError(err, png, file, path)
  }
}

/** A copy that owns its memory, for pixels decoded into a scratch that another pair may reuse. */
function ownPixels(p: RgbPixels): RgbPixels {
  return { ...p, data: p.data.slice(), ...(p.sameAsAbove ? { sameAsAbove: p.sameAsAbove.slice() } : {}) }
}

/**
 * Runs a batch of consecutive pairs in order, stopping at the first failure (which is then the earliest of the
 * batch). One message per batch each way: a thread hand-off costs about as much as a small pair's work.
 */
export async function runPqBatch(tasks: readonly PqImageTask[], categoryIds: ReadonlySet<number>): Promise<PqImageTaskResult[]> {
  const results: PqImageTaskResult[] = []
  for (const t of tasks) results.push(await runPqImageTask(t, categoryIds))
  return results
}

/** Decodes both PNGs of a task and computes its PQ statistics. */
async function runPqImageTask(task: PqImageTask, categoryIds: ReadonlySet<number>): Promise<PqImageTaskResult> {
  const { where } = task
  const gt = decodeFastAt(task.gtPngPath, where.gtFile, where.gtPath, scratch.gt)
  const pred = decodeFastAt(task.predPngPath, where.predFile, where.predPath, scratch.pred)
  // Both fast: statistics right away, before anything else can run on this thread and reuse the scratches.
  if ('pixels' in gt && 'pixels' in pred) return pqTaskResult(task, gt.pixels, pred.pixels, categoryIds)
  // A PNG for sharp (asynchronous): first copy what sits in a scratch, since other pairs may decode meanwhile.
  const gtOwn = 'pixels' in gt ? ownPixels(gt.pixels) : gt
  const predOwn = 'pixels' in pred ? ownPixels(pred.pixels) : pred
  const gtMap = 'bytes' in gtOwn ? await decodeSlowAt(gtOwn.bytes, task.gtPngPath, where.gtFile, where.gtPath) : gtOwn
  const predMap = 'bytes' in predOwn ? await decodeSlowAt(predOwn.bytes, task.predPngPath, where.predFile, where.predPath) : predOwn
  return pqTaskResult(task, gtMap, predMap, categoryIds)
}

function pqTaskResult(task: PqImageTask, gtMap: RgbPixels, predMap: RgbPixels, categoryIds: ReadonlySet<number>): PqImageTaskResult {
  const r = pqImage({
    imageId: task.imageId,
    gt: { map: gtMap, segments: task.gtSegments },
    pred: { map: predMap, segments: task.predSegments },
    categoryIds,
    where: task.where,
  })
  const stats: PqImageTaskResult['stats'] = []
  for (const [cat, s] of r.stats) stats.push([cat, s.iou, s.tp, s.fp, s.fn])
  return { stats, matches: r.matches, predBest: r.predBest, decodes: 2 }
}
