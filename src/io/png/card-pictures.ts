// The dataset card's pictures as PNG bytes: histograms (SVG from hub/histogram-svg.ts) and the example row's image with
// its regions boxed and numbered (the same overlay as `pixcap preview`, io/png/preview-svg.ts). sharp lives here.
import { readFile } from 'node:fs/promises'
import type { Sharp } from 'sharp'
import { loadSharp } from './load-sharp.js'
import { regionOverlaySvg } from './preview-svg.js'
import { resolveInside } from '../input/safe-path.js'

/** Rasterises an SVG document to PNG. */
export async function svgToPng(svg: string): Promise<Buffer> {
  const sharp = await loadSharp()
  return sharp(Buffer.from(svg)).png().toBuffer()
}

/** One region to draw: pixel box [x, y, w, h] and a label. */
export interface ExampleRegion {
  bbox: [number, number, number, number]
  category: string
}

/** Where the example's photo comes from: embedded bytes, or a path under an images root. */
export type ExamplePhoto = { bytes: Uint8Array } | { imagesDir: string; path: string; where: { file: string; path: (string | number)[] } } | null

/**
 * The example row's picture. Without a readable photo (no --images-dir, or the file is gone) the boxes are drawn on a
 * neutral canvas of the image's size, and `photo: false` says so, so the card can tell the reader.
 */
export async function renderExamplePicture(o: { photo: ExamplePhoto; width: number; height: number; regions: readonly ExampleRegion[] }): Promise<{ png: Buffer; photo: boolean }> {
  const sharp = await loadSharp()
  let base: Sharp | null = null
  if (o.photo && 'bytes' in o.photo) base = sharp(o.photo.bytes)
  else if (o.photo) {
    const file = resolveInside(o.photo.imagesDir, o.photo.path, o.photo.where)
    const bytes = await readFile(file).catch(() => null)
    if (bytes) base = sharp(bytes)
  }
  const photo = base !== null
  const canvas = base
    ? base.removeAlpha().resize(o.width, o.height, { fit: 'fill' })
    : sharp({ create: { width: o.width, height: o.height, channels: 3, background: { r: 236, g: 236, b: 236 } } })
  const overlay = regionOverlaySvg(o.width, o.height, o.regions.map((r) => ({ bbox: r.bbox, category: r.category, isCrowd: false })))
  const png = await canvas.composite([{ input: Buffer.from(overlay) }]).png().toBuffer()
  return { png, photo }
}
