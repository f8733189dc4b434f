// The stage-2 mix's sources behind the seam: Visual Genome region_descriptions.json (+ image_data.json), mdetr
// final_* grounding files (RefCOCO family, Flickr30k) and COCO instances, from small real-shaped files written here,
// with their bad-input cases; then stats, validate, preview and convert on each through the real CLI.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import type { ImageRecord, SourceEntry } from '../../../src/records/index.js'
import { detectSource, openSource } from '../../../src/sources/open-source.js'
import { mdetrImagePath, phraseOf } from '../../../src/sources/mdetr/read-mdetr.js'
import { vgImagePath } from '../../../src/sources/visual-genome/read-visual-genome.js'
import { pixcap } from '../../helpers/curation-corpus.js'
import { useTempDir } from '../../helpers/temp-dir.js'

let dir = ''
useTempDir('pixcap-curation-sources-', (d) => (dir = d))

const write = async (rel: string, value: unknown): Promise<string> => {
  const file = join(dir, rel)
  await mkdir(join(file, '..'), { recursive: true })
  await writeFile(file, JSON.stringify(value))
  return file
}
const read = async (file: string, from?: string): Promise<{ entries: SourceEntry[]; records: ImageRecord[]; issues: { path: string; detail: string; message: string }[] }> => {
  const { reader } = await openSource({ annotations: file, ...(from ? { from } : {}) })
  const entries: SourceEntry[] = []
  for await (const e of reader.entries()) entries.push(e)
  const issues = reader.report.issues.map((i) => ({ path: i.message.slice(file.length + 2).split(': ')[0]!, detail: i.detail, message: i.message }))
  return { entries, records: entries.flatMap((e) => (e.record ? [e.record] : [])), issues }
}

const vgRegions = [
  { id: 1, regions: [
    { region_id: 11, image_id: 1, phrase: 'a man riding a horse', x: 10, y: 20, width: 30, height: 40 },
    { region_id: 12, image_id: 1, phrase: 'green grass', x: 0, y: 50, width: 60, height: 10 },
  ] },
  { id: 2, regions: [
    { region_id: 21, image_id: 2, phrase: 'a red kite', x: 5, y: 5, width: 0, height: 8 },
    { region_id: 22, image_id: 2, phrase: 7, x: 5, y: 5, width: 8, height: 8 },
    { region_id: 23, image_id: 2, phrase: 'blue sky', x: 0, y: 0, width: 64, height: 20 },
  ] },
  { id: 3, regions: [{ region_id: 31, image_id: 3, phrase: 'no size for me', x: 0, y: 0, width: 4, height: 4 }] },
]
const vgImageData = [
  { image_id: 1, width: 64, height: 64, url: 'https://cs.stanford.edu/people/rak248/VG_100K/1.jpg', coco_id: null },
  { image_id: 2, width: 64, height: 48, url: 'https://cs.stanford.edu/people/rak248/VG_100K_2/2.jpg', coco_id: 139 },
]
// final_refcocog_val.json: two expressions of one COCO photo, one box each; final_flickr: one sentence, two boxes.
const mdetrRefcocog = {
  images: [
    { id: 0, file_name: 'COCO_train2014_000000000139.jpg', height: 48, width: 64, caption: 'the man on the left', original_id: 139, dataset_name: 'refcocog' },
    { id: 1, file_name: 'COCO_train2014_000000000139.jpg', height: 48, width: 64, caption: 'a man in a blue shirt', original_id: 139, dataset_name: 'refcocog' },
    { id: 2, file_name: 'COCO_train2014_000000000285.jpg', height: 48, width: 64, caption: 'the big bear', original_id: 285, dataset_name: 'refcocog' },
  ],
  annotations: [
    { id: 100, image_id: 0, bbox: [1, 2, 20, 30], area: 600, category_id: 1, iscrowd: 0, tokens_positive: [[0, 7]] },
    { id: 101, image_id: 1, bbox: [1, 2, 20, 30], area: 600, category_id: 1, iscrowd: 0, tokens_positive: [[0, 5]] },
    { id: 102, image_id: 2, bbox: [10, 2, 30], area: 600, category_id: 23, iscrowd: 0, tokens_positive: [[4, 12]] },
    { id: 103, image_id: 9, bbox: [10, 2, 3, 3], area: 9, category_id: 23, iscrowd: 0, tokens_positive: [[0, 1]] },
  ],
  categories: [{ id: 1, name: 'person' }, { id: 23, name: 'bear' }],
}
const mdetrFlickr = {
  images: [{ id: 0, file_name: '1000092795.jpg', height: 48, width: 64, caption: 'Two young guys with shaggy hair look at their hands', dataset_name: 'flickr' }],
  annotations: [
    { id: 5, image_id: 0, bbox: [0, 0, 30, 40], area: 1200, category_id: 1, iscrowd: 0, tokens_positive: [[0, 14]] },
    { id: 6, image_id: 0, bbox: [30, 0, 30, 40], area: 1200, category_id: 1, iscrowd: 0, tokens_positive: [[20, 31]] },
    { id: 7, image_id: 0, bbox: [30, 0, 3, 4], area: 12, category_id: 1, iscrowd: 0, tokens_positive: [[40, 99]] },
  ],
}
const cocoInstances = {
  images: [{ id: 397133, file_name: '000000397133.jpg', width: 64, height: 48 }, { id: 37777, file_name: '000000037777.jpg', width: 64, height: 48 }],
  annotations: [
    { id: 1, image_id: 397133, category_id: 1, bbox: [2, 3, 20, 30], area: 600, iscrowd: 0, segmentation: [[2, 3, 22, 3, 22, 33]] },
    { id: 2, image_id: 397133, category_id: 44, bbox: [30, 3, 10, 10], area: 100, iscrowd: 0, segmentation: [[30, 3, 40, 3, 40, 13]] },
    { id: 3, image_id: 37777, category_id: 99, bbox: [0, 0, 5, 5], area: 25, iscrowd: 0, segmentation: [] },
    { id: 4, image_id: 37777, category_id: 1, bbox: [0, 0, 5, 5], area: 25, iscrowd: 1, segmentation: { counts: [0, 25], size: [48, 64] } },
  ],
  categories: [{ id: 1, name: 'person', supercategory: 'person' }, { id: 44, name: 'bottle', supercategory: 'kitchen' }],
}

