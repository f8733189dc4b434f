// Decode one panoptic PNG and measure its segments: the CPU-heavy half of verifyMasks, run in a worker
// (mask-worker.ts) or in-process. Returns plain data (structured-clone friendly); never throws for a bad PNG.
import { access } from 'node:fs/promises'
import sharp, { type OutputInfo } from 'sharp'
import { rlesFromIds } from '../../geometry/coco-rle.js'
import type { SegmentGeometry } from '../../geometry/panoptic-map.js'
import { segmentGeometryRgb } from '../../geometry/segment-geometry.js'
import type { CocoRle } from '../../records/region-record.js'
import { rgbToIds } from './panoptic-png.js'

/** What one PNG holds, or why it could not be read. */
export type DecodedMask =
  | { ok: true; width: number; height: number; geometry: SegmentGeometry[]; rle?: [number, CocoRle][] }
  | { ok: false; missing: boolean; channels?: number; message: string }

/** Decodes `pngPath` and returns every segment's area and box (and RLE when asked). */
export async function decodeMaskGeometry(pngPath: string, withRle: boolean): Promise<DecodedMask> {
  let pixels: { data: Buffer; info: OutputInfo }
  try {
    pixels = await sharp(pngPath).raw().toBuffer({ resolveWithObject: true })
  } catch (err) {
    const missing = await access(pngPath).then(
      () => false,
      () => true,
    )
    return { ok: false, missing, message: (err as Error).message }
  }
  const { data, info } = pixels
  if (info.channels < 3) {
    return { ok: false, missing: false, channels: info.channels, message: `has ${info.channels} channel(s); expected RGB (id = R + 256*G + 256^2*B)` }
  }
  const geometry = [...segmentGeometryRgb(data, info.width, info.height, info.channels).values()]
  const out: DecodedMask = { ok: true, width: info.width, height: info.height, geometry }
  if (withRle) {
    const ids = rgbToIds(data, info.width, info.height, info.channels)
    out.rle = [...rlesFromIds({ width: info.width, height: info.height, ids })]
  }
  return out
}
