// Draws an image's regions so a person can look rather than read: the photo, each segment's mask tinted (when the
// panoptic PNG is given), its box and a numbered label kept inside the picture, and below it a legend from each
// number to its category and caption. sharp does the pixels; the overlay SVG is laid out in io/png/preview-svg.ts.
import type { OverlayOptions } from 'sharp'
import { loadSharp } from './load-sharp.js'
import { previewColor, previewLayout } from './preview-svg.js'
import type { PanopticMap } from '../../geometry/panoptic-map.js'
import type { ImageRecord } from '../../records/region-record.js'
import { decodePanopticPng } from './panoptic-png.js'
import { resolveInside } from '../input/safe-path.js'

/** Options of one preview. */
export interface RegionPreviewOptions {
  image: ImageRecord
  imagesDir: string
  /** With it, masks are tinted as well as boxed. */
  panopticDir?: string
  /** Mask tint opacity, 0..1. */
  maskAlpha?: number
}

/** RGBA layer that tints each region's pixels with its colour. */
function maskTintLayer(map: PanopticMap, segmentIds: readonly number[], alpha: number): Buffer {
  const colour = new Map<number, [number, number, number]>()
  segmentIds.forEach((id, k) => colour.set(id, previewColor(k)))
  const a = Math.round(Math.min(1, Math.max(0, alpha)) * 255)
  const out = Buffer.alloc(map.width * map.height * 4)
  for (let i = 0; i < map.ids.length; i++) {
    const c = colour.get(map.ids[i] as number)
    if (!c) continue
    out[i * 4] = c[0]
    out[i * 4 + 1] = c[1]
    out[i * 4 + 2] = c[2]
    out[i * 4 + 3] = a
  }
  return out
}

/** Renders the preview as PNG bytes: the photo at the top left of a canvas that has room for the legend. */
export async function renderRegionPreview(o: RegionPreviewOptions): Promise<Buffer> {
  const sharp = await loadSharp()
  const { image } = o
  const origin = { file: image.origin?.file ?? 'images', path: [...(image.origin?.path ?? []), 'file_name'] }
  const photo = await sharp(resolveInside(o.imagesDir, image.imagePath, origin)).removeAlpha().png().toBuffer()
  const layout = previewLayout(image.width, image.height, image.regions)
  const layers: OverlayOptions[] = [{ input: photo, top: 0, left: 0 }]
  if (o.panopticDir && image.maskPath) {
    const map = await decodePanopticPng(resolveInside(o.panopticDir, image.maskPath, origin))
    const tint = maskTintLayer(map, image.regions.map((r) => r.segmentId), o.maskAlpha ?? 0.45)
    layers.push({ input: tint, raw: { width: map.width, height: map.height, channels: 4 }, top: 0, left: 0 })
  }
  layers.push({ input: Buffer.from(layout.svg), top: 0, left: 0 })
  const canvas = sharp({ create: { width: layout.width, height: layout.height, channels: 3, background: { r: 255, g: 255, b: 255 } } })
  return canvas.composite(layers).png().toBuffer()
}
