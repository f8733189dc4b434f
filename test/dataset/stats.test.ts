import { describe, expect, it } from 'vitest'
import { statsSource } from '../../src/dataset/pix2cap-stats.js'
import { addImage, createStats, distributionOf, mergeStats, summarizeStats, wordCount } from '../../src/dataset/stats.js'
import type { ImageRecord } from '../../src/records/index.js'
import { readPix2Cap } from '../../src/sources/pix2cap/read-pix2cap.js'
import { HAS_SHARED, PIX2CAP_SAMPLE_JSON } from '../helpers/fixtures.js'

describe('stats primitives', () => {
  it('counts whitespace-separated words', () => {
    expect(wordCount('')).toBe(0)
    expect(wordCount('  a  b\tc\n d ')).toBe(4)
  })

  it('quantiles interpolate linearly between ranks (numpy default)', () => {
    // numpy: np.median([1,2,3,4]) = 2.5, np.percentile([1,2,3,4], 95) = 3.85
    const d = distributionOf({ 1: 1, 2: 1, 3: 1, 4: 1 })
    expect(d).toEqual({ count: 4, total: 10, mean: 2.5, median: 2.5, p95: expect.any(Number), min: 1, max: 4 })
    expect(d.p95).toBeCloseTo(3.85, 10)
    // np.percentile([5,5,5,9], 95) = 8.4
    expect(distributionOf({ 5: 3, 9: 1 }).p95).toBeCloseTo(8.4, 10)
    expect(distributionOf({})).toMatchObject({ count: 0, mean: 0 })
  })
})

describe.skipIf(!HAS_SHARED)('stats on the shared sample', () => {
  const load = async (): Promise<ImageRecord[]> => {
    const out: ImageRecord[] = []
    for await (const r of readPix2Cap({ annotations: PIX2CAP_SAMPLE_JSON }).records()) out.push(r)
    return out
  }

  it('matches the fixture README word-count table (50 non-empty captions, 1,190 words)', async () => {
    const { stats } = await statsSource({ annotations: PIX2CAP_SAMPLE_JSON })
    expect(stats.wordsPerCaption).toEqual({ count: 50, total: 1190, mean: 23.8, median: 24, p95: expect.any(Number), min: 1, max: 33 })
    // golden from numpy: np.percentile(words, 95) over the 50 non-empty captions = 29.55; over [18, 32] regions = 31.3
    expect(stats.wordsPerCaption.p95).toBeCloseTo(29.55, 10)
    expect(stats.regionsPerImage.p95).toBeCloseTo(31.3, 10)
    expect(stats).toMatchObject({
      images: 2, regions: 50, captions: 51, nonEmptyCaptions: 50, thing: 43, stuff: 7, crowd: 3,
      emptyDescriptions: 1, shortDescriptions: 1, multiCaption: 1,
    })
    expect(stats.regionsPerImage).toMatchObject({ mean: 25, median: 25, min: 18, max: 32 })
    expect(stats.byCategory.slice(0, 3)).toEqual([
      { categoryId: 1, name: 'person', isThing: true, regions: 28, crowd: 2 },
      { categoryId: 19, name: 'horse', isThing: true, regions: 12, crowd: 1 },
      { categoryId: 8, name: 'truck', isThing: true, regions: 2, crowd: 0 },
    ])
  })

  it('merging per-image accumulators equals one accumulator over all images', async () => {
    const records = await load()
    const all = createStats()
    for (const r of records) addImage(all, r)
    const parts = records.map((r) => {
      const acc = createStats()
      addImage(acc, r)
      return acc
    })
    const merged = parts.reduce((a, b) => mergeStats(a, b), createStats())
    expect(summarizeStats(merged)).toEqual(summarizeStats(all))
    // inputs untouched
    expect(parts[0]!.images).toBe(1)
  })
})
