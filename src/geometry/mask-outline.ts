// Outlines of chosen segments of a panoptic map, at a display size: the map is sampled nearest-neighbour down to
// `width` x `height` first and the outline found there, so a one-pixel line stays one pixel after scaling (an
// outline found at full size and then shrunk would fade or vanish). Pure: no fs, no sharp.
import type { PanopticMap } from './panoptic-map.js'

/** Per display pixel: 0, or 1 + the index in `segmentIds` of the segment whose border passes there. */
export interface SegmentOutline {
  width: number
  height: number
  labels: Uint8Array
}

/** Border pixels of `segmentIds` (at most 255 of them): a pixel of a segment with a 4-neighbour outside it. */
export function segmentOutline(map: PanopticMap, segmentIds: readonly number[], width: number, height: number): SegmentOutline {
  const index = new Map<number, number>()
  segmentIds.slice(0, 255).forEach((id, k) => {
    if (!index.has(id)) index.set(id, k + 1)
  })
  const w = Math.max(1, Math.round(width))
  const h = Math.max(1, Math.round(height))
  const small = new Uint32Array(w * h)
  for (let y = 0; y < h; y++) {
    const sy = Math.min(map.height - 1, Math.floor(((y + 0.5) * map.height) / h))
    for (let x = 0; x < w; x++) {
      const sx = Math.min(map.width - 1, Math.floor(((x + 0.5) * map.width) / w))
      small[y * w + x] = map.ids[sy * map.width + sx] as number
    }
  }
  const labels = new Uint8Array(w * h)
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x
      const id = small[i] as number
      const label = index.get(id)
      if (label === undefined) continue
      const edge = x === 0 || y === 0 || x === w - 1 || y === h - 1 || small[i - 1] !== id || small[i + 1] !== id || small[i - w] !== id || small[i + w] !== id
      if (edge) labels[i] = label
    }
  }
  return { width: w, height: h, labels }
}
