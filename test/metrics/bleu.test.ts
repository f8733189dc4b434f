import { describe, expect, it } from 'vitest'
import { bleuStats, computeBleu, BLEU_SMALL, BLEU_TINY } from '../../src/metrics/bleu.js'
import { npMean } from '../../src/metrics/np-mean.js'

describe('BLEU', () => {
  it('takes the closest reference length, ties to the shorter', () => {
    // testlen 4; refs of length 3 and 5 are equally close -> 3.
    expect(bleuStats('a b c d', ['x y z', 'x y z w v']).reflen).toBe(3)
    expect(bleuStats('a b c d', ['x y z w v', 'x y z']).reflen).toBe(3)
    expect(bleuStats('a b c d', ['x y z w v', 'x']).reflen).toBe(5)
  })

  it('clips each n-gram at its max count over references', () => {
    const s = bleuStats('the the the the', ['the cat', 'the the dog'])
    expect(s.correct).toEqual([2, 1, 0, 0])
    expect(s.guess).toEqual([4, 3, 2, 1])
  })

  it('pools statistics for the corpus score, which is not the mean of per-image scores', () => {
    const pairs = [
      { hyp: 'a man riding a horse', refs: ['a man riding a horse on the beach'] },
      { hyp: 'a cat', refs: ['a cat on a mat', 'the cat'] },
      { hyp: 'two dogs playing in the grass', refs: ['dogs play'] },
    ]
    const r = computeBleu(pairs)
    expect(r.totals.testlen).toBe(13)
    expect(r.totals.reflen).toBe(8 + 2 + 2)
    expect(r.perImage[0]).toHaveLength(3)
    const meanB1 = npMean(r.perImage[0] as number[])
    expect(Math.abs((r.corpus[0] as number) - meanB1)).toBeGreaterThan(0.01)
    // Recompute corpus BLEU-1 from the pooled totals by hand.
    const c = r.totals.correct[0] as number
    const g = r.totals.guess[0] as number
    expect(r.corpus[0]).toBe((c + BLEU_TINY) / (g + BLEU_SMALL))
  })

  it('scores a perfect 5-token match slightly below 1 (the tiny/small constants)', () => {
    expect(computeBleu([{ hyp: 'a cat on a mat', refs: ['a cat on a mat'] }]).corpus[0]).toBe(0.9999999996000004)
  })

  it('rejects an image without references', () => {
    expect(() => computeBleu([{ hyp: 'a', refs: [] }])).toThrow('at least one reference')
  })
})
