import { describe, expect, it } from 'vitest'
import { roundTo, scoreVipBench, type VipSample } from '../../src/metrics/vipbench-score.js'

describe('ViP-Bench aggregation', () => {
  // 4 samples, 2 runs; sample b carries two tags.
  const samples = new Map<string, VipSample>([
    ['a', { capability: ['rec'], scores: [1.0, 0.5] }],
    ['b', { capability: ['rec', 'ocr'], scores: [0.5, 0.5] }],
    ['c', { capability: ['ocr'], scores: [0.0, 1.0] }],
    ['d', { capability: ['rec'], scores: [0.2, 0.4] }],
  ])
  const s = scoreVipBench(samples, 2)

  it('counts multi-label samples toward every tag and orders columns by frequency', () => {
    expect(s.capabilities.map((c) => [c.name, c.count])).toEqual([['rec', 3], ['ocr', 2]])
    // rec run0 = (1 + .5 + .2)/3*100 = 56.666..., run1 = (.5 + .5 + .4)/3*100 = 46.666...
    expect(s.capabilities[0]?.perRun[0]).toBeCloseTo(170 / 3, 12)
    expect(s.capabilities[0]?.perRun[1]).toBeCloseTo(140 / 3, 12)
    expect(s.capabilities[0]?.score).toBeCloseTo(155 / 3, 12)
    // ocr run0 = (.5 + 0)/2*100 = 25, run1 = (.5 + 1)/2*100 = 75
    expect(s.capabilities[1]?.perRun).toEqual([25, 75])
    expect(s.capabilities[1]?.score).toBe(50)
  })

  it('takes the total over all samples (not the mean of capabilities) and the population std of run totals', () => {
    // run0 = 1.7/4*100 = 42.5, run1 = 2.4/4*100 = 60
    expect(s.totalPerRun[0]).toBeCloseTo(42.5, 12)
    expect(s.totalPerRun[1]).toBeCloseTo(60, 12)
    expect(s.total).toBeCloseTo(51.25, 12)
    expect(s.std).toBeCloseTo(8.75, 12)
  })

  it('groups exact capability combinations with sorted tag names', () => {
    expect(s.combinations.map((c) => [c.name, c.count])).toEqual([['rec', 2], ['ocr_rec', 1], ['ocr', 1]])
    expect(s.combinations.find((c) => c.name === 'ocr_rec')?.perRun).toEqual([50, 50])
  })

  it('refuses samples with fewer runs than asked', () => {
    expect(() => scoreVipBench(new Map([['x', { capability: ['rec'], scores: [1] }]]), 2)).toThrow('sample x has 1 score(s), expected 2')
  })

  it('rounds like numpy (half to even)', () => {
    expect(roundTo(0.25, 1)).toBe(0.2)
    expect(roundTo(0.35, 1)).toBe(0.4) // numpy: 0.35 * 10 == 3.5 exactly, rint -> 4
    expect(roundTo(51.25, 1)).toBe(51.2)
    expect(roundTo(51.35, 1)).toBe(51.4)
  })
})
