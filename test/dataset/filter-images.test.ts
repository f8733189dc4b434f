import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { checkRegion, filterImages, xdecoderImageRuleHit } from '../../src/dataset/filter-images.js'
import { DEFAULT_FILTER_POLICY, FilterPolicy } from '../../src/dataset/filter-policy.js'
import { filterPolicyFromFlags } from '../../src/cli/filter-policy-flags.js'
import { openRejectsWriter } from '../../src/io/corpus/rejects-writer.js'
import { RejectRecord, type ImageRecord, type RegionRecord } from '../../src/records/index.js'
import { readPix2Cap } from '../../src/sources/pix2cap/read-pix2cap.js'
import { HAS_SHARED, PIX2CAP_SAMPLE_JSON } from '../helpers/fixtures.js'
import { sampleCopies } from '../helpers/pix2cap-copies.js'

const region = (over: Partial<RegionRecord> = {}): RegionRecord => ({
  regionId: '1:5', segmentId: 5, categoryId: 1, category: 'person', isThing: true, isCrowd: false,
  bbox: [10, 10, 20, 30], area: 400, captions: ['a person in a red coat'], ...over,
})
const image = (regions: RegionRecord[], over: Partial<ImageRecord> = {}): ImageRecord => ({
  source: 'pix2cap-coco', split: 'train', imageId: 1, imagePath: '1.jpg', width: 100, height: 100, regions, ...over,
})

describe('filter policy', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_FILTER_POLICY).toEqual({ dropCrowd: true, minCaptionChars: 3, minBoxSide: 1, imageRule: 'off', maxCaptionChars: 2000, dropMarkLeftovers: false })
  })

  it('builds from flags and rejects bad values naming the flag', () => {
    expect(filterPolicyFromFlags({ 'keep-crowd': true, 'min-caption-chars': '6', 'min-box-side': '3', 'image-rule': 'xdecoder-train' })).toEqual({
      dropCrowd: false, minCaptionChars: 6, minBoxSide: 3, imageRule: 'xdecoder-train', maxCaptionChars: 2000, dropMarkLeftovers: false,
    })
    expect(() => filterPolicyFromFlags({ 'image-rule': 'xdecoder' })).toThrow('--image-rule expects one of off, xdecoder-train, xdecoder-all, got "xdecoder"')
    expect(() => filterPolicyFromFlags({ 'min-box-side': '-1' })).toThrow('--min-box-side expects a non-negative number, got "-1"')
    expect(() => filterPolicyFromFlags({ 'min-caption-chars': '2.5' })).toThrow('--min-caption-chars expects an integer, got "2.5"')
  })
})

describe('checkRegion', () => {
  const P = DEFAULT_FILTER_POLICY
  it.each([
    { name: 'crowd', r: region({ isCrowd: true }), want: 'crowd' },
    { name: 'zero width (GPT4RoI w < 1)', r: region({ bbox: [0, 0, 0, 5] }), want: 'tiny_box' },
    { name: 'zero area', r: region({ area: 0 }), want: 'tiny_box' },
    { name: 'empty string', r: region({ captions: [''] }), want: 'empty_caption' },
    { name: 'whitespace only', r: region({ captions: ['   '] }), want: 'empty_caption' },
    { name: 'no captions', r: region({ captions: [] }), want: 'empty_caption' },
    { name: '2 characters', r: region({ captions: ['ok'] }), want: 'short_caption' },
    { name: 'empty and short', r: region({ captions: ['', 'no'] }), want: 'short_caption' },
  ])('rejects $name as $want', ({ r, want }) => {
    const v = checkRegion(r, P)
    expect('reason' in v ? v.reason : 'kept').toBe(want)
  })

  it('keeps a region, dropping only its short captions', () => {
    const v = checkRegion(region({ captions: ['ok', 'a long caption'] }), P)
    expect('keep' in v && v.keep.captions).toEqual(['a long caption'])
    expect(checkRegion(region({ isCrowd: true }), { ...P, dropCrowd: false })).toHaveProperty('keep')
    // 3 code points, not UTF-16 units: an emoji counts once
    expect(checkRegion(region({ captions: ['\u{1F600}\u{1F600}'] }), P)).toMatchObject({ reason: 'short_caption' })
  })

  it('raises the box threshold with minBoxSide and says why', () => {
    expect(checkRegion(region({ bbox: [0, 0, 2, 40] }), { ...P, minBoxSide: 3 })).toEqual({
      reason: 'tiny_box', detail: 'bbox [0,0,2,40] (w 2, h 40) has a side below --min-box-side 3',
    })
    expect(checkRegion(region({ bbox: [0, 0, 2, 40] }), P)).toHaveProperty('keep')
  })
})

