// Decode one panoptic PNG and measure its segments: the CPU-heavy half of verifyMasks, run in a worker
// (mask-worker.ts) or in-process. Returns plain data (structured-clone friendly); never throws for a bad PNG.
// COCO-panoptic PNGs (8-bit RGB/RGBA, not interlaced) are decoded by the project's own synchronous decoder
// (png-rgb8.ts, the one the PQ evaluation uses: ~10x cheaper than sharp on these files and no libuv hand-off), into
// a scratch buffer this thread reuses; any other PNG, or one that decoder refuses, goes to sharp, which decodes it or
// says why not in its own words.
import { readFileSync } from 'node:fs'
import { rlesFromIds } from '../../geometry/coco-rle.js'
import type { SegmentGeometry } from '../../geometry/panoptic-map.js'
import { segmentGeometryRgb } from '../../geometry/segment-geometry.js'
import type { CocoRle } from '../../records/region-record.js'
import { rgbToIds } from './rgb-ids.js'
import { decodeRgb8Png, PngScratch } from './png-rgb8.js'
import { loadSharp } from './load-sharp.js'

/** What one PNG holds, or why it could not be read. */
export type DecodedMask =
  | { ok: true; width: number; height: number; geometry: SegmentGeometry[]; rle?: [number, CocoRle][] }
  | { ok: false; missing: boolean; channels?: number; message: string }

// This thread's pixel buffer, reused from PNG to PNG: safe because the fast path runs from decode to geometry
// without yielding, so no other decode on this thread can overwrite it meanwhile.
const scratch = new PngScratch()

/** Decodes `pngPath` and returns every segment's area and box (and RLE when asked). */
export async function decodeMaskGeometry(pngPath: string, withRle: boolean): Promise<DecodedMask> {
  let bytes: Buffer
  try {
    bytes = readFileSync(pngPath)
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    return { ok: false, missing: e.code === 'ENOENT' || e.code === 'ENOTDIR', message: e.message }
  }
  const fast = decodeRgb8Png(bytes, scratch)
  if (fast !== null) {
    // The geometry pass reads the rows where the decoder left them (each after its filter-type byte) and takes its
    // same-as-above hints; only RLE needs interleaved pixels, so only then are the gaps closed (in place, moving left,
    // rows in order, so nothing is overwritten before it is moved).
    const geometry = [...segmentGeometryRgb(fast).values()]
    if (!withRle) return { ok: true, width: fast.width, height: fast.height, geometry }
    const { width, height, channels, data } = fast
    const row = width * channels
    const stride = fast.stride ?? row
    const offset = fast.offset ?? 0
    if (stride !== row || offset !== 0) for (let y = 0; y < height; y++) data.copyWithin(y * row, y * stride + offset, y * stride + offset + row)
    return { ok: true, width, height, geometry, rle: rlesOf(data.subarray(0, row * height), width, height, channels) }
  }
  let pixels: { data: Buffer; info: { width: number; height: number; channels: number } }
  try {
    const sharp = await loadSharp()
    pixels = await sharp(bytes).raw().toBuffer({ resolveWithObject: true })
  } catch (err) {
    return { ok: false, missing: false, message: (err as Error).message }
  }
  const { data, info } = pixels
  if (info.channels < 3) {
    return { ok: false, missing: false, channels: info.channels, message: `has ${info.channels} channel(s); expected RGB (id = R + 256*G + 256^2*B)` }
  }
  return measure(data, info.width, info.height, info.channels, withRle)
}

function measure(data: Uint8Array, width: number, height: number, channels: number, withRle: boolean): DecodedMask {
  const geometry = [...segmentGeometryRgb({ data, width, height, channels }).values()]
  const out: DecodedMask = { ok: true, width, height, geometry }
  if (withRle) out.rle = rlesOf(data, width, height, channels)
  return out
}

function rlesOf(data: Uint8Array, width: number, height: number, channels: number): [number, CocoRle][] {
  return [...rlesFromIds({ width, height, ids: rgbToIds(data, width, height, channels) })]
}
