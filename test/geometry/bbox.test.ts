import { describe, expect, it } from 'vitest'
import {
  boxIouXywh,
  boxIouXyxy,
  denormaliseXyxy,
  normaliseXyxy,
  xywhToXyxy,
  xyxyToXywh,
} from '../../src/geometry/bbox.js'

describe('box conversions', () => {
  it.each([
    { xywh: [282, 207, 48, 149], xyxy: [282, 207, 330, 356] },
    { xywh: [0, 0, 1, 1], xyxy: [0, 0, 1, 1] },
    { xywh: [10.5, 2, 0, 3], xyxy: [10.5, 2, 10.5, 5] },
  ] as const)('$xywh <-> $xyxy', ({ xywh, xyxy }) => {
    expect(xywhToXyxy(xywh)).toEqual(xyxy)
    expect(xyxyToXywh(xyxy)).toEqual(xywh)
  })

  it('normalises by the image size and back', () => {
    expect(normaliseXyxy([64, 48, 640, 480], 640, 480)).toEqual([0.1, 0.1, 1, 1])
    expect(denormaliseXyxy([0.1, 0.1, 1, 1], 640, 480)).toEqual([64, 48, 640, 480])
    expect(() => normaliseXyxy([0, 0, 1, 1], 0, 10)).toThrow('image size 0x10 must be positive')
  })
})

describe('box IoU', () => {
  it.each([
    { name: 'identical', a: [0, 0, 10, 10], b: [0, 0, 10, 10], iou: 1 },
    { name: 'disjoint', a: [0, 0, 10, 10], b: [20, 20, 5, 5], iou: 0 },
    { name: 'touching edges', a: [0, 0, 10, 10], b: [10, 0, 10, 10], iou: 0 },
    { name: 'half overlap', a: [0, 0, 10, 10], b: [5, 0, 10, 10], iou: 50 / 150 },
    { name: 'contained', a: [0, 0, 10, 10], b: [2, 2, 5, 5], iou: 25 / 100 },
    { name: 'both empty', a: [0, 0, 0, 0], b: [0, 0, 0, 0], iou: 0 },
  ] as const)('$name', ({ a, b, iou }) => {
    expect(boxIouXywh(a, b)).toBeCloseTo(iou, 12)
    expect(boxIouXywh(b, a)).toBeCloseTo(iou, 12)
    expect(boxIouXyxy(xywhToXyxy(a), xywhToXyxy(b))).toBeCloseTo(iou, 12)
  })
})
