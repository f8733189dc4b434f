import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../src/cli/main.js'
import { HAS_SHARED, IMAGES_SAMPLE_DIR, PANOPTIC_SAMPLE_DIR, PIX2CAP_SAMPLE_JSON } from '../helpers/fixtures.js'
import { captureIo } from '../helpers/io.js'
import { sampleCopies } from '../helpers/pix2cap-copies.js'

describe('stats / validate usage errors', () => {
  it('validate requires --panoptic-dir for a source with panoptic masks; stats one file', async () => {
    const io = captureIo()
    expect(await main(['validate', 'sample/pix2cap_sample_train.json'], io)).toBe(2)
    expect(io.err()).toContain('--panoptic-dir: pix2cap-coco files are checked against their panoptic PNGs')
    const io2 = captureIo()
    expect(await main(['stats'], io2)).toBe(2)
    expect(io2.err()).toContain('pixcap stats: expected one annotations file, got 0')
  })

  it('a missing file is an error naming it (exit 1)', async () => {
    const io = captureIo()
    expect(await main(['stats', '/nonexistent/pix2cap_val.json', '--json'], io)).toBe(1)
    expect(JSON.parse(io.out())).toMatchObject({ ok: false, error: { code: 'not_found', file: '/nonexistent/pix2cap_val.json' } })
  })
})

describe.skipIf(!HAS_SHARED)('pixcap stats / validate on the shared sample', () => {
  let copies: Awaited<ReturnType<typeof sampleCopies>>
  beforeAll(async () => {
    copies = await sampleCopies()
  })
  afterAll(() => copies.cleanup())

  it('stats prints a table and --json the object', async () => {
    const io = captureIo()
    expect(await main(['stats', PIX2CAP_SAMPLE_JSON], io)).toBe(0)
    expect(io.out()).toMatch(/^regions +50 \(43 thing, 7 stuff, 3 crowd\)$/m)
    expect(io.out()).toMatch(/^words per caption +mean 23\.80 +median 24 +p95 29\.55 +min 1 +max 33$/m)
    expect(io.out()).toMatch(/^person +thing +28 +2$/m)
    expect(io.out()).toMatch(/^filter policy +keeps 45 of 50 regions in 2 images; rejects 5 \(empty_caption 1, crowd 3, short_caption 1\)$/m)
    const ruled = captureIo()
    expect(await main(['stats', PIX2CAP_SAMPLE_JSON, '--image-rule', 'xdecoder-all', '--keep-crowd'], ruled)).toBe(0)
    expect(ruled.out()).toMatch(/keeps 0 of 50 regions in 0 images; rejects 50 \(image_rule 50\)\n +dropCrowd false, minCaptionChars 3, minBoxSide 1, imageRule xdecoder-all, maxCaptionChars 2000, dropMarkLeftovers false\n/)
    expect(io.out()).toMatch(/^caption warnings +empty 1, mark_leftover 1, short 1 /m)
    const usage = captureIo()
    expect(await main(['stats', PIX2CAP_SAMPLE_JSON, '--min-box-side', 'x'], usage)).toBe(2)
    expect(usage.err()).toContain('--min-box-side expects a non-negative number, got "x"')
    const j = captureIo()
    expect(await main(['stats', PIX2CAP_SAMPLE_JSON, '--json'], j)).toBe(0)
    expect(JSON.parse(j.out())).toMatchObject({
      split: 'val',
      stats: { images: 2, regions: 50, captions: 51, crowd: 3 },
      filter: { policy: { dropCrowd: true, minCaptionChars: 3 }, counts: { regionsIn: 50, regionsKept: 45, rejected: { crowd: 3, empty_caption: 1, short_caption: 1 } } },
    })
    expect(j.err()).toBe('')
  })

  it('validate exits 0 on the sample and 1 with every problem printed with file + JSON path', async () => {
    const ok = captureIo()
    expect(await main(['validate', PIX2CAP_SAMPLE_JSON, '--panoptic-dir', PANOPTIC_SAMPLE_DIR, '--images-dir', IMAGES_SAMPLE_DIR], ok)).toBe(0)
    expect(ok.out()).toContain('2 masks checked, 2 photos checked\nok: no errors, 3 warnings (caption_empty 1, caption_mark_leftover 1, caption_short 1)\n')
    expect(ok.out()).toContain('annotations[1].segments_info[15].description: image 439180, segment 6094848: caption names a set-of-mark label "object 12"')

    const s = await copies.load()
    s.annotations[0]!.segments_info[1]!.area = 1
    s.annotations[1]!.segments_info[2]!.bbox = [0, 205, 13]
    const file = await copies.write('bad_val.json', s)
    const bad = captureIo()
    expect(await main(['validate', file, '--panoptic-dir', PANOPTIC_SAMPLE_DIR], bad)).toBe(1)
    expect(bad.out().split('\n').slice(0, 2)).toEqual([
      `error [invalid_segment] ${file}: annotations[1].segments_info[2].bbox: expected 4 numbers [x, y, w, h], got 3`,
      `error [area_mismatch] ${file}: annotations[0].segments_info[1].area: image 142238, segment 4260062: JSON says 1, mask has 3751 pixels`,
    ])
    expect(bad.out()).toContain('FAILED: 2 errors, 3 warnings (invalid_segment 1, area_mismatch 1, caption_empty 1, caption_mark_leftover 1, caption_short 1)')
    const j = captureIo()
    expect(await main(['validate', file, '--panoptic-dir', PANOPTIC_SAMPLE_DIR, '--json'], j)).toBe(1)
    expect(JSON.parse(j.out())).toMatchObject({ ok: false, errors: 2, issuesByKind: { invalid_segment: 1, area_mismatch: 1 } })
  })
})
