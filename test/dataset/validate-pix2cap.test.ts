import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { validateSource, type ValidationReport } from '../../src/dataset/validate-pix2cap.js'
import { HAS_SHARED, IMAGES_SAMPLE_DIR, PANOPTIC_SAMPLE_DIR, PIX2CAP_SAMPLE_JSON } from '../helpers/fixtures.js'
import { sampleCopies, type SampleJson } from '../helpers/pix2cap-copies.js'

// Caption warnings (the sample has one empty and one 2-character description) are asserted on the unchanged sample.
const brief = (r: ValidationReport) => r.issues.filter((i) => i.stage !== 'caption').map((i) => [i.stage, i.kind, i.message])

describe.skipIf(!HAS_SHARED)('validateSource on the shared sample and perturbed copies', () => {
  let copies: Awaited<ReturnType<typeof sampleCopies>>
  beforeAll(async () => {
    copies = await sampleCopies()
  })
  afterAll(() => copies.cleanup())

  const perturbed = async (name: string, change: (s: SampleJson) => void, withImages = false) => {
    const s = await copies.load()
    change(s)
    const file = await copies.write(name, s)
    return { file, report: await validateSource({ annotations: file, panopticDir: PANOPTIC_SAMPLE_DIR, ...(withImages ? { imagesDir: IMAGES_SAMPLE_DIR } : {}) }) }
  }

  it('passes the unchanged sample: JSON, both PNGs and both photos agree', async () => {
    const r = await validateSource({ annotations: PIX2CAP_SAMPLE_JSON, panopticDir: PANOPTIC_SAMPLE_DIR, imagesDir: IMAGES_SAMPLE_DIR })
    expect(r).toMatchObject({ ok: true, errors: 0, split: 'val' })
    expect(r.issues.map((i) => [i.severity, i.kind])).toEqual(r.issues.map((i) => ['warning', i.kind]))
    expect(r.issues.map((i) => i.kind).sort()).toContain('caption_empty')
    expect(r.counts).toEqual({ images: 2, annotations: 2, categories: 133, segments: 50, regions: 50, masksChecked: 2, imagesChecked: 2 })
  })

  it('a PNG id removed from segments_info is an error naming the image and the id', async () => {
    const { file, report } = await perturbed('removed_val.json', (s) => void s.annotations[0]!.segments_info.splice(4, 1))
    expect(report.ok).toBe(false)
    expect(brief(report)).toEqual([
      ['mask', 'id_not_in_json', `${file}: annotations[0].segments_info: image 142238: ${PANOPTIC_SAMPLE_DIR}/000000142238.png has id 2628072 (RGB 232,25,40) (2931 pixels, box [47, 221, 36, 138]) that segments_info does not list`],
    ])
    expect(report.issues[0]).toMatchObject({ imageId: 142238, segmentId: 2628072, severity: 'error' })
  })

  it('a segment that is not in the PNG is an error naming annotations[i].segments_info[j]', async () => {
    const { file, report } = await perturbed('added_val.json', (s) =>
      void s.annotations[1]!.segments_info.push({ id: 123456, category_id: 1, iscrowd: 0, bbox: [1, 2, 3, 4], area: 12, description: 'a person who is not in the mask' }),
    )
    expect(brief(report)).toEqual([
      ['mask', 'segment_not_in_png', `${file}: annotations[1].segments_info[32].id: image 439180: segment id 123456 (RGB 64,226,1) has no pixels in ${PANOPTIC_SAMPLE_DIR}/000000439180.png`],
    ])
  })

  it('a box off by one is reported with expected (JSON) and found (mask)', async () => {
    const { file, report } = await perturbed('box_val.json', (s) => {
      const bbox = s.annotations[0]!.segments_info[0]!.bbox as number[]
      bbox[2]! += 1
    })
    expect(brief(report)).toEqual([
      ['mask', 'bbox_mismatch', `${file}: annotations[0].segments_info[0].bbox: image 142238, segment 3937500: JSON says [282, 207, 49, 149], mask extent is [282, 207, 48, 149]`],
    ])
    expect(report.issues[0]).toMatchObject({ expected: [282, 207, 49, 149], found: [282, 207, 48, 149], segmentId: 3937500 })
  })

  it('reversed annotations still validate (joined by image_id)', async () => {
    const { report } = await perturbed('reversed_val.json', (s) => void s.annotations.reverse())
    expect(report).toMatchObject({ ok: true, errors: 0 })
    expect(brief(report)).toEqual([])
  })

  it('a wrongly typed segment is reported once (schema), not again as an unlisted PNG id', async () => {
    const { file, report } = await perturbed('type_val.json', (s) => {
      s.annotations[1]!.segments_info[3]!.iscrowd = 'no'
    })
    expect(brief(report)).toEqual([
      ['json', 'invalid_segment', `${file}: annotations[1].segments_info[3].iscrowd: expected iscrowd 0 or 1, found the string "no"`],
    ])
  })

  it('a file_name escaping its root is a path_escape error naming the path', async () => {
    const { file, report } = await perturbed('escape_val.json', (s) => void (s.annotations[1]!.file_name = '../../etc/passwd'))
    expect(brief(report)).toEqual([['json', 'path_escape', `${file}: annotations[1].file_name: "../../etc/passwd" escapes its root directory`]])
  })

  it('photos: a wrong width and a missing file are errors naming images[k].file_name', async () => {
    const { file, report } = await perturbed('photos_val.json', (s) => {
      s.images[0]!.file_name = 'nope.jpg'
      s.images[1]!.height = 361
      // keep the PNG check quiet about the size: this test is about photos
      s.annotations[1]!.file_name = '000000439180.png'
    }, true)
    const photo = report.issues.filter((i) => i.stage === 'image')
    expect(photo.map((i) => [i.kind, i.message])).toEqual([
      ['image_missing', `${file}: images[0].file_name: image 142238: photo ${IMAGES_SAMPLE_DIR}/nope.jpg does not exist`],
      ['image_size_mismatch', `${file}: images[1].file_name: image 439180: images[] says 640x361, photo ${IMAGES_SAMPLE_DIR}/000000439180.jpg is 640x360`],
    ])
    expect(report.issues.filter((i) => i.stage === 'mask').map((i) => i.kind)).toEqual(['size_mismatch'])
  })

  it('a truncated file ends the report with one fatal error naming the element', async () => {
    const text = await readFile(PIX2CAP_SAMPLE_JSON, 'utf8')
    const file = await copies.writeText('trunc_val.json', text.slice(0, 12_000))
    const report = await validateSource({ annotations: file, panopticDir: PANOPTIC_SAMPLE_DIR })
    expect(report.ok).toBe(false)
    expect(brief(report)).toEqual([['json', 'invalid_json', `${file}: annotations[1]: unexpected end of file at byte 12000 (the file is truncated)`]])
  })
})
