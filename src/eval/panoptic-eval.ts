// `pixcap eval panoptic`: Panoptic Quality of a COCO-panoptic prediction against GT, computed like panopticapi's
// pq_compute (reference/metrics.md §10), optionally with Pix2Cap segmentation-captioning scores (--captions;
// panoptic-captions.ts). Images pair by image_id, never by position; a GT image without a prediction is an error and
// extra predictions are ignored (as panopticapi). PNG decoding + per-image statistics run in worker threads with a
// bounded number of images in flight; per-image sums are merged in GT order, so the result does not depend on the
// number of workers.
import { availableParallelism } from 'node:os'
import { PixcapError } from '../errors.js'
import { resolveInside } from '../io/safe-path.js'
import { noProgress, type ProgressSink } from '../util/progress.js'
import {
  categoryStat, emptyPqStats, mergePqStatsInto, pqStatsToJSON, summarizePq,
  type PqCategoryInfo, type PqCategoryStat, type PqStats, type PqSummary,
} from '../metrics/pq/index.js'
import {
  flagSet, isRawPanopticGt, isRawPanopticPred, readJsonAt, RawPanopticGt, RawPanopticPred, type RawGtAnnotation, type RawPredAnnotation,
} from './panoptic-json.js'
import { runPqBatch, type PqImageTask, type PqImageTaskResult } from './pq-image-task.js'
import { createWorkerPool, workerModuleUrl } from '../io/worker-pool.js'

/**
 * Image pairs sent to a worker in one message. A thread hand-off (wake-up plus copying the message) cost about
 * 60-110 us of CPU here, about a tenth of a 640x480 pair's work; batching 8 makes it about 30 us a pair.
 */
export const PQ_BATCH = 8

/** Inputs of a panoptic evaluation. */
export interface PanopticEvalOptions {
  gtJson: string
  gtDir: string
  predJson: string
  predDir: string
  /** Worker threads (default os.availableParallelism()); 0 computes in the calling thread. */
  workers?: number
  /** Images in flight at once (default 4 batches of PQ_BATCH per worker): bounds memory on large sets. */
  maxInFlight?: number
  /**
   * Reproduce panopticapi's floating-point summation order for a machine where its multiprocessing.cpu_count() is
   * this number: np.array_split of the images into that many contiguous chunks, IoUs summed pair by pair within a
   * chunk, chunk sums added in order. Default 1 (one sequential sum). Counts never depend on it; ΣIoU only in the
   * last bits.
   */
  panopticapiCores?: number
  onProgress?: ProgressSink
  signal?: AbortSignal
}

/** One evaluated image pair, in GT order, for consumers such as the caption metrics. */
export interface PanopticImageOutcome {
  index: number
  gt: RawGtAnnotation
  pred: RawPredAnnotation
  predIndex: number
  result: PqImageTaskResult
}

/** The result of `evalPanoptic`. */
export interface PanopticEvalResult {
  images: number
  pq: PqSummary
  /** Merged per-category sums (iou, tp, fp, fn), keyed by category id. */
  stats: Record<string, PqCategoryStat>
  workers: number
  pngDecodes: number
}

/** Loads both JSON files and pairs annotations by image_id; fails like panopticapi when a GT image has no prediction. */
export async function loadPanopticPairs(o: Pick<PanopticEvalOptions, 'gtJson' | 'predJson'>): Promise<{
  gt: RawPanopticGt
  pred: RawPanopticPred
  pairs: { index: number; gt: RawGtAnnotation; pred: RawPredAnnotation; predIndex: number }[]
  categories: PqCategoryInfo[]
}> {
  const [gt, pred] = await Promise.all([readJsonAt(RawPanopticGt, o.gtJson, isRawPanopticGt), readJsonAt(RawPanopticPred, o.predJson, isRawPanopticPred)])
  const predById = new Map<number | string, number>()
  pred.annotations.forEach((a, i) => {
    const prev = predById.get(a.image_id)
    if (prev !== undefined) {
      throw new PixcapError('schema', o.predJson, ['annotations', i, 'image_id'], `duplicate image_id ${JSON.stringify(a.image_id)} (also annotations[${prev}])`)
    }
    predById.set(a.image_id, i)
  })
  const pairs = gt.annotations.map((g, index) => {
    const predIndex = predById.get(g.image_id)
    if (predIndex === undefined) {
      throw new PixcapError('not_found', o.predJson, ['annotations'],
        `no prediction for image_id ${JSON.stringify(g.image_id)} (GT ${o.gtJson} annotations[${index}], ${g.file_name})`)
    }
    return { index, gt: g, pred: pred.annotations[predIndex] as RawPredAnnotation, predIndex }
  })
  const categories = gt.categories.map((c, i): PqCategoryInfo => {
    if (c.isthing === undefined) throw new PixcapError('schema', o.gtJson, ['categories', i, 'isthing'], 'missing; expected 0 or 1 (things vs stuff)')
    return { id: c.id, name: c.name, isThing: flagSet(c.isthing) }
  })
  return { gt, pred, pairs, categories }
}

/** Builds the worker task of one pair (paths resolved inside their roots). */
export function planPqTask(o: PanopticEvalOptions, p: { index: number; gt: RawGtAnnotation; pred: RawPredAnnotation; predIndex: number }): PqImageTask {
  const gtPath = ['annotations', p.index] as const
  const predPath = ['annotations', p.predIndex] as const
  return {
    imageId: p.gt.image_id,
    gtPngPath: resolveInside(o.gtDir, p.gt.file_name, { file: o.gtJson, path: [...gtPath, 'file_name'] }),
    predPngPath: resolveInside(o.predDir, p.pred.file_name, { file: o.predJson, path: [...predPath, 'file_name'] }),
    gtSegments: p.gt.segments_info.map((s) => ({ id: s.id, categoryId: s.category_id, isCrowd: flagSet(s.iscrowd), area: s.area })),
    predSegments: p.pred.segments_info.map((s) => ({ id: s.id, categoryId: s.category_id })),
    where: { gtFile: o.gtJson, gtPath: [...gtPath], predFile: o.predJson, predPath: [...predPath], gtPng: p.gt.file_name, predPng: p.pred.file_name },
  }
}

