import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  rleArea,
  rleDecode,
  rleEncode,
  rleFromIds,
  rlesFromIds,
  rleToBbox,
} from '../../src/geometry/coco-rle.js'
import { decodeRleCounts, encodeRleCounts } from '../../src/geometry/rle-counts.js'
import { segmentGeometry } from '../../src/geometry/segment-geometry.js'
import type { PanopticMap } from '../../src/geometry/panoptic-map.js'
import { decodePanopticPng } from '../../src/io/png/panoptic-png.js'
import { COCO_SAMPLE_DIR, HAS_SHARED, PANOPTIC_SAMPLE_DIR } from '../helpers/fixtures.js'

/** Builds a map from rows of ids. */
function mapOf(rows: number[][]): PanopticMap {
  const height = rows.length
  const width = rows[0]?.length ?? 0
  return { width, height, ids: Uint32Array.from(rows.flat()) }
}

describe('rle counts string', () => {
  // Expected strings worked out by hand from the algorithm in rle-counts.ts (pycocotools rleToString):
  // [3, 1, 2] -> '3' (3+48=51), '1', '2'; runs past index 2 are stored as differences to runs[i-2].
  it.each([
    { runs: [3, 1, 2], want: '312' },
    { runs: [0, 4], want: '04' },
    { runs: [31], want: 'o0' }, // chunk 31 has the sign bit 0x10, so it gets 0x20 and a 0 chunk follows: 63+48, 0+48
    { runs: [16], want: '`0' }, // likewise 16 | 0x20 = 48 -> '`'
    { runs: [15], want: '?' },
    { runs: [1, 2, 3, 1], want: '123O' }, // i = 3: 1 - 2 = -1 -> chunk 31, sign set, stop: 31+48 = 'O'
    { runs: [307200], want: 'PP\\9' }, // chunks 0, 0, 12, 9 (low first): 'P' 'P' 12|0x20+48 '9'
  ])('encodes $runs as $want', ({ runs, want }) => {
    expect(encodeRleCounts(runs)).toBe(want)
    expect(decodeRleCounts(want)).toEqual(runs)
  })

  it('round-trips long run lists with large and negative deltas', () => {
    const runs = [0, 1, 500000, 3, 2, 99999, 7, 0, 1, 1, 123456789]
    expect(decodeRleCounts(encodeRleCounts(runs))).toEqual(runs)
  })

  it('refuses a string that ends inside a number or has bad chars', () => {
    expect(() => decodeRleCounts('P')).toThrow('RLE counts string ends inside a number at char 1')
    expect(() => decodeRleCounts('1 2')).toThrow(`RLE counts string has " " at char 1; expected chars '0'..'o'`)
  })
})

describe('rle from ids (tiny maps)', () => {
  // Column-major order: column 0 top to bottom, then column 1, ...
  const cases = [
    {
      name: 'single pixel top-left',
      rows: [
        [7, 0],
        [0, 0],
      ],
      id: 7,
      runs: [0, 1, 3],
      bbox: [0, 0, 1, 1],
      area: 1,
    },
    {
      name: 'bottom row',
      rows: [
        [0, 0, 0],
        [5, 5, 5],
      ],
      id: 5,
      runs: [1, 1, 1, 1, 1, 1],
      bbox: [0, 1, 3, 1],
      area: 3,
    },
    {
      name: 'right column ends the list with ones',
      rows: [
        [0, 2],
        [0, 2],
      ],
      id: 2,
      runs: [2, 2],
      bbox: [1, 0, 1, 2],
      area: 2,
    },
    {
      name: 'absent id is all zeros',
      rows: [
        [1, 1],
        [1, 1],
      ],
      id: 9,
      runs: [4],
      bbox: [0, 0, 0, 0],
      area: 0,
    },
    {
      name: 'L shape',
      rows: [
        [3, 0, 0],
        [3, 0, 0],
        [3, 3, 3],
      ],
      id: 3,
      runs: [0, 3, 2, 1, 2, 1],
      bbox: [0, 0, 3, 3],
      area: 5,
    },
  ]
  it.each(cases)('$name', ({ rows, id, runs, bbox, area }) => {
    const map = mapOf(rows)
    const rle = rleFromIds(map, id)
    expect(rle.size).toEqual([map.height, map.width])
    expect(decodeRleCounts(rle.counts)).toEqual(runs)
    expect(rleArea(rle)).toBe(area)
    expect(rleToBbox(rle)).toEqual(bbox)
    const { mask } = rleDecode(rle)
    expect([...mask]).toEqual([...map.ids].map((v) => (v === id ? 1 : 0)))
    expect(rleEncode(mask, map.width, map.height)).toEqual(rle)
    if (area > 0) expect(rlesFromIds(map).get(id)).toEqual(rle)
  })

  it('rlesFromIds covers every non-VOID id and nothing else', () => {
    const map = mapOf([
      [0, 1, 1, 2],
      [3, 1, 0, 2],
      [3, 3, 2, 2],
    ])
    const all = rlesFromIds(map)
    expect([...all.keys()].sort()).toEqual([1, 2, 3])
    for (const id of [1, 2, 3]) expect(all.get(id)).toEqual(rleFromIds(map, id))
  })

  it('pycocotools box of a run wrapping into the next column spans the full height', () => {
    // 3x2 mask, column-major runs: 2 zeros, then ones at (x0, y2) and (x1, y0): one run across the column break.
    expect(rleToBbox({ size: [3, 2], counts: [2, 2, 2] })).toEqual([0, 0, 2, 3])
  })

  it('accepts uncompressed counts and checks they cover the image', () => {
    expect(rleArea({ size: [2, 2], counts: [1, 2, 1] })).toBe(2)
    expect(() => rleArea({ size: [2, 2], counts: [1, 2] })).toThrow('RLE runs cover 3 pixels; size [2, 2] has 4')
  })
})

