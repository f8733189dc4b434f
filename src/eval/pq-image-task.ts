// One unit of PQ work: decode an image pair's PNGs and compute its statistics. Runs in a worker thread
// (pq-worker.ts) or in-process (`workers: 0`); the message shapes here are what crosses the thread boundary.
import { PixcapError } from '../errors.js'
import { decodePanopticRgb } from '../io/panoptic-rgb.js'
import { pqImage, type PanopticPixels, type PqGtSegment, type PqImageWhere, type PqMatch, type PqPredBest, type PqPredSegment } from '../metrics/pq/index.js'

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

async function decodeAt(png: string, file: string, path: PqImageWhere['gtPath']): Promise<PanopticPixels> {
  try {
    return await decodePanopticRgb(png)
  } catch (err) {
    throw new PixcapError('io', file, [...path, 'file_name'], `cannot decode ${png}: ${(err as Error).message}`, { cause: err })
  }
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
export async function runPqImageTask(task: PqImageTask, categoryIds: ReadonlySet<number>): Promise<PqImageTaskResult> {
  const [gtMap, predMap] = await Promise.all([
    decodeAt(task.gtPngPath, task.where.gtFile, task.where.gtPath),
    decodeAt(task.predPngPath, task.where.predFile, task.where.predPath),
  ])
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
