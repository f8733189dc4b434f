// Filled shapes rasterised into a segment-id map (and optionally an RGB image), for the bundled sample
// (scripts/make-sample.ts) and the synthetic bench set (bench/synth.ts). A pixel belongs to a shape when its centre
// (x + 0.5, y + 0.5) is inside; plain float arithmetic, so every machine draws the same pixels.
import { readFileSync } from 'node:fs'
import { z } from 'zod'

/** A shape in pixel coordinates. */
export type Shape =
  | { kind: 'rect'; x0: number; y0: number; x1: number; y1: number }
  | { kind: 'ellipse'; cx: number; cy: number; rx: number; ry: number }
  | { kind: 'triangle'; pts: [[number, number], [number, number], [number, number]] }

/** Bounding range of a shape (may extend past the image; drawShape clips). */
function extent(s: Shape): { x0: number; y0: number; x1: number; y1: number } {
  switch (s.kind) {
    case 'rect':
      return s
    case 'ellipse':
      return { x0: s.cx - s.rx, y0: s.cy - s.ry, x1: s.cx + s.rx, y1: s.cy + s.ry }
    case 'triangle': {
      const xs = s.pts.map((p) => p[0])
      const ys = s.pts.map((p) => p[1])
      return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) }
    }
  }
}

/** Whether the point (px, py) lies inside the shape. */
export function contains(s: Shape, px: number, py: number): boolean {
  switch (s.kind) {
    case 'rect':
      return px >= s.x0 && px < s.x1 && py >= s.y0 && py < s.y1
    case 'ellipse': {
      const dx = (px - s.cx) / s.rx
      const dy = (py - s.cy) / s.ry
      return dx * dx + dy * dy <= 1
    }
    case 'triangle': {
      const [[ax, ay], [bx, by], [cx, cy]] = s.pts
      const d1 = (px - bx) * (ay - by) - (ax - bx) * (py - by)
      const d2 = (px - cx) * (by - cy) - (bx - cx) * (py - cy)
      const d3 = (px - ax) * (cy - ay) - (cx - ax) * (py - ay)
      const neg = d1 < 0 || d2 < 0 || d3 < 0
      const pos = d1 > 0 || d2 > 0 || d3 > 0
      return !(neg && pos)
    }
  }
}

/** Paints `id` into every pixel of `ids` (row-major) covered by the shape, and `rgb` into `image` when given. */
export function drawShape(
  ids: Uint32Array,
  width: number,
  height: number,
  s: Shape,
  id: number,
  image?: { data: Uint8Array; rgb: readonly [number, number, number] },
): void {
  const e = extent(s)
  const xa = Math.max(0, Math.floor(e.x0))
  const xb = Math.min(width - 1, Math.ceil(e.x1))
  const ya = Math.max(0, Math.floor(e.y0))
  const yb = Math.min(height - 1, Math.ceil(e.y1))
  for (let y = ya; y <= yb; y++) {
    for (let x = xa; x <= xb; x++) {
      if (!contains(s, x + 0.5, y + 0.5)) continue
      const i = y * width + x
      ids[i] = id
      if (image !== undefined) {
        image.data[i * 3] = image.rgb[0]
        image.data[i * 3 + 1] = image.rgb[1]
        image.data[i * 3 + 2] = image.rgb[2]
      }
    }
  }
}

const Category = z.object({
  id: z.number().int(),
  name: z.string(),
  supercategory: z.string(),
  isthing: z.union([z.literal(0), z.literal(1)]),
  color: z.tuple([z.number(), z.number(), z.number()]),
})
/** One COCO panoptic category (panopticapi panoptic_coco_categories.json). */
export type Category = z.infer<typeof Category>

/** The 133 COCO panoptic categories (80 things, 53 stuff), copied from panopticapi's panoptic_coco_categories.json. */
export function cocoPanopticCategories(): Category[] {
  const file = new URL('./coco-panoptic-categories.json', import.meta.url)
  return z.array(Category).parse(JSON.parse(readFileSync(file, 'utf8')))
}
