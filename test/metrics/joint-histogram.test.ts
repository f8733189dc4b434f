// The fast raw-bytes histogram (index remapping, 4-pixel word skips inside runs, reuse of repeated rows, padded
// rows) must count exactly like the plain id-map path on label maps of every shape.
import { describe, expect, it } from 'vitest'
import type { PanopticMap } from '../../src/geometry/panoptic-map.js'
import { jointHistogram, type RgbPixels } from '../../src/metrics/pq/joint-histogram.js'
import { createRng, type Rng } from '../../src/util/rng.js'

// Rows of runs over `palette` ids; some rows copy the row above, so row reuse is exercised.
function labelMap(rng: Rng, w: number, h: number, palette: number[], repeat: number): PanopticMap {
  const ids = new Uint32Array(w * h)
  for (let y = 0; y < h; y++) {
    if (y > 0 && rng.next() < repeat) {
      ids.copyWithin(y * w, (y - 1) * w, y * w)
      continue
    }
    let id = palette[rng.int(palette.length)] as number
    for (let x = 0; x < w; x++) {
      if (rng.next() < 0.1) id = palette[rng.int(palette.length)] as number
      ids[y * w + x] = id
    }
  }
  return { width: w, height: h, ids }
}

/** The map as bytes with `channels` per pixel, each row after `pad` junk bytes, plus its repeated-row flags. */
function asRgb(m: PanopticMap, channels: 3 | 4, pad: number, alpha: (i: number) => number): RgbPixels {
  const stride = pad + m.width * channels
  const data = new Uint8Array(stride * m.height).fill(0xab)
  const sameAsAbove = new Uint8Array(m.height)
  for (let y = 0; y < m.height; y++) {
    for (let x = 0; x < m.width; x++) {
      const i = y * m.width + x
      const id = m.ids[i] as number
      const o = y * stride + pad + x * channels
      data[o] = id & 0xff
      data[o + 1] = (id >>> 8) & 0xff
      data[o + 2] = (id >>> 16) & 0xff
      if (channels === 4) data[o + 3] = alpha(i)
    }
    if (y > 0) {
      const row = data.subarray(y * stride + pad, (y + 1) * stride)
      const above = data.subarray((y - 1) * stride + pad, y * stride)
      sameAsAbove[y] = row.every((v, k) => v === above[k]) ? 1 : 0
    }
  }
  return { width: m.width, height: m.height, channels, data, stride, offset: pad, sameAsAbove }
}

describe('jointHistogram on raw bytes', () => {
  it.each([
    { w: 1, h: 9, ids: 3 },
    { w: 7, h: 5, ids: 2 },
    { w: 64, h: 40, ids: 5 },
    { w: 33, h: 30, ids: 150 }, // more distinct ids than the first table size: the table grows
    { w: 200, h: 3, ids: 300 },
  ])('counts like the id map ($w x $h, $ids ids)', ({ w, h, ids }) => {
    const rng = createRng(w * 1000 + h + ids)
    for (let round = 0; round < 4; round++) {
      const palette = Array.from({ length: ids }, () => rng.int(1 << 24))
      palette[0] = 0 // VOID
      const gt = labelMap(rng, w, h, palette, 0.4)
      const pred = labelMap(rng, w, h, palette.map((id, k) => (k % 3 === 0 ? id : rng.int(1 << 24))), 0.4)
      const want = jointHistogram(gt, pred)
      expect(want.reduce((s, c) => s + c.count, 0)).toBe(w * h)
      const constAlpha = () => 255
      const noisyAlpha = (i: number) => (i * 7) & 0xff // alpha is ignored, even when it breaks byte runs
      expect(jointHistogram(asRgb(gt, 3, 0, constAlpha), asRgb(pred, 3, 0, constAlpha))).toEqual(want)
      expect(jointHistogram(asRgb(gt, 3, 1, constAlpha), asRgb(pred, 4, 3, noisyAlpha))).toEqual(want)
      expect(jointHistogram(asRgb(gt, 4, 2, constAlpha), asRgb(pred, 3, 1, constAlpha))).toEqual(want)
      // Without the repeated-row hint the same counts come from scanning every row.
      const { sameAsAbove: _g, ...gtPlain } = asRgb(gt, 3, 1, constAlpha)
      expect(jointHistogram(gtPlain, asRgb(pred, 3, 1, constAlpha))).toEqual(want)
    }
  })
})
