// A decoded COCO-panoptic PNG: one segment id per pixel, id = R + 256*G + 256^2*B, 0 = VOID
// (panopticapi utils.rgb2id; reference/pix2cap.md §3). Row-major, index = y * width + x.

/** Segment ids of every pixel of one panoptic PNG. */
export interface PanopticMap {
  width: number
  height: number
  ids: Uint32Array
}

/**
 * Undecoded-id pixels: interleaved 8-bit RGB or RGBA bytes; id = R + 256*G + 256^2*B, alpha ignored. Pixel (x, y)
 * starts at byte `offset` + y * `stride` + x * `channels` (defaults 0 and width * channels: tightly packed), which
 * lets a PNG decoder hand over its inflated rows, filter-type bytes included, without copying them.
 */
export interface RgbPixels {
  width: number
  height: number
  channels: number
  data: Uint8Array
  stride?: number
  offset?: number
  /** Optional hint from the decoder: sameAsAbove[y] === 1 when row y's bytes equal row y-1's (rows then count alike). */
  sameAsAbove?: Uint8Array
}

/** The id value of unlabelled pixels. */
export const VOID_ID = 0

/** Pixel-derived geometry of one segment. `bbox` is COCO [x, y, w, h] with w = maxX - minX + 1. */
export interface SegmentGeometry {
  id: number
  area: number
  bbox: [number, number, number, number]
}
