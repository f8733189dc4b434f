import { describe, expect, it } from 'vitest'
import { parseRawAnnotationShell, parseRawImage, parseRawSegment } from '../../../src/sources/pix2cap/raw-guards.js'
import { RawAnnotationShell, RawImage, RawSegment } from '../../../src/sources/pix2cap/raw-schema.js'
import { parseWithProblems } from '../../../src/util/zod-issues.js'

const seg = { id: 4325578, category_id: 7, iscrowd: 0, bbox: [1, 2.5, 30, 40], area: 812, description: 'a red car', extra: [1] }
const segVariants: unknown[] = [
  seg,
  { ...seg, iscrowd: 1, description: ['one', 'two'] },
  { ...seg, description: [] },
  { ...seg, area: 0 },
  { ...seg, id: 1.5 },
  { ...seg, id: '7' },
  { ...seg, id: 2 ** 60 },
  { ...seg, category_id: null },
  { ...seg, iscrowd: 'no' },
  { ...seg, iscrowd: 2 },
  { ...seg, bbox: [1, 2, 3] },
  { ...seg, bbox: [1, 2, 3, '4'] },
  { ...seg, bbox: { 0: 1, 1: 2, 2: 3, 3: 4, length: 4 } },
  { ...seg, area: -1 },
  { ...seg, area: '5' },
  { ...seg, description: ['ok', 3] },
  { ...seg, description: null },
  (({ description: _d, ...rest }) => rest)(seg),
  [seg],
  null,
  'segment',
]
const ann = { image_id: 142238, file_name: '000000142238.png', segments_info: [seg] }
const annVariants: unknown[] = [ann, { ...ann, segments_info: [] }, { ...ann, image_id: -3 }, { ...ann, image_id: 3.2 }, { ...ann, file_name: '' }, { ...ann, segments_info: {} }, { ...ann, file_name: 5 }, [], null]
const img = { id: 142238, file_name: 'x.jpg', width: 640, height: 427, license: 3 }
const imgVariants: unknown[] = [img, { ...img, width: 0 }, { ...img, height: -4 }, { ...img, width: 640.5 }, { ...img, file_name: '' }, { ...img, id: '1' }, {}, 7]

describe('raw guards agree with the zod schemas', () => {
  const cases = [
    ['RawSegment', segVariants, parseRawSegment, RawSegment],
    ['RawAnnotationShell', annVariants, parseRawAnnotationShell, RawAnnotationShell],
    ['RawImage', imgVariants, parseRawImage, RawImage],
  ] as const
  it.each(cases)('%s: same verdict, same data, same problems', (_name, variants, fast, schema) => {
    for (const v of variants) {
      const path = ['annotations', 0]
      const viaZod = parseWithProblems(schema, v, path)
      const viaGuard = fast(v, path)
      expect(viaGuard).toEqual(viaZod)
    }
    // the battery exercises both verdicts
    expect(variants.filter((v) => fast(v, []).ok).length).toBeGreaterThan(0)
    expect(variants.filter((v) => !fast(v, []).ok).length).toBeGreaterThan(2)
  })
})
