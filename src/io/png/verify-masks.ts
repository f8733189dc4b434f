// Checks every image's panoptic PNG against its JSON entry, the way panopticapi's converters and pq_compute sanity
// checks do (reference/pix2cap.md §3): each segments_info id selects exactly the pixels with that id, every non-VOID id
// in the PNG is listed, and the PNG has the image's size. On top, each segment's bbox and area must equal the
// pixel-derived ones (bbox = tight extent with w = maxX - minX + 1, area = pixel count).
//
// Streaming: at most `concurrency` PNGs are being decoded at once and at most 4x that many images are pulled from the
// input ahead of the consumer (a result waiting for a slower image ahead of it holds only geometry, never pixels);
// results come back in INPUT order.
//
// Every core: by default decode + pixel pass run in a pool of one worker thread per core (mask-worker.ts); the main
// thread only reads the JSON and compares numbers. PNGs are decoded by the project's own synchronous decoder
// (png-rgb8.ts, as the PQ evaluation does; sharp only for PNG kinds it refuses), so each worker is busy with one PNG
// at a time and the pool, not libuv's thread pool, sets the parallelism. `workers: 0` runs in-process.
import { availableParallelism } from 'node:os'
import type { ProgressEvent } from '../../util/progress.js'
import { toJsonPath, type JsonPath } from '../../errors.js'
import type { SegmentGeometry } from '../../geometry/panoptic-map.js'
import type { CocoRle, ImageId, ImageRecord } from '../../records/region-record.js'
import { decodeMaskGeometry, type DecodedMask } from './mask-decode.js'
import { resolveInside } from '../input/safe-path.js'
import { createWorkerPool, workerModuleUrl, type WorkerPool } from '../workers/worker-pool.js'

/** What can be wrong between a panoptic PNG and its JSON entry. */
export type MaskIssueKind =
  | 'png_missing'
  | 'png_unreadable'
  | 'size_mismatch'
  | 'id_not_in_json'
  | 'segment_not_in_png'
  | 'bbox_mismatch'
  | 'area_mismatch'

/**
 * One disagreement. `file` + `path` point at the JSON value that disagrees (for `png_unreadable`: the PNG itself,
 * path []); `message` starts with the rendered path, e.g.
 * `annotations[0].segments_info[3].bbox: JSON says [282, 207, 48, 149], mask extent is [282, 207, 49, 149]`.
 */
export interface MaskIssue {
  imageId: ImageId
  segmentId?: number
  kind: MaskIssueKind
  path: (string | number)[]
  file: string
  expected?: unknown
  found?: unknown
  message: string
}

/** The verdict for one image: the PNG's segments (JSON order first, then unlisted ids ascending) and the issues. */
export interface MaskCheck {
  imageId: ImageId
  geometry: SegmentGeometry[]
  /** Every PNG segment's COCO RLE, when `withRle` was asked for. */
  rle?: Record<number, CocoRle>
  issues: MaskIssue[]
}

/** Options of verifyMasks. */
export interface VerifyMasksOptions {
  /** Root that `ImageRecord.maskPath` is relative to (e.g. `<coco>/panoptic_val2017`). */
  panopticDir: string
  /** Images in flight at once; default DEFAULT_MASK_CONCURRENCY, or 2 per worker thread when that is more. */
  concurrency?: number
  /**
   * Worker threads for decode + pixel pass; 0 = in-process. Default: one per core on a multi-core machine (0 on one
   * core), started after the first 16 images; an explicit number starts them at once.
   */
  workers?: number
  onProgress?: (e: ProgressEvent) => void
  /** Also encode every segment as COCO RLE (one extra column-major pass). */
  withRle?: boolean
}

/** Default number of images in flight on a machine of up to 2 cores (more cores: 2 per worker thread). */
export const DEFAULT_MASK_CONCURRENCY = 4