const DetectionJson = z.object({
  annotations: z.array(
    z.object({
      id: z.number(),
      image_id: z.number(),
      area: z.number(),
      bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
      segmentation: z.object({ counts: z.string(), size: z.tuple([z.number(), z.number()]) }),
    }),
  ),
})
const PanopticJson = z.object({
  annotations: z.array(
    z.object({
      image_id: z.number(),
      file_name: z.string(),
      segments_info: z.array(
        z.object({ id: z.number(), area: z.number(), bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]) }),
      ),
    }),
  ),
})

describe.skipIf(!HAS_SHARED)('golden: panopticapi sample_data, pycocotools RLE', () => {
  // Read inside the tests: a skipped describe's body still runs, and a clone without ../shared must not fail here.
  let detection: z.infer<typeof DetectionJson>
  let panoptic: z.infer<typeof PanopticJson>
  beforeAll(() => {
    detection = DetectionJson.parse(JSON.parse(readFileSync(join(COCO_SAMPLE_DIR, 'sample_data/panoptic_coco_detection_format.json'), 'utf8')))
    panoptic = PanopticJson.parse(JSON.parse(readFileSync(join(COCO_SAMPLE_DIR, 'pix2cap_sample_val.json'), 'utf8')))
  })

  it('pairs all 50 detection annotations with a panoptic segment and matches their counts', async () => {
    let matched = 0
    for (const ann of panoptic.annotations) {
      const map = await decodePanopticPng(join(PANOPTIC_SAMPLE_DIR, ann.file_name))
      const all = rlesFromIds(map)
      for (const seg of ann.segments_info) {
        // panoptic2detection keeps the segment's bbox and area, so (image_id, bbox, area) identifies it.
        const det = detection.annotations.filter(
          (d) => d.image_id === ann.image_id && d.area === seg.area && d.bbox.join() === seg.bbox.join(),
        )
        expect(det, `segment ${seg.id} of image ${ann.image_id}`).toHaveLength(1)
        const want = det[0]!.segmentation
        const rle = rleFromIds(map, seg.id)
        expect(rle.counts).toBe(want.counts)
        expect(rle.size).toEqual(want.size)
        expect(all.get(seg.id)).toEqual(rle)
        expect(rleArea(want)).toBe(seg.area)
        expect(rleToBbox(want)).toEqual(seg.bbox)
        matched++
      }
    }
    expect(matched).toBe(50)
    expect(detection.annotations).toHaveLength(50)
  })

  it('decoding the golden RLE gives back exactly the segment pixels', async () => {
    const ann = panoptic.annotations[1]!
    const map = await decodePanopticPng(join(PANOPTIC_SAMPLE_DIR, ann.file_name))
    const geometry = segmentGeometry(map)
    for (const det of detection.annotations.filter((d) => d.image_id === ann.image_id)) {
      const { mask } = rleDecode(det.segmentation)
      const ids = new Set<number>()
      let count = 0
      mask.forEach((v, i) => {
        if (v === 1) {
          ids.add(map.ids[i]!)
          count++
        }
      })
      expect(ids.size).toBe(1)
      const id = [...ids][0]!
      expect(count).toBe(geometry.get(id)?.area)
    }
  })
})