/** Exclusive end indices of np.array_split(range(n), parts): the first n % parts chunks get one extra item. */
export function arraySplitEnds(n: number, parts: number): Set<number> {
  const ends = new Set<number>()
  const base = Math.floor(n / parts)
  const extra = n % parts
  let end = 0
  for (let i = 0; i < parts; i++) {
    end += base + (i < extra ? 1 : 0)
    ends.add(end)
  }
  return ends
}

function abortError(): Error {
  const e = new Error('evaluation aborted')
  e.name = 'AbortError'
  return e
}

/**
 * Evaluates every GT image; calls `onImage` for each pair in GT order (for caption metrics) and returns PQ.
 * Per-image sums merge in GT order whatever the worker count, so results are reproducible.
 */
export async function evalPanoptic(
  o: PanopticEvalOptions,
  onImage?: (outcome: PanopticImageOutcome) => void,
): Promise<PanopticEvalResult> {
  const workers = o.workers ?? availableParallelism()
  // Workers boot (tens of ms each) while this thread reads the JSON; they get the categories once it is parsed.
  // Two batches per worker: the next one already waits in the worker's queue when it answers the current one.
  const pool = workers > 0
    ? createWorkerPool<PqImageTask[], PqImageTaskResult[]>(workerModuleUrl(import.meta.url, 'pq-worker'), workers, { perWorker: 2 })
    : null
  let loaded: Awaited<ReturnType<typeof loadPanopticPairs>>
  try {
    loaded = await loadPanopticPairs(o)
  } catch (err) {
    await pool?.close()
    throw err
  }
  const { pairs, categories } = loaded
  const categoryIds = new Set(categories.map((c) => c.id))
  pool?.broadcast({ categoryIds: [...categoryIds] })
  const progress = o.onProgress ?? noProgress
  const maxInFlight = Math.max(1, o.maxInFlight ?? Math.max(1, workers) * 4 * PQ_BATCH)
  // Consecutive pairs travel together (up to PQ_BATCH), but small sets still give every worker several batches.
  const batchSize = Math.max(1, Math.min(PQ_BATCH, Math.ceil(pairs.length / (Math.max(1, workers) * 4)), maxInFlight))
  const run = (tasks: PqImageTask[]) => (pool ? pool.run(tasks) : runPqBatch(tasks, categoryIds))

  const stats: PqStats = emptyPqStats()
  const chunkEnds = arraySplitEnds(pairs.length, o.panopticapiCores ?? 1)
  let chunk: PqStats = emptyPqStats()
  const done = new Map<number, PqImageTaskResult>()
  let nextMerge = 0
  let pngDecodes = 0
  const mergeReady = () => {
    for (let r = done.get(nextMerge); r !== undefined; r = done.get(nextMerge)) {
      done.delete(nextMerge)
      // Counts from the image's sums; IoUs one by one in panopticapi's order (ascending histogram key).
      for (const [cat, , tp, fp, fn] of r.stats) {
        const s = categoryStat(chunk, cat)
        s.tp += tp
        s.fp += fp
        s.fn += fn
      }
      for (const m of r.matches) categoryStat(chunk, m.categoryId).iou += m.iou
      if (chunkEnds.has(nextMerge + 1)) {
        mergePqStatsInto(stats, chunk)
        chunk = emptyPqStats()
      }
      pngDecodes += r.decodes
      const p = pairs[nextMerge] as (typeof pairs)[number]
      onImage?.({ ...p, result: r })
      nextMerge++
      progress({ kind: 'progress', stage: 'images', done: nextMerge, total: pairs.length })
    }
  }

  try {
    const inFlight = new Set<Promise<void>>()
    let inFlightImages = 0
    // The failure of the earliest image wins, so the reported error does not depend on scheduling. Batches are
    // contiguous and stop at their first failure, so the earliest failing batch holds the earliest failing image.
    let firstError: { index: number; err: unknown } | null = null
    for (let start = 0; start < pairs.length; start += batchSize) {
      if (o.signal?.aborted) throw abortError()
      if (firstError !== null) break
      const batch = pairs.slice(start, start + batchSize)
      const tasks = batch.map((p) => planPqTask(o, p))
      inFlightImages += batch.length
      const job: Promise<void> = run(tasks).then(
        (results) => {
          results.forEach((r, k) => done.set(start + k, r))
          mergeReady()
        },
        (err: unknown) => {
          if (firstError === null || start < firstError.index) firstError = { index: start, err }
        },
      ).finally(() => {
        inFlight.delete(job)
        inFlightImages -= batch.length
      })
      inFlight.add(job)
      // Bounded in flight, and unmerged results are bounded too since merging follows completion order closely.
      while (inFlight.size > 0 && (inFlightImages + batchSize > maxInFlight || done.size > maxInFlight * 4)) await Promise.race(inFlight)
    }
    await Promise.all(inFlight)
    if (firstError !== null) throw (firstError as { err: unknown }).err
    if (o.signal?.aborted) throw abortError()
  } finally {
    await pool?.close()
  }

  return { images: pairs.length, pq: summarizePq(stats, categories), stats: pqStatsToJSON(stats), workers, pngDecodes }
}