/** Verifies the panoptic PNG of every image against its segments; yields one MaskCheck per image, in input order. */
export async function* verifyMasks(
  images: AsyncIterable<ImageRecord> | Iterable<ImageRecord>,
  opts: VerifyMasksOptions,
): AsyncGenerator<MaskCheck> {
  const workers = Math.max(0, Math.floor(opts.workers ?? defaultMaskWorkers()))
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? Math.max(DEFAULT_MASK_CONCURRENCY, 2 * workers)))
  // Decodes are limited to `concurrency`; finished results (geometry only, pixels already dropped) may wait a little
  // for a slower image ahead of them, so that one slow PNG does not stall the other decode slots.
  const window = concurrency * REORDER_FACTOR
  const slots = createSlots(concurrency)
  // Asked-for workers start at once; by default the pool starts only once the input proves longer than a handful of
  // images, so small runs (tests, one-image checks) do not pay the threads' start-up.
  const poolAfter = opts.workers === undefined ? POOL_AFTER_IMAGES : 0
  let pool: WorkerPool<DecodeTask, DecodedMask> | undefined
  let started = 0
  const decode = (task: DecodeTask): Promise<DecodedMask> => {
    if (workers > 0 && ++started > poolAfter) {
      pool ??= createWorkerPool<DecodeTask, DecodedMask>(workerModuleUrl(import.meta.url, 'mask-worker'), Math.min(workers, concurrency))
      return pool.run(task)
    }
    return decodeMaskGeometry(task.pngPath, task.withRle)
  }
  const total = Array.isArray(images) ? images.length : undefined
  const pending: Promise<MaskCheck>[] = []
  let done = 0
  const source = Symbol.asyncIterator in images ? images : toAsync(images)
  const it = source[Symbol.asyncIterator]()
  let exhausted = false
  try {
    for (;;) {
      while (!exhausted && pending.length < window) {
        const next = await it.next()
        if (next.done === true) exhausted = true
        else pending.push(slots.run(() => checkImage(next.value, opts, decode)))
      }
      const head = pending.shift()
      if (head === undefined) break
      const result = await head
      done++
      opts.onProgress?.({ kind: 'progress', stage: 'masks', done, ...(total === undefined ? {} : { total }) })
      yield result
    }
  } finally {
    // Consumer stopped early or a check threw: let in-flight decodes settle so no rejection goes unhandled.
    await Promise.allSettled(pending)
    await pool?.close()
    if (!exhausted) await it.return?.()
  }
}

interface DecodeTask {
  pngPath: string
  withRle: boolean
}

/** Worker threads verifyMasks starts unless told otherwise: one per core on a multi-core machine, none on one core. */
export function defaultMaskWorkers(): number {
  const cores = availableParallelism()
  return cores >= 2 ? cores : 0
}

/** Images decoded in-process before the default worker pool starts. */
const POOL_AFTER_IMAGES = 16

/** Images pulled ahead of the one being yielded, per decode slot. */
const REORDER_FACTOR = 4

/** A counting semaphore: `run` starts `task` once fewer than `n` are running. */
function createSlots(n: number): { run<T>(task: () => Promise<T>): Promise<T> } {
  let active = 0
  const waiting: (() => void)[] = []
  return {
    async run<T>(task: () => Promise<T>): Promise<T> {
      if (active >= n) await new Promise<void>((resolve) => waiting.push(resolve))
      active++
      try {
        return await task()
      } finally {
        active--
        waiting.shift()?.()
      }
    },
  }
}

async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items
}

