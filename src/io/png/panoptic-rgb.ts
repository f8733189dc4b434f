// Decodes a panoptic PNG to its raw 8-bit RGB(A) bytes without building the id array: the PQ histogram reads ids
// straight from the bytes (metrics/pq/joint-histogram.ts; the RgbPixels type is geometry/panoptic-map.ts). id = R + 256*G + 256^2*B (pix2cap.md §3).
// COCO-panoptic PNGs (8-bit RGB/RGBA, not interlaced) go through the synchronous pure-JS decoder in png-rgb8.ts, which
// is several times cheaper than sharp for them and keeps each evaluation worker on its own thread (sharp would hand
// every decode to the shared libuv/libvips pools). Any other PNG, or one that decoder refuses, is decoded by sharp,
// loaded only then.
import { readFileSync } from 'node:fs'
import type { RgbPixels } from '../../geometry/panoptic-map.js'
import { decodeRgb8Png, type PngScratch } from './png-rgb8.js'
import { loadSharp } from './load-sharp.js'

/** Decodes a PNG with sharp (any layout libvips reads); for what the fast decoder refuses. */
export async function decodeWithSharp(input: string | Uint8Array): Promise<RgbPixels> {
  const sharp = await loadSharp()
  const { data, info } = await sharp(input).raw().toBuffer({ resolveWithObject: true })
  if (info.channels < 3) {
    throw new Error(`panoptic PNG has ${info.channels} channel(s); expected RGB (id = R + 256*G + 256^2*B)`)
  }
  return { width: info.width, height: info.height, channels: info.channels, data }
}

/**
 * Synchronous part of decodePanopticRgb: reads the file and decodes it when the fast decoder can (into `scratch`
 * when given, see PngScratch); otherwise returns the bytes for decodeWithSharp.
 */
export function decodePanopticRgbFast(input: string | Uint8Array, scratch?: PngScratch): { pixels: RgbPixels } | { bytes: Uint8Array } {
  const bytes = typeof input === 'string' ? readFileSync(input) : input
  const pixels = decodeRgb8Png(bytes, scratch)
  return pixels === null ? { bytes } : { pixels }
}

/** Decodes a PNG (path or bytes) to interleaved 8-bit pixels with 3 or 4 channels, in buffers of its own. */
export async function decodePanopticRgb(input: string | Uint8Array): Promise<RgbPixels> {
  const r = decodePanopticRgbFast(input)
  return 'pixels' in r ? r.pixels : decodeWithSharp(r.bytes)
}
