import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readCocoRegionCaptions } from '../../../src/sources/coco-region-captions/read-coco-region-captions.js'
import { filterImages } from '../../../src/dataset/filter-images.js'
import { DEFAULT_FILTER_POLICY } from '../../../src/dataset/filter-policy.js'
import type { SourceEntry } from '../../../src/records/index.js'
import { useTempDir } from '../../helpers/temp-dir.js'

let dir: string
useTempDir('pixcap-crc-', (d) => (dir = d))

// GRiT/GPT4RoI VG shape (gpt4roi.md §12): several regions per image, a caption and an xywh box per annotation.
const vg = () => ({
  images: [
    { id: 2345, file_name: 'VG_100K/2345.jpg', width: 40, height: 20 },
    { id: 2346, file_name: 'VG_100K/2346.jpg', width: 30, height: 30 },
    { id: 2347, file_name: 'VG_100K/2347.jpg', width: 30, height: 30 },
  ],
  annotations: [
    { id: 1, image_id: 2345, bbox: [4, 2, 8, 6], caption: 'a small dog' },
    { id: 3, image_id: 2346, bbox: [0, 0, 15, 15], caption: 'green grass near the fence' },
    { id: 2, image_id: 2345, bbox: [20, 10, 10, 5], caption: 'a red ball' },
    { id: 4, image_id: 777, bbox: [0, 0, 1, 1], caption: 'image not listed' },
    { id: 5, image_id: 2346, bbox: [30, 10, 8, -4], caption: 'xyxy box' },
    { id: 2, image_id: 2346, bbox: [1, 1, 2, 2], caption: 'duplicate id' },
  ],
})

async function readAll(data: unknown, name = 'vg_train.json'): Promise<{ entries: SourceEntry[]; reader: ReturnType<typeof readCocoRegionCaptions> }> {
  const file = join(dir, name)
  await writeFile(file, JSON.stringify(data))
  const reader = readCocoRegionCaptions({ annotations: file })
  const entries: SourceEntry[] = []
  for await (const e of reader.entries()) entries.push(e)
  return { entries, reader }
}

describe('coco-region-captions reader', () => {
  it('maps images + captioned annotations to canonical records, joined by image_id, regions in annotation order', async () => {
    const { entries, reader } = await readAll(vg())
    expect(reader.split).toBe('train')
    const records = entries.flatMap((e) => (e.record ? [e.record] : []))
    expect(records.map((r) => [r.imageId, r.imagePath, r.regions.map((g) => g.regionId)])).toEqual([
      [2345, 'VG_100K/2345.jpg', ['2345:1', '2345:2']],
      [2346, 'VG_100K/2346.jpg', ['2346:3']],
    ])
    expect(records[0]!.regions[1]).toEqual({
      regionId: '2345:2', segmentId: 2, categoryId: 0, category: 'region', isThing: true, isCrowd: false,
      bbox: [20, 10, 10, 5], area: 50, captions: ['a red ball'], origin: { file: 'vg_train.json', path: ['annotations', 2] },
    })
    expect(records[0]!.source).toBe('coco-region-captions')
  })

  it('drops, never loses: bad boxes, duplicate ids and unknown images become dropped regions and located issues', async () => {
    const { entries, reader } = await readAll(vg())
    const dropped = entries.flatMap((e) => e.dropped.map((d) => [d.regionId, d.reason, d.origin.path.join('.')]))
    expect(dropped).toEqual([
      ['2346:5', 'invalid', 'annotations.4'],
      ['2346:2', 'invalid', 'annotations.5'],
      ['777:4', 'no_image', 'annotations.3'],
    ])
    expect(reader.report.issues.map((i) => i.message)).toEqual([
      `${join(dir, 'vg_train.json')}: annotations[3].image_id: image_id 777 has no entry in images (3 images); annotations are joined to images by image_id`,
      `${join(dir, 'vg_train.json')}: annotations[4].bbox: box [30, 10, 8, -4] needs finite numbers and positive width and height; is it [x1, y1, x2, y2] with x2 < x1?`,
      `${join(dir, 'vg_train.json')}: annotations[5].id: annotation id 2 is already used by annotations[2]; ids must be unique`,
      `${join(dir, 'vg_train.json')}: images[2]: image 2347 has no annotation; it yields no record`,
    ])
    expect(reader.report).toMatchObject({ errors: 3, warnings: 1, complete: true, counts: { images: 3, annotations: 6, segments: 6, regions: 3, droppedSegments: 3, records: 2 } })
    // The filter counts every region: in = kept + rejected.
    const again = readCocoRegionCaptions({ annotations: join(dir, 'vg_train.json') })
    const filtered = filterImages(again.entries(), DEFAULT_FILTER_POLICY)
    for await (const _ of filtered) void _
    expect(filtered.counts).toMatchObject({ regionsIn: 6, regionsKept: 3, rejectedTotal: 3 })
  })

  it('an image without a size or with an escaping path drops its regions with that reason', async () => {
    const data = vg()
    delete (data.images[0] as { width?: number }).width
    data.images[1]!.file_name = '../etc/passwd'
    const { entries, reader } = await readAll(data)
    expect(entries.filter((e) => e.record).length).toBe(0)
    expect(reader.report.issues.slice(0, 2).map((i) => [i.kind, i.path.join('.')])).toEqual([['invalid_image', 'images.0'], ['path_escape', 'images.1.file_name']])
    expect(entries.flatMap((e) => e.dropped.map((d) => d.detail))[0]).toBe('images[0] has no integer width/height (none x 20); records need the image size')
  })

  it('a file that fails the schema stops with the JSON path', async () => {
    const data = vg()
    ;(data.annotations[1] as { caption: unknown }).caption = 5
    await expect(readAll(data)).rejects.toThrow('annotations[1].caption: expected string, got number 5')
  })
})
