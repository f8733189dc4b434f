// The reader, filter and validate on the bundled sample (always present in a clone, no shared fixtures needed);
// its deliberate defects are listed in sample/README.md.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { filterImages } from '../../src/dataset/filter-images.js'
import { FilterPolicy } from '../../src/dataset/filter-policy.js'
import { validateSource } from '../../src/dataset/validate-pix2cap.js'
import { readPix2Cap } from '../../src/sources/pix2cap/read-pix2cap.js'
import { BUNDLED_SAMPLE_DIR } from '../helpers/fixtures.js'

const JSON_PATH = join(BUNDLED_SAMPLE_DIR, 'pix2cap_sample_train.json')

async function filtered(policy: Partial<FilterPolicy>) {
  const f = filterImages(readPix2Cap({ annotations: JSON_PATH }).entries(), FilterPolicy.parse(policy))
  const kept: number[] = []
  for await (const img of f) kept.push(Number(img.imageId))
  return { kept, counts: f.counts, rejects: f.rejects.map((r) => [r.regionId, r.reason]) }
}

describe('bundled sample', () => {
  it('validates cleanly against its PNGs and photos', async () => {
    const r = await validateSource({ annotations: JSON_PATH, panopticDir: join(BUNDLED_SAMPLE_DIR, 'panoptic'), imagesDir: join(BUNDLED_SAMPLE_DIR, 'images') })
    expect(r).toMatchObject({ ok: true, errors: 0, split: 'train', counts: { images: 12, segments: 73, masksChecked: 12, imagesChecked: 12 } })
    // The deliberate caption defects (sample/README.md) are warnings, nothing else.
    expect(r.issues.every((i) => i.stage === 'caption' && i.severity === 'warning')).toBe(true)
    expect(r.issues.map((i) => i.kind)).toContain('caption_empty')
  })

  it('default policy: rejects the crowd, the empty and the "ok" description (73 = 70 + 3)', async () => {
    const { counts, rejects } = await filtered({})
    expect(counts).toMatchObject({ regionsIn: 73, regionsKept: 70, rejectedTotal: 3, imagesKept: 12 })
    expect(rejects).toEqual([['2:5793138', 'crowd'], ['3:5980532', 'empty_caption'], ['4:556322', 'short_caption']])
  })

  it('--min-box-side 2 also rejects the 1-px-wide bat', async () => {
    const { rejects } = await filtered({ minBoxSide: 2 })
    expect(rejects).toContainEqual(['6:16476515', 'tiny_box'])
  })

  it('the X-Decoder train rule drops images 3 (""), 4 ("ok") and 5 (a 2-caption list) whole', async () => {
    const { kept, counts } = await filtered({ imageRule: 'xdecoder-train' })
    expect(kept).toEqual([1, 2, 6, 7, 8, 9, 10, 11, 12])
    expect(counts.imagesDropped).toBe(3)
    expect(counts.regionsIn).toBe(counts.regionsKept + counts.rejectedTotal)
  })
})