async function checkImage(
  image: ImageRecord,
  opts: VerifyMasksOptions,
  decode: (task: DecodeTask) => Promise<DecodedMask>,
): Promise<MaskCheck> {
  const file = image.origin?.file ?? image.source
  const imagePath: JsonPath = image.origin?.path ?? []
  const issues: MaskIssue[] = []
  const issue = (i: Omit<MaskIssue, 'imageId' | 'message' | 'file' | 'path'> & { path: JsonPath; file?: string }, detail: string): void => {
    const path = [...i.path]
    issues.push({ imageId: image.imageId, ...i, file: i.file ?? file, path, message: path.length > 0 ? `${toJsonPath(path)}: ${detail}` : detail })
  }
  const result: MaskCheck = { imageId: image.imageId, geometry: [], issues }
  if (image.maskPath === undefined) {
    issue({ kind: 'png_missing', path: imagePath }, `image ${image.imageId} has no panoptic PNG (no file_name)`)
    return result
  }
  const pngPath = resolveInside(opts.panopticDir, image.maskPath, { file, path: [...imagePath, 'file_name'] })

  const decoded = await decode({ pngPath, withRle: opts.withRle === true })
  if (!decoded.ok) {
    if (decoded.missing) {
      issue({ kind: 'png_missing', path: [...imagePath, 'file_name'], expected: pngPath }, `panoptic PNG ${pngPath} does not exist`)
    } else if (decoded.channels !== undefined) {
      issue(
        { kind: 'png_unreadable', path: [], file: pngPath, expected: 3, found: decoded.channels },
        `panoptic PNG ${pngPath} ${decoded.message}`,
      )
    } else {
      issue({ kind: 'png_unreadable', path: [], file: pngPath }, `cannot decode panoptic PNG ${pngPath}: ${decoded.message}`)
    }
    return result
  }
  const { width, height } = decoded
  const sizeOk = width === image.width && height === image.height
  if (!sizeOk) {
    issue(
      { kind: 'size_mismatch', path: imagePath, expected: [image.width, image.height], found: [width, height] },
      `panoptic PNG ${pngPath} is ${width}x${height}; the image is ${image.width}x${image.height}`,
    )
  }

  const geometry = new Map(decoded.geometry.map((g) => [g.id, g]))
  if (decoded.rle !== undefined) result.rle = Object.fromEntries(decoded.rle)

  const listed = new Set<number>()
  for (const [index, region] of image.regions.entries()) {
    const regionPath: JsonPath = region.origin?.path ?? [...imagePath, 'segments_info', index]
    const regionFile = region.origin?.file ?? file
    const segmentId = region.segmentId
    listed.add(segmentId)
    const g = geometry.get(segmentId)
    if (g === undefined) {
      issue(
        { kind: 'segment_not_in_png', segmentId, path: [...regionPath, 'id'], file: regionFile, expected: segmentId },
        `segment id ${segmentId} ${rgbOf(segmentId)} has no pixels in ${pngPath}`,
      )
      continue
    }
    result.geometry.push(g)
    if (!sizeOk) continue // boxes of a PNG of the wrong size would all disagree; the size issue says it once
    if (!sameBox(region.bbox, g.bbox)) {
      issue(
        { kind: 'bbox_mismatch', segmentId, path: [...regionPath, 'bbox'], file: regionFile, expected: region.bbox, found: g.bbox },
        `JSON says ${fmtBox(region.bbox)}, mask extent is ${fmtBox(g.bbox)}`,
      )
    }
    if (region.area !== g.area) {
      issue(
        { kind: 'area_mismatch', segmentId, path: [...regionPath, 'area'], file: regionFile, expected: region.area, found: g.area },
        `JSON says ${region.area}, mask has ${g.area} pixels`,
      )
    }
  }
  const unlisted = [...geometry.keys()].filter((id) => !listed.has(id)).sort((a, b) => a - b)
  for (const id of unlisted) {
    const g = geometry.get(id) as SegmentGeometry
    result.geometry.push(g)
    issue(
      { kind: 'id_not_in_json', segmentId: id, path: [...imagePath, 'segments_info'], found: g },
      `${pngPath} has id ${id} ${rgbOf(id)} (${g.area} pixels, box ${fmtBox(g.bbox)}) that segments_info does not list`,
    )
  }
  return result
}

function sameBox(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i])
}

function fmtBox(b: readonly number[]): string {
  return `[${b.join(', ')}]`
}

/** `(RGB 220,20,60)`: what a user sees in an image viewer. */
function rgbOf(id: number): string {
  return `(RGB ${id & 0xff},${(id >>> 8) & 0xff},${(id >>> 16) & 0xff})`
}
