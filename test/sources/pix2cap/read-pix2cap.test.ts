import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { ImageRecord } from '../../../src/records/index.js'
import { readPix2Cap, splitFromFileName, type SourceImage } from '../../../src/sources/pix2cap/read-pix2cap.js'
import { COCO_SAMPLE_DIR, HAS_SHARED, PIX2CAP_SAMPLE_JSON } from '../../helpers/fixtures.js'
import { sampleCopies } from '../../helpers/pix2cap-copies.js'

// Every reader test runs twice: files below the threshold are parsed whole, larger ones stream (0 forces streaming).
let wholeFileMaxBytes: number | undefined

async function readAll(file: string, opts: { chunkSize?: number; categories?: string } = {}) {
  const reader = readPix2Cap({ annotations: file, ...opts, ...(wholeFileMaxBytes === undefined ? {} : { wholeFileMaxBytes }) })
  const entries: SourceImage[] = []
  for await (const e of reader.entries()) entries.push(e)
  const records = entries.flatMap((e) => (e.record ? [e.record] : []))
  return { reader, report: reader.report, entries, records }
}

/** Records without provenance, sorted by image id: what must not depend on list order. */
function content(records: ImageRecord[]) {
  return records
    .map(({ origin: _o, ...r }) => ({ ...r, regions: r.regions.map(({ origin: _ro, ...reg }) => reg) }))
    .sort((a, b) => Number(a.imageId) - Number(b.imageId))
}

it('splitFromFileName: val, train, else undefined', () => {
  expect(splitFromFileName('/d/pix2cap_coco_val.json')).toBe('val')
  expect(splitFromFileName('pix2cap_coco_train.json')).toBe('train')
  expect(splitFromFileName('pix2cap_synth_train.json')).toBe('train')
  expect(splitFromFileName('panoptic_examples.json')).toBeUndefined()
})