describe('visual-genome', () => {
  it('reads region_descriptions.json with sizes and paths from image_data.json; drops bad regions with their JSON path', async () => {
    const file = await write('vg/region_descriptions.json', vgRegions)
    await write('vg/image_data.json', vgImageData)
    expect((await detectSource(file)).name).toBe('visual-genome')
    const { entries, records, issues } = await read(file)
    expect(records.map((r) => [r.imageId, r.imagePath, r.width, r.height, r.regions.map((g) => [g.regionId, g.captions[0], g.bbox])])).toEqual([
      [1, 'VG_100K/1.jpg', 64, 64, [['1:11', 'a man riding a horse', [10, 20, 30, 40]], ['1:12', 'green grass', [0, 50, 60, 10]]]],
      [2, 'VG_100K_2/2.jpg', 64, 48, [['2:23', 'blue sky', [0, 0, 64, 20]]]],
    ])
    expect(issues.map((i) => [i.path, i.detail])).toEqual([
      ['[1].regions[0]', 'box [5, 5, 0, 8] needs positive width and height'],
      ['[1].regions[1].phrase', 'expected string, got number 7'],
      ['[2].id', 'image 3 has no entry in image_data.json (no width/height)'],
    ])
    // Nothing lost: 6 regions read = 3 in records + 3 dropped.
    expect(entries.reduce((a, e) => a + e.dropped.length, 0)).toBe(3)
  })

  it('says where image_data.json is expected when it is missing', async () => {
    const file = await write('vg-alone/region_descriptions.json', vgRegions)
    await expect(read(file, 'visual-genome')).rejects.toThrow(`${join(dir, 'vg-alone', 'image_data.json')}: Visual Genome region descriptions need image_data.json for the image sizes; put it beside region_descriptions.json`)
    expect(vgImagePath(5, undefined)).toBe('5.jpg')
  })
})

