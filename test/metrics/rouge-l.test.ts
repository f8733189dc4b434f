import { describe, expect, it } from 'vitest'
import { lcsLength, rougeL } from '../../src/metrics/rouge-l.js'

describe('ROUGE-L', () => {
  it('scores an empty hypothesis 0', () => expect(rougeL('', ['a cat'])).toBe(0))

  it('splits on single spaces, so a doubled space is an extra (empty) token', () => {
    expect(rougeL('a cat', ['a cat'])).toBe(1)
    expect(rougeL('a  cat', ['a cat'])).toBeLessThan(1)
  })

  it('takes max precision and max recall independently across references', () => {
    // ref1: LCS 2 of hyp(2) -> P 1, R 2/6; ref2 = "a": P 0.5, R 1. max P 1, max R 1 -> F 1.
    expect(rougeL('a b', ['a b c d e f', 'a'])).toBe(1)
  })

  it('uses beta 1.2', () => {
    const p = 1
    const r = 0.5
    expect(rougeL('a b', ['a b c d'])).toBe(((1 + 1.2 ** 2) * p * r) / (r + 1.2 ** 2 * p))
  })

  it('computes the LCS length', () => {
    expect(lcsLength('a b c d e'.split(' '), 'a c e x'.split(' '))).toBe(3)
    expect(lcsLength([], ['a'])).toBe(0)
  })
})
