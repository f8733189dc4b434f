// COCO run-length encoding of binary masks, as pycocotools writes it (common/maskApi.c, PythonAPI/pycocotools/mask.py):
// - `size` is [height, width];
// - runs are taken in column-major (Fortran) order, index = x * height + y, and alternate zeros, ones, zeros, ...,
//   starting with the count of zeros (0 when the first pixel is set); a trailing zeros run is kept, a trailing ones run
//   ends the list;
// - `counts` is the compressed string of rle-counts.ts; uncompressed RLE (a number list, COCO crowd annotations) is
//   accepted on input.
// Masks handed in and out here are row-major (index = y * width + x), like PanopticMap.
import type { CocoRle } from '../records/region-record.js'
import { VOID_ID, type PanopticMap } from './panoptic-map.js'
import { decodeRleCounts, encodeRleCounts } from './rle-counts.js'

/** A COCO RLE as it may appear in a file: compressed string counts or an uncompressed list. */
export interface CocoRleInput {
  size: readonly [number, number] | readonly number[]
  counts: string | readonly number[]
}

/** Column-major runs (zeros first) of the pixels for which `inside(i)` holds; `i` is a row-major index. */
function columnMajorRuns(width: number, length: number, inside: (i: number) => boolean): number[] {
  const runs: number[] = []
  let state = false
  let run = 0
  for (let x = 0; x < width; x++) {
    for (let i = x; i < length; i += width) {
      if (inside(i) !== state) {
        runs.push(run)
        run = 0
        state = !state
      }
      run++
    }
  }
  runs.push(run)
  return runs
}

/** RLE of the pixels of one segment id of a panoptic map (pycocotools-compatible compressed counts). */
export function rleFromIds(map: PanopticMap, segmentId: number): CocoRle {
  const { width: w, height: h, ids } = map
  return { size: [h, w], counts: encodeRleCounts(columnMajorRuns(w, ids.length, (i) => ids[i] === segmentId)) }
}

/** RLEs of every non-VOID segment of a panoptic map, in one column-major pass. */
export function rlesFromIds(map: PanopticMap): Map<number, CocoRle> {
  const { width: w, height: h, ids } = map
  const n = w * h
  const state = new Map<number, { runs: number[]; end: number }>()
  // A maximal run of one id in column-major order becomes a ones run of that segment, preceded by the zeros
  // since the segment's previous run ended.
  const close = (id: number, start: number, end: number): void => {
    if (id === VOID_ID || end === start) return
    let s = state.get(id)
    if (s === undefined) {
      s = { runs: [], end: 0 }
      state.set(id, s)
    }
    s.runs.push(start - s.end, end - start)
    s.end = end
  }
  let prev = -1
  let start = 0
  let k = 0
  for (let x = 0; x < w; x++) {
    for (let i = x; i < n; i += w, k++) {
      const id = ids[i] as number
      if (id !== prev) {
        close(prev, start, k)
        prev = id
        start = k
      }
    }
  }
  close(prev, start, n)
  const out = new Map<number, CocoRle>()
  for (const [id, s] of state) {
    if (s.end < n) s.runs.push(n - s.end)
    out.set(id, { size: [h, w], counts: encodeRleCounts(s.runs) })
  }
  return out
}

/** RLE of a row-major binary mask (any non-zero byte is inside). */
export function rleEncode(mask: Uint8Array, width: number, height: number): CocoRle {
  if (mask.length !== width * height) {
    throw new RangeError(`mask has ${mask.length} pixels; expected width*height = ${width}*${height}`)
  }
  return { size: [height, width], counts: encodeRleCounts(columnMajorRuns(width, mask.length, (i) => mask[i] !== 0)) }
}

/** Run lengths of an RLE, checked to cover exactly height*width pixels. */
export function rleRuns(rle: CocoRleInput): { height: number; width: number; runs: number[] } {
  const [height, width] = rle.size
  if (height === undefined || width === undefined || rle.size.length !== 2) {
    throw new Error(`RLE size ${JSON.stringify(rle.size)} must be [height, width]`)
  }
  const runs = typeof rle.counts === 'string' ? decodeRleCounts(rle.counts) : [...rle.counts]
  let total = 0
  for (const r of runs) {
    if (!(r >= 0)) throw new Error(`RLE has a negative run length ${r}`)
    total += r
  }
  if (total !== height * width) {
    throw new Error(`RLE runs cover ${total} pixels; size [${height}, ${width}] has ${height * width}`)
  }
  return { height, width, runs }
}

/** Decodes an RLE to a row-major binary mask (1 inside, 0 outside). */
export function rleDecode(rle: CocoRleInput): { width: number; height: number; mask: Uint8Array } {
  const { height, width, runs } = rleRuns(rle)
  const mask = new Uint8Array(height * width)
  let k = 0
  for (let r = 0; r < runs.length; r++) {
    const len = runs[r] as number
    if (r % 2 === 1) {
      for (let j = k; j < k + len; j++) {
        const x = Math.floor(j / height)
        mask[(j - x * height) * width + x] = 1
      }
    }
    k += len
  }
  return { width, height, mask }
}

/** Pixel count of an RLE (pycocotools rleArea: the sum of the ones runs). */
export function rleArea(rle: CocoRleInput): number {
  const { runs } = rleRuns(rle)
  let area = 0
  for (let r = 1; r < runs.length; r += 2) area += runs[r] as number
  return area
}

/**
 * Tight COCO box [x, y, w, h] of an RLE, w = maxX - minX + 1 (pycocotools rleToBbox); [0, 0, 0, 0] when empty.
 * As in pycocotools, a ones run that wraps into a later column makes the box span the full height (exact whenever
 * the run covers a whole column, and pycocotools' own answer otherwise).
 */
export function rleToBbox(rle: CocoRleInput): [number, number, number, number] {
  const { height, runs } = rleRuns(rle)
  let minX = Infinity
  let minY = Infinity
  let maxX = -1
  let maxY = -1
  let k = 0
  for (let r = 0; r < runs.length; r++) {
    const len = runs[r] as number
    if (r % 2 === 1 && len > 0) {
      const first = k
      const last = k + len - 1
      const x0 = Math.floor(first / height)
      const x1 = Math.floor(last / height)
      const y0 = first - x0 * height
      const y1 = last - x1 * height
      minX = Math.min(minX, x0)
      maxX = Math.max(maxX, x1)
      if (x1 > x0) {
        minY = 0
        maxY = height - 1
      } else {
        minY = Math.min(minY, y0)
        maxY = Math.max(maxY, y1)
      }
    }
    k += len
  }
  return maxX < 0 ? [0, 0, 0, 0] : [minX, minY, maxX - minX + 1, maxY - minY + 1]
}
