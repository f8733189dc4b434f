// Visual-prompt shapes as pixel coverage (pure: no fs, no sharp). io/png/draw-prompts.ts paints the coverage in one
// opaque colour onto the image; formats/vip-llava.ts decides the shapes. Rasterised here rather than by an SVG
// renderer so the drawn pixels are exact (no anti-aliasing): a test can find the colour along the outline and
// nowhere else. Shapes follow ViP-LLaVA's drawing functions (mu-cai/ViP-LLaVA llava/visual_prompt_generator.py:
// draw_rectangle L89, draw_ellipse L94, draw_arrow L37, draw_scribble L217, draw_mask_contour L248).
import type { CocoRle } from '../records/region-record.js'
import { rleDecode } from './coco-rle.js'

/** An RGB colour. */
export type Rgb = readonly [number, number, number]
/** A point in pixel coordinates (pixel centres at +0.5). */
export type Point = readonly [number, number]

/** One shape drawn onto an image, in source-image pixels. */
export type PromptShape =
  /** Outline of the pixel box [x1, x2) x [y1, y2), `width` pixels thick, drawn inside the box (PIL rectangle width). */
  | { kind: 'rectangle'; xyxy: readonly [number, number, number, number]; color: Rgb; width: number }
  /** Outline of the ellipse with centre (cx, cy) and radii (rx, ry), `width` pixels thick inward. */
  | { kind: 'ellipse'; cx: number; cy: number; rx: number; ry: number; color: Rgb; width: number }
  /** A stroked polyline, `width` pixels wide. */
  | { kind: 'polyline'; points: readonly Point[]; color: Rgb; width: number }
  /** A filled polygon (the arrow head). */
  | { kind: 'polygon'; points: readonly Point[]; color: Rgb }
  /** The segment's outline: mask pixels with a 4-neighbour outside the mask (or the image), grown by width - 1. */
  | { kind: 'mask-contour'; rle: CocoRle; color: Rgb; width: number }

/** A drawing job: read `source` (relative to the images root), draw `shapes` in order, write PNG `output` (relative to the corpus). */
export interface ImageRender {
  source: string
  output: string
  shapes: PromptShape[]
}

/** Coverage (1 = painted) of one shape on a width x height image, row-major. */
export function shapeCoverage(shape: PromptShape, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height)
  const set = (x: number, y: number): void => {
    if (x >= 0 && y >= 0 && x < width && y < height) out[y * width + x] = 1
  }
  switch (shape.kind) {
    case 'rectangle': {
      const [x1, y1, x2, y2] = shape.xyxy.map(Math.round) as [number, number, number, number]
      const w = shape.width
      for (let y = y1; y < y2; y++) for (let x = x1; x < x2; x++) if (x < x1 + w || x >= x2 - w || y < y1 + w || y >= y2 - w) set(x, y)
      break
    }
    case 'ellipse': {
      const { cx, cy, rx, ry } = shape
      const irx = Math.max(0, rx - shape.width)
      const iry = Math.max(0, ry - shape.width)
      for (let y = Math.floor(cy - ry); y <= Math.ceil(cy + ry); y++) {
        for (let x = Math.floor(cx - rx); x <= Math.ceil(cx + rx); x++) {
          const dx = x + 0.5 - cx
          const dy = y + 0.5 - cy
          const outer = (dx * dx) / (rx * rx) + (dy * dy) / (ry * ry) <= 1
          const inner = irx > 0 && iry > 0 && (dx * dx) / (irx * irx) + (dy * dy) / (iry * iry) < 1
          if (outer && !inner) set(x, y)
        }
      }
      break
    }
    case 'polyline': {
      const r = shape.width / 2
      for (let i = 1; i < shape.points.length; i++) strokeSegment(shape.points[i - 1]!, shape.points[i]!, r, set)
      if (shape.points.length === 1) strokeSegment(shape.points[0]!, shape.points[0]!, r, set)
      break
    }
    case 'polygon': {
      const xs = shape.points.map((p) => p[0])
      const ys = shape.points.map((p) => p[1])
      for (let y = Math.floor(Math.min(...ys)); y <= Math.ceil(Math.max(...ys)); y++) {
        for (let x = Math.floor(Math.min(...xs)); x <= Math.ceil(Math.max(...xs)); x++) if (insidePolygon(x + 0.5, y + 0.5, shape.points)) set(x, y)
      }
      break
    }
    case 'mask-contour': {
      const { mask } = rleDecode(shape.rle)
      const grow = shape.width - 1
      for (const i of maskOutline(mask, width, height)) {
        const x = i % width
        const y = (i - x) / width
        for (let dy = -grow; dy <= grow; dy++) for (let dx = -grow; dx <= grow; dx++) set(x + dx, y + dy)
      }
      break
    }
  }
  return out
}

/** Row-major indices of mask pixels that touch a non-mask pixel or the image border (4-neighbourhood). */
export function maskOutline(mask: Uint8Array, width: number, height: number): number[] {
  const out: number[] = []
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x
      if (mask[i] !== 1) continue
      if (x === 0 || y === 0 || x === width - 1 || y === height - 1 || mask[i - 1] !== 1 || mask[i + 1] !== 1 || mask[i - width] !== 1 || mask[i + width] !== 1) out.push(i)
    }
  }
  return out
}

function strokeSegment(a: Point, b: Point, r: number, set: (x: number, y: number) => void): void {
  const [ax, ay] = a
  const [bx, by] = b
  const vx = bx - ax
  const vy = by - ay
  const len2 = vx * vx + vy * vy
  for (let y = Math.floor(Math.min(ay, by) - r); y <= Math.ceil(Math.max(ay, by) + r); y++) {
    for (let x = Math.floor(Math.min(ax, bx) - r); x <= Math.ceil(Math.max(ax, bx) + r); x++) {
      const px = x + 0.5
      const py = y + 0.5
      const t = len2 === 0 ? 0 : Math.min(1, Math.max(0, ((px - ax) * vx + (py - ay) * vy) / len2))
      const dx = px - (ax + t * vx)
      const dy = py - (ay + t * vy)
      if (dx * dx + dy * dy <= r * r) set(x, y)
    }
  }
}

function insidePolygon(x: number, y: number, pts: readonly Point[]): boolean {
  let inside = false
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const [xi, yi] = pts[i]!
    const [xj, yj] = pts[j]!
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}
