// Golden check against the reference implementation itself: pycocotools' mask.encode / area / toBbox on random masks
// (shapes: empty, full, single pixels, stripes, random blobs; sizes with long runs so counts need several chars and
// negative deltas), run in the test venv's Python.
import { execa } from 'execa'
import { describe, expect, it } from 'vitest'
import { rleArea, rleDecode, rleEncode, rleToBbox } from '../../src/geometry/coco-rle.js'
import { createRng } from '../../src/util/rng.js'
import { HAS_PYTHON, PYTHON } from '../helpers/fixtures.js'

const SCRIPT = `
import json, sys
import numpy as np
from pycocotools import mask as m
out = []
for case in json.load(sys.stdin):
    h, w = case["h"], case["w"]
    a = np.array(case["mask"], dtype=np.uint8).reshape(h, w)
    rle = m.encode(np.asfortranarray(a))
    out.append({"counts": rle["counts"].decode("ascii"), "size": list(rle["size"]),
                "area": int(m.area(rle)), "bbox": [float(v) for v in m.toBbox(rle)]})
json.dump(out, sys.stdout)
`

interface Case {
  name: string
  h: number
  w: number
  mask: number[]
}

function cases(): Case[] {
  const rng = createRng(42)
  const out: Case[] = []
  const make = (name: string, h: number, w: number, f: (x: number, y: number) => boolean): void => {
    const mask: number[] = []
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) mask.push(f(x, y) ? 1 : 0)
    out.push({ name, h, w, mask })
  }
  make('empty', 5, 7, () => false)
  make('full', 6, 4, () => true)
  make('last pixel', 3, 3, (x, y) => x === 2 && y === 2)
  make('first pixel', 3, 3, (x, y) => x === 0 && y === 0)
  make('vertical stripes', 40, 50, (x) => x % 7 < 3)
  make('horizontal stripes', 50, 40, (_, y) => y % 5 === 0)
  make('big disc', 300, 400, (x, y) => (x - 200) ** 2 + (y - 140) ** 2 < 120 ** 2)
  for (let k = 0; k < 6; k++) {
    const h = 1 + rng.int(60)
    const w = 1 + rng.int(60)
    const p = rng.next()
    make(`random ${k} (${h}x${w}, p=${p.toFixed(2)})`, h, w, () => rng.next() < p)
  }
  return out
}

describe.skipIf(!HAS_PYTHON)('COCO RLE equals pycocotools on generated masks', () => {
  it('counts, size, area and bbox match mask.encode / area / toBbox', async () => {
    const all = cases()
    const { stdout } = await execa(PYTHON, ['-c', SCRIPT], { input: JSON.stringify(all) })
    const want = JSON.parse(stdout) as { counts: string; size: [number, number]; area: number; bbox: number[] }[]
    expect(want).toHaveLength(all.length)
    for (const [i, c] of all.entries()) {
      const rle = rleEncode(Uint8Array.from(c.mask), c.w, c.h)
      const ref = want[i]!
      expect(rle, c.name).toEqual({ size: ref.size, counts: ref.counts })
      expect(rleArea(rle), c.name).toBe(ref.area)
      expect(rleToBbox(rle), c.name).toEqual(ref.bbox)
      expect([...rleDecode({ size: ref.size, counts: ref.counts }).mask], c.name).toEqual(c.mask)
    }
  })
})
