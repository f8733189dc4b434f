import { describe, expect, it } from 'vitest'
import { SentenceCooker } from '../../src/metrics/ngram-pool.js'
import { countNgrams, pySplit } from '../../src/metrics/tokens.js'
import { createRng } from '../../src/util/rng.js'

describe('SentenceCooker', () => {
  it('gives the same n-gram counts, in first-occurrence order, as a string-keyed precook', () => {
    const rng = createRng(3)
    const vocab = Array.from({ length: 300 }, (_, i) => `t${i}`)
    const sentences = Array.from({ length: 3000 }, () => Array.from({ length: rng.int(40) }, () => vocab[Math.floor(300 * rng.next() ** 2)]).join(' '))
    const cooker = new SentenceCooker(4)
    const names = new Map<number, string>()
    sentences.forEach((s) => cooker.add(s))
    const c = cooker.finish()
    sentences.forEach((s, si) => {
      const want = countNgrams(pySplit(s), 4)
      expect(c.lengths[si]).toBe(pySplit(s).length)
      for (let k = 0; k < 4; k++) {
        const got: [string, number][] = []
        const keys = [...(want[k] as Map<string, number>).keys()]
        for (let e = c.offsets[si * 4 + k] as number, j = 0; e < (c.offsets[si * 4 + k + 1] as number); e++, j++) {
          const id = c.ids[e] as number
          // The same id must always stand for the same n-gram.
          const name = names.get(id) ?? keys[j] as string
          names.set(id, name)
          got.push([name, c.counts[e] as number])
        }
        expect(got).toEqual([...(want[k] as Map<string, number>)])
      }
    })
    expect(new Set(names.values()).size).toBe(names.size)
  })

  it('splits on Python whitespace, not JavaScript \\s', () => {
    expect(pySplit('a\u001fb\u0085c\ufeffd  ')).toEqual(['a', 'b', 'c\ufeffd'])
    expect(pySplit('')).toEqual([])
  })
})
