import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { npMean, pairwiseSum } from '../../src/metrics/np-mean.js'
import { createRng } from '../../src/util/rng.js'
import { HAS_PYTHON, PYTHON } from '../helpers/fixtures.js'

describe('npMean', () => {
  it('adds fewer than 8 values sequentially', () => {
    expect(pairwiseSum([0.1, 0.2, 0.3])).toBe(0.1 + 0.2 + 0.3)
  })

  it('differs from a naive sequential mean where numpy does', () => {
    const rng = createRng(5)
    let differ = 0
    for (let t = 0; t < 200; t++) {
      const a = Array.from({ length: 9 + rng.int(300) }, () => rng.next() * 10 ** (rng.int(7) - 3))
      if (npMean(a) !== a.reduce((s, x) => s + x, 0) / a.length) differ++
    }
    expect(differ).toBeGreaterThan(0)
  })

  describe.skipIf(!HAS_PYTHON)('against numpy', () => {
    it('matches np.mean bit for bit on 300 random arrays of length 1..1000', () => {
      const rng = createRng(11)
      const arrays = Array.from({ length: 300 }, () => Array.from({ length: 1 + rng.int(1000) }, () => rng.next() * 10 ** (rng.int(7) - 3)))
      const script = 'import json,sys,numpy as np\nfor a in json.load(sys.stdin): print(repr(float(np.mean(np.array(a, dtype=np.float64)))))'
      const out = execFileSync(PYTHON, ['-c', script], { input: JSON.stringify(arrays), encoding: 'utf8' })
      const want = out.trim().split('\n').map(Number)
      expect(arrays.map(npMean)).toEqual(want)
    })
  })
})