describe('xdecoderImageRuleHit (Python len semantics)', () => {
  it.each([
    { name: "''", captions: [''], hit: true },
    { name: "'ok'", captions: ['ok'], hit: true },
    { name: "'abc'", captions: ['abc'], hit: false },
    { name: 'a 2-element list (len 2 < 3)', captions: ['a long one', 'another long one'], hit: true },
    { name: 'a 3-element list', captions: ['a', 'b', 'c'], hit: false },
  ])('$name -> $hit', ({ captions, hit }) => {
    expect(xdecoderImageRuleHit(image([region(), region({ segmentId: 9, captions })]))?.segmentId ?? null).toBe(hit ? 9 : null)
  })
})

describe('filterImages', () => {
  it('applies the image rule to train only with xdecoder-train', async () => {
    const imgs = [image([region(), region({ segmentId: 6, regionId: '1:6', captions: [''] })]), image([region({ captions: [''] })], { imageId: 2, split: 'val' })]
    const f = filterImages(imgs, FilterPolicy.parse({ imageRule: 'xdecoder-train' }))
    const kept: ImageRecord[] = []
    for await (const i of f) kept.push(i)
    expect(kept).toEqual([])
    expect(f.counts).toEqual({ imagesIn: 2, imagesKept: 0, imagesDropped: 2, regionsIn: 3, regionsKept: 0, rejectedTotal: 3, rejected: { image_rule: 2, empty_caption: 1 }, conversationsIn: 0, conversationsKept: 0, conversationsRejected: 0 })
    expect(f.rejects[0]!.detail).toBe('image 1 dropped by --image-rule xdecoder-train: segment 6 has description "" (empty)')
  })
})

