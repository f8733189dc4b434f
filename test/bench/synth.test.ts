import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { makeSynthSet, type SynthSet } from '../../bench/synth.js'
import { readPngSubset } from '../../bench/stages/png-records.js'
import { verifyMasks } from '../../src/io/png/verify-masks.js'

const Full = z.object({
  images: z.array(z.object({ id: z.number(), width: z.number(), height: z.number() })),
  annotations: z.array(
    z.object({
      image_id: z.number(),
      segments_info: z.array(z.object({ id: z.number(), description: z.string(), bbox: z.array(z.number()), area: z.number() })),
    }),
  ),
  categories: z.array(z.object({ id: z.number(), isthing: z.number() })),
})

describe('bench synthetic set (small scale)', () => {
  let dir: string
  let set: SynthSet
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pixcap-synth-'))
    set = await makeSynthSet({ dir, images: 40, regions: 330, pngImages: 12, seed: 7 })
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('writes exactly the asked numbers of images and regions, with the 133 COCO panoptic categories', async () => {
    const full = Full.parse(JSON.parse(await readFile(set.jsonPath, 'utf8')))
    expect(full.images).toHaveLength(40)
    expect(full.annotations.map((a) => a.image_id)).toEqual(full.images.map((i) => i.id))
    expect(full.annotations.reduce((n, a) => n + a.segments_info.length, 0)).toBe(330)
    expect(full.categories).toHaveLength(133)
    expect(full.categories.filter((c) => c.isthing === 1)).toHaveLength(80)
    for (const a of full.annotations) {
      const img = full.images.find((i) => i.id === a.image_id)!
      expect(new Set(a.segments_info.map((s) => s.id)).size).toBe(a.segments_info.length)
      for (const s of a.segments_info) {
        const [x, y, w, h] = s.bbox as [number, number, number, number]
        expect(x + w).toBeLessThanOrEqual(img.width)
        expect(y + h).toBeLessThanOrEqual(img.height)
        expect(s.area).toBeLessThanOrEqual(w * h)
        expect(s.description.split(/\s+/).length).toBeGreaterThanOrEqual(14)
      }
    }
    expect((await readdir(set.panopticDir)).length).toBe(12)
  })

  it('has PNGs whose pixels agree with their JSON entries (verifyMasks finds no issue)', async () => {
    const records = await readPngSubset(set.pngSubsetJsonPath)
    expect(records).toHaveLength(12)
    let images = 0
    for await (const check of verifyMasks(records, { panopticDir: set.panopticDir })) {
      expect(check.issues).toEqual([])
      expect(check.geometry.length).toBe(records[images]!.regions.length)
      images++
    }
    expect(images).toBe(12)
  })

  it('is deterministic for a seed', async () => {
    const again = await mkdtemp(join(tmpdir(), 'pixcap-synth-'))
    try {
      const other = await makeSynthSet({ dir: again, images: 40, regions: 330, pngImages: 12, seed: 7 })
      expect(await readFile(other.jsonPath, 'utf8')).toBe(await readFile(set.jsonPath, 'utf8'))
    } finally {
      await rm(again, { recursive: true, force: true })
    }
  })
})
