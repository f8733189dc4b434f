import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { segmentGeometry, segmentGeometryRgb } from '../../src/geometry/segment-geometry.js'
import { createRng } from '../../src/util/rng.js'
import type { PanopticMap } from '../../src/geometry/panoptic-map.js'
import { decodePanopticPng } from '../../src/io/png/panoptic-png.js'
import { HAS_SHARED, PANOPTIC_SAMPLE_DIR, PIX2CAP_SAMPLE_JSON } from '../helpers/fixtures.js'

function mapOf(rows: number[][]): PanopticMap {
  return { width: rows[0]?.length ?? 0, height: rows.length, ids: Uint32Array.from(rows.flat()) }
}

/** The same map as interleaved pixels with `channels` bytes each (id = R + 256G + 256^2 B; alpha 255). */
function rgbOf(map: PanopticMap, channels: 3 | 4): Uint8Array {
  const out = new Uint8Array(map.ids.length * channels)
  map.ids.forEach((id, i) => {
    out[i * channels] = id & 0xff
    out[i * channels + 1] = (id >> 8) & 0xff
    out[i * channels + 2] = (id >> 16) & 0xff
    if (channels === 4) out[i * channels + 3] = 255
  })
  return out
}

const cases = [
  {
    name: 'one pixel',
    rows: [
      [0, 0],
      [0, 4],
    ],
    want: { 4: { area: 1, bbox: [1, 1, 1, 1] } },
  },
  {
    name: 'all VOID',
    rows: [[0, 0, 0]],
    want: {},
  },
  {
    name: 'two segments, one split in two parts (box covers both)',
    rows: [
      [1, 1, 0, 2],
      [0, 2, 2, 2],
      [1, 0, 0, 0],
    ],
    want: { 1: { area: 3, bbox: [0, 0, 2, 3] }, 2: { area: 4, bbox: [1, 0, 3, 2] } },
  },
  {
    name: 'a large id (all three bytes used)',
    rows: [
      [0, 0xabcdef],
      [0xabcdef, 0xabcdef],
    ],
    want: { 0xabcdef: { area: 3, bbox: [0, 0, 2, 2] } },
  },
  {
    name: 'repeated rows (the RGB pass reuses the row above)',
    rows: [
      [1, 1, 2],
      [1, 1, 2],
      [0, 3, 3],
      [0, 3, 3],
      [0, 3, 3],
      [1, 1, 2],
    ],
    want: { 1: { area: 6, bbox: [0, 0, 2, 6] }, 2: { area: 3, bbox: [2, 0, 1, 6] }, 3: { area: 6, bbox: [1, 2, 2, 3] } },
  },
  {
    name: 'w = maxX - minX + 1 (COCO)',
    rows: [[0, 9, 9, 9, 0]],
    want: { 9: { area: 3, bbox: [1, 0, 3, 1] } },
  },
]

describe('segmentGeometry', () => {
  it.each(cases)('$name', ({ rows, want }) => {
    const map = mapOf(rows)
    const got = Object.fromEntries([...segmentGeometry(map)].map(([id, g]) => [id, { area: g.area, bbox: g.bbox }]))
    expect(got).toEqual(want)
    for (const channels of [3, 4] as const) {
      expect(segmentGeometryRgb({ data: rgbOf(map, channels), width: map.width, height: map.height, channels })).toEqual(segmentGeometry(map))
    }
  })

  // Random maps with runs of random length (ids whose bytes repeat, like 0x070707, stress the word comparison of the
  // RGB pass), odd widths, repeated rows, and buffers at an unaligned offset (the byte-by-byte fallback).
  it.each([1, 2, 3, 5, 7, 64, 97])('RGB pass equals the id pass on random maps of width %i', (width) => {
    const rng = createRng(width)
    const palette = [0, 1, 0x070707, 0x070708, 0x080707, 0xffffff, 0x00ff00, 123456, 0x010000]
    for (let trial = 0; trial < 20; trial++) {
      const height = 1 + rng.int(12)
      const ids = new Uint32Array(width * height)
      let i = 0
      while (i < ids.length) {
        const id = palette[rng.int(palette.length)] as number
        const len = 1 + rng.int(trial % 2 === 0 ? 4 : 40)
        ids.fill(id, i, Math.min(ids.length, i + len))
        i += len
      }
      for (let y = 1; y < height; y++) if (rng.int(3) === 0) ids.copyWithin(y * width, (y - 1) * width, y * width)
      const map = { width, height, ids }
      const want = segmentGeometry(map)
      for (const channels of [3, 4] as const) {
        const rgb = rgbOf(map, channels)
        expect(segmentGeometryRgb({ data: rgb, width, height, channels })).toEqual(want)
        const shifted = new Uint8Array(rgb.length + 1)
        shifted.set(rgb, 1)
        expect(segmentGeometryRgb({ data: shifted.subarray(1), width, height, channels })).toEqual(want)
        // As a PNG decoder leaves rows (a filter-type byte before each; the bytes there must not matter), with and
        // without the decoder's same-as-above hints.
        const row = width * channels
        const strided = new Uint8Array((row + 1) * height)
        const sameAsAbove = new Uint8Array(height)
        for (let y = 0; y < height; y++) {
          strided[y * (row + 1)] = rng.int(5)
          strided.set(rgb.subarray(y * row, (y + 1) * row), y * (row + 1) + 1)
          sameAsAbove[y] = y > 0 && ids.subarray(y * width, (y + 1) * width).every((v, x) => v === ids[(y - 1) * width + x]) ? 1 : 0
        }
        expect(segmentGeometryRgb({ data: strided, width, height, channels, stride: row + 1, offset: 1 })).toEqual(want)
        expect(segmentGeometryRgb({ data: strided, width, height, channels, stride: row + 1, offset: 1, sameAsAbove })).toEqual(want)
      }
    }
  })

  it('refuses an id array of the wrong length', () => {
    expect(() => segmentGeometry({ width: 2, height: 2, ids: new Uint32Array(3) })).toThrow(
      'panoptic map has 3 ids; expected width*height = 2*2',
    )
  })
})

const Sample = z.object({
  annotations: z.array(
    z.object({
      file_name: z.string(),
      segments_info: z.array(
        z.object({ id: z.number(), area: z.number(), bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]) }),
      ),
    }),
  ),
})

describe.skipIf(!HAS_SHARED)('golden: geometry of the 50 pix2cap_sample_val.json segments', () => {
  it('mask-derived area and bbox equal the JSON, and the PNG holds no other id', async () => {
    const sample = Sample.parse(JSON.parse(readFileSync(PIX2CAP_SAMPLE_JSON, 'utf8')))
    let checked = 0
    for (const ann of sample.annotations) {
      const map = await decodePanopticPng(join(PANOPTIC_SAMPLE_DIR, ann.file_name))
      const geometry = segmentGeometry(map)
      expect([...geometry.keys()].sort()).toEqual(ann.segments_info.map((s) => s.id).sort())
      for (const seg of ann.segments_info) {
        expect(geometry.get(seg.id)).toEqual({ id: seg.id, area: seg.area, bbox: seg.bbox })
        checked++
      }
    }
    expect(checked).toBe(50)
  })
})
