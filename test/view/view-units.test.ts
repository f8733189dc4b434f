// The pieces of `pixcap view` one by one: Parquet paging, filters, statistics, mask outlines, the image cache.
import { statSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import { convertDataset } from '../../src/convert/convert-dataset.js'
import { segmentOutline } from '../../src/geometry/mask-outline.js'
import { createImageResizer, servedWidth } from '../../src/io/png/image-resizer.js'
import { openParquetPager } from '../../src/io/corpus/parquet-pages.js'
import { corpusStatsAccumulator } from '../../src/view/corpus-stats.js'
import { matchesFilter, parseSampleFilter } from '../../src/view/sample-filter.js'
import { toViewRow } from '../../src/view/view-row.js'
import { BUNDLED_SAMPLE_DIR } from '../helpers/fixtures.js'
import { readParquetHyparquet } from '../helpers/readback.js'
import { useTempDir } from '../helpers/temp-dir.js'

let dir = ''
useTempDir('pixcap-view-units-', (d) => (dir = d))
let file = ''
let rows: Record<string, unknown>[] = []
beforeAll(async () => {
  await convertDataset({ annotations: join(BUNDLED_SAMPLE_DIR, 'pix2cap_sample_train.json'), to: 'gpt4roi', outDir: join(dir, 'c'), seed: 0 })
  file = join(dir, 'c/data/train-00000-of-00001.parquet')
  rows = await readParquetHyparquet(file)
})

describe('openParquetPager', () => {
  it('reads any row range, across files, equal to a whole-file read', async () => {
    const pager = await openParquetPager([file, file])
    try {
      expect(pager.totalRows).toBe(2 * rows.length)
      expect(pager.groups.map((g) => g.rowStart)).toEqual([0, rows.length])
      const across = await pager.readRows(rows.length - 2, rows.length + 2)
      expect(across.map((r) => r.id)).toEqual([...rows.slice(-2), ...rows.slice(0, 2)].map((r) => r.id))
      expect(await pager.readRows(-5, 1)).toHaveLength(1)
      expect(await pager.readRows(2 * rows.length, 99)).toEqual([])
    } finally {
      await pager.close()
    }
  })

  it('reads only the footer up front, only the asked columns on a page, and nothing again inside a cached group', async () => {
    const size = statSync(file).size
    const pager = await openParquetPager([file])
    try {
      const footer = pager.bytesRead()
      expect(footer).toBeLessThanOrEqual(size)
      const [row] = await pager.readRows(0, 1, ['image'])
      expect(Object.keys(row!)).toEqual(['image'])
      const oneColumn = pager.bytesRead() - footer
      await pager.readRows(0, 1)
      const allColumns = pager.bytesRead() - footer - oneColumn
      expect(oneColumn).toBeLessThan(allColumns / 4)
      const before = pager.bytesRead()
      await pager.readRows(3, 9)
      expect(pager.bytesRead()).toBe(before)
    } finally {
      await pager.close()
    }
  })
})

describe('filters and statistics', () => {
  const row = toViewRow({ id: 'a', image: 'x/1.jpg', width: 10, height: 10, conversations: [{ from: 'human', value: 'Look at region1 <bbox>' }],
    regions: [{ segment_id: 1, category: 'dog', bbox: [0, 0, 2, 2], caption: 'a small brown dog' }, { segment_id: 2, category: 'sofa', bbox: [1, 1, 3, 3], caption: 'red sofa' }] }, 7)
  it.each([
    ['', true], ['category=dog', true], ['category=cat', false], ['minRegions=2&maxRegions=2', true], ['minRegions=3', false],
    ['maxWords=2', true], ['minWords=5', false], ['minWords=4&maxWords=4', true], ['q=BROWN', true], ['q=region1', true], ['q=x/1', true], ['q=zebra', false],
    ['category=dog&maxWords=2', true], ['category=dog&q=zebra', false],
  ])('%s -> %s', (query, want) => {
    expect(matchesFilter(row, parseSampleFilter(new URLSearchParams(query)))).toBe(want)
  })
  it('rejects a filter that is not a number where one is due', () => {
    expect(() => parseSampleFilter(new URLSearchParams('minWords=-1'))).toThrow()
  })
  it('statistics count words per caption, regions per sample and categories', () => {
    const acc = corpusStatsAccumulator()
    acc.add(row)
    acc.add(toViewRow({ regions: [{ category: 'dog', bbox: [0, 0, 1, 1], caption: 'a dog' }] }, 8))
    expect(acc.result()).toEqual({ samples: 2, regions: 3, wordsPerCaption: { 4: 1, 2: 2 }, regionsPerSample: { 2: 1, 1: 1 },
      categories: [{ category: 'dog', regions: 2 }, { category: 'sofa', regions: 1 }] })
  })
  it('a row without regions still shows with its text', () => {
    expect(toViewRow({ id: 3, conversations: [] }, 3)).toMatchObject({ id: '3', regions: [], image: null })
  })
})

describe('segmentOutline', () => {
  it('marks the border pixels of the chosen segments at the display size', () => {
    // 4x4 map: segment 5 is the 2x2 block at the centre, 9 the rest.
    const ids = Uint32Array.from([9, 9, 9, 9, 9, 5, 5, 9, 9, 5, 5, 9, 9, 9, 9, 9])
    const o = segmentOutline({ width: 4, height: 4, ids }, [5], 4, 4)
    expect([...o.labels]).toEqual([0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0])
    const both = segmentOutline({ width: 4, height: 4, ids }, [9, 5], 8, 8)
    expect(both.labels.length).toBe(64)
    expect(both.labels[0]).toBe(1) // image edge of segment 9
    expect(both.labels[2 * 8 + 2]).toBe(2) // corner of the (scaled) centre block
    expect(both.labels[3 * 8 + 3]).toBe(0) // inside it
  })
})

describe('createImageResizer', () => {
  it('rounds widths up to a served size and serves a repeat from its cache', async () => {
    expect([servedWidth(1), servedWidth(320), servedWidth(321), servedWidth(5000)]).toEqual([160, 320, 640, 1280])
    const resizer = createImageResizer()
    const photo = join(BUNDLED_SAMPLE_DIR, 'images/000000000001.jpg')
    const a = await resizer.photo(photo, 100)
    const b = await resizer.photo(photo, 150)
    expect(b.bytes).toBe(a.bytes)
    expect(resizer.stats()).toMatchObject({ encodes: 1, hits: 1 })
    expect((await sharp(a.bytes).metadata()).width).toBe(160)
    await resizer.photo(photo, 1280) // the 192-px sample photo is never enlarged
    expect((await sharp((await resizer.photo(photo, 1280)).bytes).metadata()).width).toBe(192)
    expect(resizer.stats()).toMatchObject({ encodes: 2, hits: 2 })
  })
  it('keeps the cache under its byte bound', async () => {
    const resizer = createImageResizer({ maxCacheBytes: 1 })
    const photo = join(BUNDLED_SAMPLE_DIR, 'images/000000000001.jpg')
    await resizer.photo(photo, 160)
    await resizer.photo(photo, 320)
    await resizer.photo(photo, 160)
    expect(resizer.stats().encodes).toBe(3)
  })
})
