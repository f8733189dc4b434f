import { describe, expect, it } from 'vitest'
import { computeCiderD } from '../../src/metrics/cider-d.js'

describe('CIDEr-D', () => {
  it('is 0 for a single image (N = 1: every idf weight is log 1 - log 1 = 0)', () => {
    const r = computeCiderD([{ hyp: 'a cat on a mat', refs: ['a cat on a mat', 'a cat'] }])
    expect(r.corpus).toBe(0)
    expect(r.perImage).toEqual([0])
  })

  it('gives 10 for exact matches whose n-grams are not in every image', () => {
    const r = computeCiderD([
      { hyp: 'a cat on a mat', refs: ['a cat on a mat'] },
      { hyp: 'two dogs run fast', refs: ['two dogs run fast'] },
    ])
    expect(r.perImage).toEqual([10, 10])
  })

  it('counts bigrams as the length (the upstream quirk): a one-token difference with no bigram change is free', () => {
    // "dog" has 0 bigrams, "dog dog"... use the penalty: hyp of 3 tokens vs ref of 5 -> delta = 2 bigrams.
    const pairs = [
      { hyp: 'x y z', refs: ['x y z w v'] },
      { hyp: 'p q', refs: ['r s'] },
    ]
    const withPenalty = computeCiderD(pairs).perImage[0] as number
    const sigmaHuge = computeCiderD(pairs, { sigma: 1e9 }).perImage[0] as number
    expect(withPenalty / sigmaHuge).toBeCloseTo(Math.exp(-(2 ** 2) / 72), 12)
  })

  it('gives an empty 4-gram order 0 (3-token exact match scores 7.5)', () => {
    const r = computeCiderD([
      { hyp: 'a cat on a mat', refs: ['a cat on a mat'] },
      { hyp: 'two dogs run', refs: ['two dogs run'] },
    ])
    expect(r.perImage[1]).toBe(7.5)
  })
})