describe.skipIf(!HAS_SHARED)('filterImages on the shared sample', () => {
  let copies: Awaited<ReturnType<typeof sampleCopies>>
  beforeAll(async () => {
    copies = await sampleCopies()
  })
  afterAll(() => copies.cleanup())

  it('drops 3 crowd, the empty and the "ok" descriptions; 50 in = 45 kept + 5 rejected', async () => {
    const reader = readPix2Cap({ annotations: PIX2CAP_SAMPLE_JSON })
    const f = filterImages(reader.entries(), DEFAULT_FILTER_POLICY)
    const kept: ImageRecord[] = []
    for await (const i of f) kept.push(i)
    expect(kept.map((i) => [i.imageId, i.regions.length])).toEqual([[142238, 16], [439180, 29]])
    expect(f.counts).toEqual({ imagesIn: 2, imagesKept: 2, imagesDropped: 0, regionsIn: 50, regionsKept: 45, rejectedTotal: 5, rejected: { crowd: 3, empty_caption: 1, short_caption: 1 }, conversationsIn: 0, conversationsKept: 0, conversationsRejected: 0 })
    expect(f.rejects.map((r) => [r.regionId, r.reason, r.detail])).toEqual([
      ['142238:3997935', 'empty_caption', 'description "" is empty'],
      ['142238:3153362', 'crowd', 'iscrowd segment (person); crowd segments are dropped by default (--keep-crowd keeps them)'],
      ['439180:5120499', 'crowd', 'iscrowd segment (person); crowd segments are dropped by default (--keep-crowd keeps them)'],
      ['439180:15714220', 'short_caption', 'every caption is shorter than --min-caption-chars 3: "ok" (2)'],
      ['439180:16175517', 'crowd', 'iscrowd segment (horse); crowd segments are dropped by default (--keep-crowd keeps them)'],
    ])
    expect(f.rejects[0]).toMatchObject({ source: 'pix2cap-coco', imageId: 142238, segmentId: 3997935, origin: { path: ['annotations', 0, 'segments_info', 9] } })
    // the two-caption region survives with both captions
    expect(kept[1]!.regions.find((r) => r.segmentId === 5768384)!.captions).toHaveLength(2)
  })

  it('with the X-Decoder rule on every split, drops both images (empty description; a 2-element list)', async () => {
    const f = filterImages(readPix2Cap({ annotations: PIX2CAP_SAMPLE_JSON }).entries(), FilterPolicy.parse({ imageRule: 'xdecoder-all' }))
    for await (const _ of f) throw new Error('no image should be kept')
    expect(f.counts).toMatchObject({ regionsIn: 50, regionsKept: 0, rejected: { image_rule: 50 } })
    expect(new Set(f.rejects.map((r) => r.detail))).toEqual(
      new Set([
        'image 142238 dropped by --image-rule xdecoder-all: segment 3997935 has description "" (empty)',
        'image 439180 dropped by --image-rule xdecoder-all: segment 5768384 has description a list of 2 captions (Python len 2 < 3)',
      ]),
    )
    // the sample is val: the loader's own rule (train only) keeps both
    const t = filterImages(readPix2Cap({ annotations: PIX2CAP_SAMPLE_JSON }).entries(), FilterPolicy.parse({ imageRule: 'xdecoder-train' }))
    for await (const _ of t) void _
    expect(t.counts.rejected.image_rule).toBeUndefined()
  })

  it('turns the reader\'s invalid segments into rejects and writes rejects.jsonl atomically', async () => {
    const s = await copies.load()
    s.annotations[0]!.segments_info[3]!.bbox = [1, 2, 3]
    s.annotations[1]!.image_id = 999
    const file = await copies.write('invalid_val.json', s)
    const dest = join(copies.dir, 'out', 'rejects.jsonl')
    const writer = await openRejectsWriter(dest)
    const f = filterImages(readPix2Cap({ annotations: file }).entries(), DEFAULT_FILTER_POLICY, { onReject: (r) => writer.write(r) })
    const kept: ImageRecord[] = []
    for await (const i of f) kept.push(i)
    await expect(readFile(dest)).rejects.toMatchObject({ code: 'ENOENT' }) // not in place before close
    await writer.close()
    expect(f.counts).toEqual({ imagesIn: 1, imagesKept: 1, imagesDropped: 0, regionsIn: 50, regionsKept: 15, rejectedTotal: 35, rejected: { invalid: 1, no_image: 32, empty_caption: 1, crowd: 1 }, conversationsIn: 0, conversationsKept: 0, conversationsRejected: 0 })
    const lines = (await readFile(dest, 'utf8')).trimEnd().split('\n').map((l) => RejectRecord.parse(JSON.parse(l)))
    expect(lines).toHaveLength(35)
    expect(lines[0]).toEqual({
      source: 'pix2cap-coco', imageId: 142238, segmentId: 4325578, regionId: '142238:4325578', reason: 'invalid',
      detail: 'bbox: expected 4 numbers [x, y, w, h], got 3', origin: { file: 'invalid_val.json', path: ['annotations', 0, 'segments_info', 3] },
    })
    expect(writer.counts).toEqual({ total: 35, byReason: { invalid: 1, no_image: 32, empty_caption: 1, crowd: 1 } })
  })

  it('checks the invariant: a region counted twice throws PixcapError invariant', async () => {
    // Stand-in for a bug: a reject handler that adds a region to the image being filtered, so one more region comes
    // out than went in. The filter must notice instead of writing an inconsistent corpus.
    const reader = readPix2Cap({ annotations: PIX2CAP_SAMPLE_JSON })
    let current: ImageRecord | null = null
    async function* tracked() {
      for await (const e of reader.entries()) {
        current = e.record
        yield e
      }
    }
    let added = false
    const f = filterImages(tracked(), DEFAULT_FILTER_POLICY, {
      onReject: () => {
        if (added || !current) return
        added = true
        current.regions.push({ ...current.regions[0]!, regionId: 'extra', segmentId: 1 })
      },
    })
    const drain = async () => {
      for await (const _ of f) void _
    }
    await expect(drain()).rejects.toThrow('pix2cap-coco: regions in (50) != regions kept (46) + rejected (5); a region was lost or counted twice')
    await expect(drain()).rejects.toThrow('iterated only once')
    expect(f.counts).toMatchObject({ regionsIn: 50, regionsKept: 46, rejectedTotal: 5 })
  })
})
