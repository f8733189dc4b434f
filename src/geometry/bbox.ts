// Box conventions. COCO boxes are [x, y, w, h] in pixels; GPT4RoI and most region models take [x1, y1, x2, y2] with
// x2 = x + w (reference/pix2cap.md §3), optionally divided by the image width/height.

/** Any four-number box, read-only (a BBoxXYWH from a record, a literal). */
export type Box4 = readonly [number, number, number, number]
/** `[x, y, w, h]` in pixels (COCO). */
export type BoxXYWH = [number, number, number, number]
/** `[x1, y1, x2, y2]`, x2 = x + w. */
export type BoxXYXY = [number, number, number, number]

/** COCO [x, y, w, h] to [x1, y1, x1 + w, y1 + h]. */
export function xywhToXyxy([x, y, w, h]: Box4): BoxXYXY {
  return [x, y, x + w, y + h]
}

/** [x1, y1, x2, y2] to COCO [x, y, w, h]. */
export function xyxyToXywh([x1, y1, x2, y2]: Box4): BoxXYWH {
  return [x1, y1, x2 - x1, y2 - y1]
}

/** Divides an xyxy box by the image size, so coordinates fall in [0, 1] for boxes inside the image. */
export function normaliseXyxy([x1, y1, x2, y2]: Box4, width: number, height: number): BoxXYXY {
  if (!(width > 0 && height > 0)) throw new RangeError(`image size ${width}x${height} must be positive`)
  return [x1 / width, y1 / height, x2 / width, y2 / height]
}

/** Multiplies a normalised xyxy box back to pixels. */
export function denormaliseXyxy([x1, y1, x2, y2]: Box4, width: number, height: number): BoxXYXY {
  return [x1 * width, y1 * height, x2 * width, y2 * height]
}

/** Area of the overlap of two COCO boxes, treating them as continuous rectangles (pycocotools bbIou). */
export function boxIntersectionXywh(a: Box4, b: Box4): number {
  const w = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0])
  const h = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1])
  return w > 0 && h > 0 ? w * h : 0
}

/** Intersection over union of two COCO [x, y, w, h] boxes (continuous, as pycocotools bbIou without crowd); 0 when both are empty. */
export function boxIouXywh(a: Box4, b: Box4): number {
  const inter = boxIntersectionXywh(a, b)
  const union = a[2] * a[3] + b[2] * b[3] - inter
  return union > 0 ? inter / union : 0
}

/** Intersection over union of two [x1, y1, x2, y2] boxes. */
export function boxIouXyxy(a: Box4, b: Box4): number {
  return boxIouXywh(xyxyToXywh(a), xyxyToXywh(b))
}
