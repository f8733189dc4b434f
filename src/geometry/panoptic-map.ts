// A decoded COCO-panoptic PNG: one segment id per pixel, id = R + 256*G + 256^2*B, 0 = VOID
// (panopticapi utils.rgb2id; reference/pix2cap.md §3). Row-major, index = y * width + x.

/** Segment ids of every pixel of one panoptic PNG. */
export interface PanopticMap {
  width: number
  height: number
  ids: Uint32Array
}

/** The id value of unlabelled pixels. */
export const VOID_ID = 0

/** Pixel-derived geometry of one segment. `bbox` is COCO [x, y, w, h] with w = maxX - minX + 1. */
export interface SegmentGeometry {
  id: number
  area: number
  bbox: [number, number, number, number]
}
