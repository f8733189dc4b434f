// Decodes COCO-panoptic PNGs with sharp: the only place (with other io/ adapters) that touches pixels (STYLE.md §2).
// id = R + 256*G + 256^2*B, 0 = VOID (panopticapi utils.rgb2id; reference/pix2cap.md §3).
import { loadSharp } from './load-sharp.js'
import type { PanopticMap } from '../../geometry/panoptic-map.js'
import { rgbToIds } from './rgb-ids.js'

/** Decodes a panoptic PNG (path or bytes) into per-pixel segment ids. */
export async function decodePanopticPng(input: string | Uint8Array): Promise<PanopticMap> {
  const sharp = await loadSharp()
  const { data, info } = await sharp(input).raw().toBuffer({ resolveWithObject: true })
  if (info.channels < 3) {
    throw new Error(`panoptic PNG has ${info.channels} channel(s); expected RGB (id = R + 256*G + 256^2*B)`)
  }
  return { width: info.width, height: info.height, ids: rgbToIds(data, info.width, info.height, info.channels) }
}

/**
 * Encodes segment ids as an RGB PNG (for generated samples, perturbed test fixtures and predictions). By default
 * every row is stored unfiltered; `adaptiveFiltering` picks a filter per row as PIL does for COCO's own panoptic
 * PNGs (their rows are mostly Up, then Paeth and Sub), which is what a reader decoding real data pays for.
 */
export async function encodePanopticPng(map: PanopticMap, o: { adaptiveFiltering?: boolean } = {}): Promise<Buffer> {
  const sharp = await loadSharp()
  const n = map.width * map.height
  const rgb = Buffer.alloc(n * 3)
  for (let i = 0; i < n; i++) {
    const id = map.ids[i] as number
    rgb[i * 3] = id & 0xff
    rgb[i * 3 + 1] = (id >>> 8) & 0xff
    rgb[i * 3 + 2] = (id >>> 16) & 0xff
  }
  return sharp(rgb, { raw: { width: map.width, height: map.height, channels: 3 } })
    .png({ compressionLevel: 6, adaptiveFiltering: o.adaptiveFiltering ?? false })
    .toBuffer()
}