describe.skipIf(!HAS_SHARED).each([
  ['parsed whole', undefined],
  ['streamed', 0],
])('readPix2Cap on the shared sample (%s)', (_name, maxBytes) => {
  let copies: Awaited<ReturnType<typeof sampleCopies>>
  beforeAll(async () => {
    copies = await sampleCopies()
    wholeFileMaxBytes = maxBytes
  })
  afterAll(() => copies.cleanup())

  it('yields 2 records with 50 regions in segments_info order, joined by image_id', async () => {
    const { records, report } = await readAll(PIX2CAP_SAMPLE_JSON)
    expect(records.map((r) => [r.imageId, r.imagePath, r.maskPath, r.width, r.height, r.regions.length, r.split, r.source])).toEqual([
      [142238, '000000142238.jpg', '000000142238.png', 640, 427, 18, 'val', 'pix2cap-coco'],
      [439180, '000000439180.jpg', '000000439180.png', 640, 360, 32, 'val', 'pix2cap-coco'],
    ])
    expect(report).toMatchObject({
      complete: true, errors: 0, warnings: 0, issues: [], split: 'val',
      // categories come after annotations in COCO panoptic files: read first (from the file's end when streaming),
      // so one pass
      passes: 1,
      topLevelKeys: ['info', 'licenses', 'images', 'annotations', 'categories'],
      counts: { images: 2, annotations: 2, categories: 133, segments: 50, regions: 50, droppedSegments: 0, records: 2 },
    })
    const first = records[0]!.regions[0]!
    expect(first).toEqual({
      regionId: '142238:3937500', segmentId: 3937500, categoryId: 1, category: 'person', isThing: true, isCrowd: false,
      bbox: [282, 207, 48, 149], area: 3528, captions: [expect.any(String)],
      origin: { file: 'pix2cap_sample_val.json', path: ['annotations', 0, 'segments_info', 0] },
    })
    expect(records[0]!.origin).toEqual({ file: 'pix2cap_sample_val.json', path: ['annotations', 0] })
    // the canonical schema accepts every record as is
    for (const r of records) expect(ImageRecord.parse(r)).toEqual(r)
  })

  it('keeps segment 3937500 of each image as two distinct regions', async () => {
    const { records } = await readAll(PIX2CAP_SAMPLE_JSON)
    const shared = records.flatMap((r) => r.regions.filter((g) => g.segmentId === 3937500))
    expect(shared.map((g) => g.regionId)).toEqual(['142238:3937500', '439180:3937500'])
    expect(shared[0]!.captions[0]).not.toBe(shared[1]!.captions[0])
    const ids = records.flatMap((r) => r.regions.map((g) => g.regionId))
    expect(new Set(ids).size).toBe(50)
  })

  it('maps crowd, stuff, the two-string description and the empty one', async () => {
    const { records } = await readAll(PIX2CAP_SAMPLE_JSON)
    const all = records.flatMap((r) => r.regions)
    expect(all.filter((g) => g.isCrowd).map((g) => g.regionId)).toEqual(['142238:3153362', '439180:5120499', '439180:16175517'])
    expect(all.filter((g) => !g.isThing)).toHaveLength(7)
    const two = all.find((g) => g.regionId === '439180:5768384')!
    expect(two.captions).toHaveLength(2)
    expect(two.captions[0]).not.toBe(two.captions[1])
    expect(all.find((g) => g.regionId === '142238:3997935')!.captions).toEqual([''])
    expect(all.find((g) => g.regionId === '439180:15714220')!.captions).toEqual(['ok'])
  })

  it('gives identical records in 7-byte chunks and in one pass with a separate categories file', async () => {
    const whole = await readAll(PIX2CAP_SAMPLE_JSON)
    const tiny = await readAll(PIX2CAP_SAMPLE_JSON, { chunkSize: 7 })
    expect(tiny.records).toEqual(whole.records)
    // and the same as the other path (streamed vs parsed whole), issues and counts included
    const other = readPix2Cap({ annotations: PIX2CAP_SAMPLE_JSON, wholeFileMaxBytes: maxBytes === 0 ? undefined : 0 })
    const otherEntries: SourceImage[] = []
    for await (const e of other.entries()) otherEntries.push(e)
    expect(otherEntries).toEqual(whole.entries)
    expect(other.report).toEqual(whole.report)
    const external = await readAll(PIX2CAP_SAMPLE_JSON, { categories: join(COCO_SAMPLE_DIR, 'panoptic_coco_categories.json') })
    expect(external.records).toEqual(whole.records)
    // count work, not time: both read the file once
    const size = (await (await import('node:fs/promises')).stat(PIX2CAP_SAMPLE_JSON)).size
    expect([external.report.passes, external.report.bytesRead]).toEqual([1, size])
    expect([whole.report.passes, whole.report.bytesRead]).toEqual([1, size])
  })

  it('reads twice when categories come after annotations but are not the last member; same records and report', async () => {
    const base = await readAll(PIX2CAP_SAMPLE_JSON)
    const { info, ...rest } = await copies.load()
    const file = await copies.write('info_last_val.json', { ...rest, info })
    const late = await readAll(file)
    expect(content(late.records)).toEqual(content(base.records))
    expect(late.report.passes).toBe(2)
    expect(late.report.topLevelKeys.slice(-2)).toEqual(['categories', 'info'])
    expect(late.report.counts).toEqual(base.report.counts)
  })

  it('joins by image_id, not position: reversed annotations (or images) give the same records', async () => {
    const base = await readAll(PIX2CAP_SAMPLE_JSON)
    const a = await copies.load()
    a.annotations.reverse()
    const reversed = await readAll(await copies.write('reversed_val.json', a))
    expect(content(reversed.records)).toEqual(content(base.records))
    expect(reversed.records[0]!.imageId).toBe(439180)
    expect(reversed.records[0]!.origin).toEqual({ file: 'reversed_val.json', path: ['annotations', 0] })
    const b = await copies.load()
    b.images.reverse()
    const imagesReversed = await readAll(await copies.write('images_reversed_val.json', b))
    expect(content(imagesReversed.records)).toEqual(content(base.records))
    expect(imagesReversed.records[0]!.width * 1000 + imagesReversed.records[0]!.height).toBe(640_427)
  })

  it('reports a 3-number bbox and a string iscrowd with path, expected and found; drops only those segments', async () => {
    const s = await copies.load()
    s.annotations[0]!.segments_info[3]!.bbox = [1, 2, 3]
    s.annotations[1]!.segments_info[5]!.iscrowd = 'no'
    const file = await copies.write('badtypes_val.json', s)
    const { records, report, entries } = await readAll(file)
    expect(report.issues.map((i) => i.message)).toEqual([
      `${file}: annotations[0].segments_info[3].bbox: expected 4 numbers [x, y, w, h], got 3`,
      `${file}: annotations[1].segments_info[5].iscrowd: expected iscrowd 0 or 1, found the string "no"`,
    ])
    expect(report.issues.map((i) => [i.kind, i.imageId, i.segmentId])).toEqual([
      ['invalid_segment', 142238, 4325578],
      ['invalid_segment', 439180, 5119213],
    ])
    expect(records.map((r) => r.regions.length)).toEqual([17, 31])
    expect(entries.flatMap((e) => e.dropped)).toEqual([
      { imageId: 142238, segmentId: 4325578, regionId: '142238:4325578', reason: 'invalid', detail: 'bbox: expected 4 numbers [x, y, w, h], got 3', origin: { file: 'badtypes_val.json', path: ['annotations', 0, 'segments_info', 3] } },
      { imageId: 439180, segmentId: 5119213, regionId: '439180:5119213', reason: 'invalid', detail: 'iscrowd: expected iscrowd 0 or 1, found the string "no"', origin: { file: 'badtypes_val.json', path: ['annotations', 1, 'segments_info', 5] } },
    ])
    expect(report.counts).toMatchObject({ segments: 50, regions: 48, droppedSegments: 2 })
  })

  it('refuses file names that escape their root, naming the JSON path', async () => {
    const s = await copies.load()
    s.annotations[0]!.file_name = '../../etc/passwd'
    s.images[1]!.file_name = '/etc/shadow'
    const file = await copies.write('escape_val.json', s)
    const { records, report, entries } = await readAll(file)
    expect(records).toEqual([])
    expect(report.issues.map((i) => [i.kind, i.message])).toEqual([
      ['path_escape', `${file}: images[1].file_name: "/etc/shadow" is absolute; expected a path relative to its root`],
      ['path_escape', `${file}: annotations[0].file_name: "../../etc/passwd" escapes its root directory`],
      ['annotation_without_image', `${file}: annotations[1].image_id: image_id 439180 refers to an invalid images entry (reported above)`],
    ])
    expect(entries.map((e) => [e.imageId, e.record, e.dropped.length, e.dropped[0]?.reason])).toEqual([
      [142238, null, 18, 'invalid'],
      [439180, null, 32, 'no_image'],
    ])
  })

  it('reports annotations without images, images without annotations, duplicate ids and unknown categories', async () => {
    const s = await copies.load()
    s.annotations[1]!.image_id = 999
    s.annotations[0]!.segments_info[4]!.id = s.annotations[0]!.segments_info[1]!.id
    s.annotations[0]!.segments_info[6]!.category_id = 4242
    s.images.push({ ...s.images[0]!, file_name: 'dup.jpg' })
    const file = await copies.write('join_val.json', s)
    const { records, report } = await readAll(file)
    expect(report.issues.map((i) => [i.kind, i.severity, i.message])).toEqual([
      ['duplicate_image_id', 'error', `${file}: images[2].id: image id 142238 already used by images[0]; keeping the first`],
      ['duplicate_segment_id', 'error', `${file}: annotations[0].segments_info[4].id: segment id 4260062 is already used by segments_info[1] of image 142238; ids must be unique within an image`],
      ['invalid_segment', 'error', `${file}: annotations[0].segments_info[6].category_id: category_id 4242 is not in categories (133 known)`],
      ['annotation_without_image', 'error', `${file}: annotations[1].image_id: image_id 999 has no entry in images (2 images); annotations are joined to images by image_id`],
      ['image_without_annotation', 'warning', `${file}: images[1]: image 439180 has no entry in annotations; it yields no record`],
    ])
    expect(records.map((r) => [r.imageId, r.regions.length])).toEqual([[142238, 16]])
    expect(report).toMatchObject({ errors: 4, warnings: 1, counts: { segments: 50, regions: 16, droppedSegments: 34 } })
  })

  it('fails clearly on a truncated file, naming the element and byte offset', async () => {
    const text = await (await import('node:fs/promises')).readFile(PIX2CAP_SAMPLE_JSON, 'utf8')
    const cut = text.indexOf('"image_id": 439180')
    expect(cut).toBeGreaterThan(0)
    const file = await copies.writeText('trunc_val.json', text.slice(0, cut + 5))
    await expect(readAll(file)).rejects.toThrow(`${file}: annotations[1]: unexpected end of file at byte ${cut + 5} (the file is truncated)`)
  })

  it('fails on a wrong top-level type or a missing array, naming it', async () => {
    const s = await copies.load()
    const wrong = await copies.write('wrong_val.json', { ...s, images: {} })
    await expect(readAll(wrong)).rejects.toThrow(`${wrong}: images: expected an array, found an object at byte`)
    const { annotations: _a, ...rest } = s
    const missing = await copies.write('missing_val.json', rest)
    await expect(readAll(missing)).rejects.toThrow(
      `${missing}: expected top-level keys images, annotations and categories; missing annotations (found info, licenses, images, categories)`,
    )
  })

  it('can be iterated only once', async () => {
    const reader = readPix2Cap({ annotations: PIX2CAP_SAMPLE_JSON })
    for await (const _ of reader.records()) void _
    await expect(reader.records().next()).rejects.toThrow('iterated only once')
  })
})