describe('mdetr-grounding', () => {
  it('joins the expressions of one photo into one record (COCO id, GPT4RoI path), expression captions for single boxes', async () => {
    const file = await write('final_refcocog_val.json', mdetrRefcocog)
    expect((await detectSource(file)).name).toBe('mdetr-grounding')
    const { records, issues, entries } = await read(file)
    expect(records.map((r) => [r.imageId, r.imagePath, r.split, r.regions.map((g) => [g.regionId, g.captions[0], g.category])])).toEqual([
      [139, '000000000139.jpg', 'val', [['139:100', 'the man on the left', 'person'], ['139:101', 'a man in a blue shirt', 'person']]],
    ])
    expect(issues.map((i) => [i.path, i.detail])).toEqual([
      ['annotations[2].bbox', 'expected 4 numbers [x, y, w, h], got 3 values'],
      ['annotations[3].image_id', 'image_id 9 has no entry in images (3 entries); annotations are joined to images by image_id'],
    ])
    expect(entries.flatMap((e) => e.dropped.map((d) => [d.regionId, d.reason]))).toEqual([['285:102', 'invalid'], ['9:103', 'no_image']])
  })

  it('captions each box of a Flickr30k sentence with its tokens_positive phrase; an out-of-range span is an issue', async () => {
    const file = await write('final_flickr_separateGT_train.json', mdetrFlickr)
    const { records, issues } = await read(file)
    expect(records[0]!.imageId).toBe(0)
    expect(records[0]!.imagePath).toBe('1000092795.jpg')
    expect(records[0]!.regions.map((g) => g.captions[0])).toEqual(['Two young guys', 'shaggy hair'])
    expect(issues.map((i) => i.path)).toEqual(['annotations[2].tokens_positive'])
    expect(phraseOf('abc def', [[0, 3], [4, 7]])).toBe('abc def')
    expect(mdetrImagePath('COCO_train2014_000000581857.jpg')).toBe('000000581857.jpg')
  })
})

describe('coco-instances', () => {
  it('one region per instance captioned with its category; unknown categories are dropped with their path', async () => {
    const file = await write('instances_val2017.json', cocoInstances)
    expect((await detectSource(file)).name).toBe('coco-instances')
    const { records, issues } = await read(file)
    expect(records.map((r) => [r.imageId, r.imagePath, r.split, r.regions.map((g) => [g.regionId, g.captions[0], g.isCrowd])])).toEqual([
      [397133, '000000397133.jpg', 'val', [['397133:1', 'person', false], ['397133:2', 'bottle', false]]],
      [37777, '000000037777.jpg', 'val', [['37777:4', 'person', true]]],
    ])
    expect(issues.map((i) => [i.path, i.detail])).toEqual([['annotations[2].category_id', 'category_id 99 is not in categories (1, 44)']])
  })

  it('a file that breaks the schema stops with the file and JSON path', async () => {
    const file = await write('instances_bad.json', { ...cocoInstances, images: [{ id: 1, file_name: 'a.jpg', width: 'wide', height: 4 }] })
    await expect(read(file, 'coco-instances')).rejects.toThrow(`${file}: images[0].width: expected number`)
  })
})

describe('the sources through the CLI: stats, validate, preview, convert', () => {
  it.each([
    ['visual-genome', 'vg/region_descriptions.json', 2, 3],
    ['mdetr-grounding', 'final_refcocog_val.json', 1, 2],
    ['coco-instances', 'instances_val2017.json', 2, 3],
  ] as const)('%s', async (source, rel, images, regions) => {
    const file = join(dir, rel)
    const stats = await pixcap(['stats', file, '--json'])
    expect(stats.exitCode).toBe(0)
    expect(JSON.parse(stats.stdout)).toMatchObject({ source, stats: { images, regions } })
    const validate = await pixcap(['validate', file, '--json'])
    expect(JSON.parse(validate.stdout)).toMatchObject({ source })
    // Input errors are counted as rejects; regions in = in samples + rejected.
    const out = join(dir, `corpus-${source}`)
    const convert = await pixcap(['convert', file, '--from', source, '--to', 'gpt4roi', '--out', out, '--reject-invalid', '--json'])
    expect(convert.exitCode, convert.stdout + convert.stderr).toBe(0)
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'))
    expect(manifest.counts.regions.in).toBe(manifest.counts.regions.inSamples + manifest.counts.regions.rejected)
    expect(manifest.counts.samples).toBeGreaterThan(0)
    // preview draws the first record's regions on its photo.
    const photos = join(dir, `photos-${source}`)
    const first = (await read(file)).records[0]!
    await mkdir(join(photos, first.imagePath, '..'), { recursive: true })
    await sharp({ create: { width: first.width, height: first.height, channels: 3, background: '#888' } }).jpeg().toFile(join(photos, first.imagePath))
    const preview = await pixcap(['preview', file, '--images-dir', photos, '--image-id', String(first.imageId), '--out', join(dir, `preview-${source}`), '--json'])
    expect(preview.exitCode, preview.stdout + preview.stderr).toBe(0)
  })
})
