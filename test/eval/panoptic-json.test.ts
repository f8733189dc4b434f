import { describe, expect, it } from 'vitest'
import {
  isRawGtAnnotation, isRawGtSegment, isRawPanopticCategory, isRawPanopticGt, isRawPanopticPred, isRawPredAnnotation, isRawPredSegment,
  RawGtAnnotation, RawGtSegment, RawPanopticCategory, RawPanopticGt, RawPanopticPred, RawPredAnnotation, RawPredSegment,
} from '../../src/eval/panoptic-json.js'
import { parseJsonText } from '../../src/io/input/read-json.js'
import type { z } from 'zod'

const gtSeg = { id: 3937500, category_id: 7, iscrowd: 0, area: 812, bbox: [1, 2, 3, 4], description: 'a red car' }
const gtSegs: unknown[] = [
  gtSeg, { ...gtSeg, iscrowd: 1 }, { ...gtSeg, iscrowd: true }, { ...gtSeg, iscrowd: 2.5 }, { ...gtSeg, description: ['a', 'b'] },
  (({ iscrowd: _c, description: _d, ...rest }) => rest)(gtSeg), { ...gtSeg, area: 0 }, { ...gtSeg, area: -0 },
  { ...gtSeg, id: -1 }, { ...gtSeg, id: 1.5 }, { ...gtSeg, id: 2 ** 60 }, { ...gtSeg, id: '7' }, { ...gtSeg, category_id: null },
  { ...gtSeg, iscrowd: 'no' }, { ...gtSeg, iscrowd: null }, { ...gtSeg, iscrowd: Infinity }, { ...gtSeg, area: -1 },
  { ...gtSeg, area: Number.NaN }, { ...gtSeg, area: '5' }, { ...gtSeg, description: ['ok', 3] }, { ...gtSeg, description: null },
  { ...gtSeg, description: 5 }, [gtSeg], null, 'segment',
]
const predSeg = { id: 300, category_id: 7, caption: 'a car', score: 0.9 }
const predSegs: unknown[] = [
  predSeg, { id: 300, category_id: 7 }, { ...predSeg, caption: ['x'] }, { ...predSeg, score: -2 }, { ...predSeg, score: Infinity },
  { ...predSeg, score: '0.9' }, { ...predSeg, caption: 3 }, { ...predSeg, id: -4 }, { ...predSeg, category_id: 1.1 }, [], undefined,
]
const gtAnn = { image_id: 139, file_name: '000000000139.png', segments_info: [gtSeg] }
const gtAnns: unknown[] = [
  gtAnn, { ...gtAnn, image_id: 'a' }, { ...gtAnn, image_id: 3.5 }, { ...gtAnn, segments_info: [] }, { ...gtAnn, image_id: null },
  { ...gtAnn, file_name: 5 }, { ...gtAnn, segments_info: {} }, { ...gtAnn, segments_info: [gtSeg, { ...gtSeg, area: -1 }] }, null,
]
const predAnn = { image_id: 139, file_name: 'p.png', segments_info: [predSeg] }
const predAnns: unknown[] = [predAnn, { ...predAnn, segments_info: [{ ...predSeg, score: 'high' }] }, { ...predAnn, file_name: undefined }, 7]
const cat = { id: 7, name: 'car', isthing: 1, supercategory: 'vehicle' }
const cats: unknown[] = [cat, { id: 7, name: 'car' }, { ...cat, isthing: false }, { ...cat, name: 3 }, { ...cat, id: -7 }, { ...cat, isthing: '1' }]
const gt = { info: {}, images: [], annotations: [gtAnn], categories: [cat] }
const gts: unknown[] = [gt, { ...gt, annotations: [] }, { ...gt, annotations: [gtAnn, { ...gtAnn, segments_info: [{ ...gtSeg, id: 'x' }] }] }, { ...gt, categories: [cat, { ...cat, name: null }] }, { annotations: [gtAnn] }, []]
const pred = { annotations: [predAnn] }
const preds: unknown[] = [pred, { annotations: [] }, { annotations: [predAnn, { ...predAnn, image_id: {} }] }, {}, null]

describe('panoptic JSON guards agree with the zod schemas', () => {
  const cases = [
    ['RawGtSegment', gtSegs, isRawGtSegment, RawGtSegment],
    ['RawPredSegment', predSegs, isRawPredSegment, RawPredSegment],
    ['RawGtAnnotation', gtAnns, isRawGtAnnotation, RawGtAnnotation],
    ['RawPredAnnotation', predAnns, isRawPredAnnotation, RawPredAnnotation],
    ['RawPanopticCategory', cats, isRawPanopticCategory, RawPanopticCategory],
    ['RawPanopticGt', gts, isRawPanopticGt, RawPanopticGt],
    ['RawPanopticPred', preds, isRawPanopticPred, RawPanopticPred],
  ] as const
  it.each(cases)('%s: same verdict, and what passes is exactly what zod returns', (_name, variants, guard, schema) => {
    for (const v of variants) {
      const viaZod = (schema as z.ZodType).safeParse(v)
      expect(guard(v), JSON.stringify(v)).toBe(viaZod.success)
      if (viaZod.success) expect(v).toStrictEqual(viaZod.data)
    }
    expect(variants.filter((v) => guard(v)).length).toBeGreaterThan(0)
    expect(variants.filter((v) => !guard(v)).length).toBeGreaterThan(1)
  })

  it('a file the guard refuses is still worded by zod, with the file and JSON path', () => {
    const text = JSON.stringify({ ...gt, annotations: [gtAnn, { ...gtAnn, segments_info: [gtSeg, { ...gtSeg, area: -1 }] }] })
    expect(() => parseJsonText(text, 'gt.json', RawPanopticGt, isRawPanopticGt)).toThrow(/^gt\.json: annotations\[1\]\.segments_info\[1\]\.area: /)
  })
})
