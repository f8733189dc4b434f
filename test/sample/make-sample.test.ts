import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { decodePanopticPng } from '../../src/io/png/panoptic-png.js'
import { segmentGeometry } from '../../src/geometry/segment-geometry.js'
import { makeSample, SAMPLE_HEIGHT, SAMPLE_IMAGES, SAMPLE_WIDTH } from '../../scripts/make-sample.js'
import { BUNDLED_SAMPLE_DIR } from '../helpers/fixtures.js'
import { minimalPix2Cap, MinimalSegment } from '../helpers/minimal-pix2cap.js'

const SampleJson = minimalPix2Cap(MinimalSegment.extend({ description: z.union([z.string(), z.array(z.string())]) })).extend({
  categories: z.array(z.object({ id: z.number(), name: z.string(), isthing: z.number() })),
})

describe('bundled sample', () => {
  let fresh: string
  beforeAll(async () => {
    fresh = await mkdtemp(join(tmpdir(), 'pixcap-sample-'))
    await makeSample(fresh)
  })
  afterAll(async () => {
    await rm(fresh, { recursive: true, force: true })
  })

  it('regenerates the committed JSON byte for byte', async () => {
    const committed = await readFile(join(BUNDLED_SAMPLE_DIR, 'pix2cap_sample_train.json'))
    const regenerated = await readFile(join(fresh, 'pix2cap_sample_train.json'))
    expect(regenerated.equals(committed)).toBe(true)
  })

  it('regenerates the committed panoptic PNGs pixel for pixel and the JPEGs at the same size', async () => {
    const pngs = (await readdir(join(BUNDLED_SAMPLE_DIR, 'panoptic'))).sort()
    expect(pngs).toHaveLength(SAMPLE_IMAGES)
    expect((await readdir(join(fresh, 'panoptic'))).sort()).toEqual(pngs)
    for (const name of pngs) {
      const a = await decodePanopticPng(join(BUNDLED_SAMPLE_DIR, 'panoptic', name))
      const b = await decodePanopticPng(join(fresh, 'panoptic', name))
      expect([b.width, b.height]).toEqual([a.width, a.height])
      expect(Buffer.from(b.ids.buffer).equals(Buffer.from(a.ids.buffer)), name).toBe(true)
    }
    const jpgs = (await readdir(join(BUNDLED_SAMPLE_DIR, 'images'))).sort()
    expect((await readdir(join(fresh, 'images'))).sort()).toEqual(jpgs)
    for (const name of jpgs) {
      const meta = await sharp(join(BUNDLED_SAMPLE_DIR, 'images', name)).metadata()
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', SAMPLE_WIDTH, SAMPLE_HEIGHT])
    }
  })

  it('has mask geometry equal to its JSON for every segment, and no unlisted id', async () => {
    const json = SampleJson.parse(JSON.parse(await readFile(join(BUNDLED_SAMPLE_DIR, 'pix2cap_sample_train.json'), 'utf8')))
    let segments = 0
    for (const ann of json.annotations) {
      const map = await decodePanopticPng(join(BUNDLED_SAMPLE_DIR, 'panoptic', ann.file_name))
      const geometry = segmentGeometry(map)
      expect([...geometry.keys()].sort()).toEqual(ann.segments_info.map((s) => s.id).sort())
      for (const s of ann.segments_info) {
        expect(geometry.get(s.id), `image ${ann.image_id} segment ${s.id}`).toEqual({ id: s.id, area: s.area, bbox: s.bbox })
        segments++
      }
    }
    expect(segments).toBe(73)
  })

  it('carries the deliberate defects listed in sample/README.md', async () => {
    const json = SampleJson.parse(JSON.parse(await readFile(join(BUNDLED_SAMPLE_DIR, 'pix2cap_sample_train.json'), 'utf8')))
    const all = json.annotations.flatMap((a) => a.segments_info.map((s, index) => ({ imageId: a.image_id, index, ...s })))
    const where = (pred: (s: (typeof all)[number]) => boolean): [number, number][] =>
      all.filter(pred).map((s) => [s.imageId, s.index])
    expect(where((s) => s.iscrowd === 1)).toEqual([[2, 4]])
    expect(where((s) => s.description === '')).toEqual([[3, 1]])
    expect(where((s) => typeof s.description === 'string' && s.description.length > 0 && s.description.length < 3)).toEqual([[4, 1]])
    expect(where((s) => Array.isArray(s.description))).toEqual([[5, 1]])
    // GPT4RoI's filter: w or h <= 2 px once the image is stretched to 224x224.
    expect(where((s) => (s.bbox[2] * 224) / SAMPLE_WIDTH <= 2 || (s.bbox[3] * 224) / SAMPLE_HEIGHT <= 2)).toEqual([[6, 0]])
    expect(where((s) => typeof s.description === 'string' && /\bobject \d+\b/.test(s.description))).toEqual([[9, 0]])
    const owners = new Map<number, Set<number>>()
    for (const s of all) owners.set(s.id, (owners.get(s.id) ?? new Set()).add(s.imageId))
    expect([...owners].filter(([, imgs]) => imgs.size > 1).map(([id, imgs]) => [id, [...imgs]])).toEqual([[7351312, [7, 8]]])
    expect(json.images.map((i) => i.id)).toEqual(json.annotations.map((a) => a.image_id))
    const used = new Set(all.map((s) => s.category_id))
    expect(json.categories.map((c) => c.id).sort((a, b) => a - b)).toEqual([...used].sort((a, b) => a - b))
  })
})
