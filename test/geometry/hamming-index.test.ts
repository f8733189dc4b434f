import { describe, expect, it } from 'vitest'
import { buildHammingIndex, pairsWithin } from '../../src/geometry/hamming-index.js'
import { popcount32 } from '../../src/geometry/phash.js'
import { createRng } from '../../src/util/rng.js'

/** n random hashes, a third of them near-copies (1..10 bits flipped) of an earlier one. */
function hashes(n: number, seed: number): { hi: Uint32Array; lo: Uint32Array } {
  const rng = createRng(seed)
  const hi = new Uint32Array(n)
  const lo = new Uint32Array(n)
  for (let i = 0; i < n; i++) {
    if (i > 0 && rng.next() < 0.33) {
      const j = rng.int(i)
      hi[i] = hi[j]!
      lo[i] = lo[j]!
      for (let f = 1 + rng.int(10); f > 0; f--) {
        const bit = rng.int(64)
        if (bit < 32) hi[i] = (hi[i]! ^ (1 << bit)) >>> 0
        else lo[i] = (lo[i]! ^ (1 << (bit - 32))) >>> 0
      }
    } else {
      hi[i] = rng.int(2 ** 32) >>> 0
      lo[i] = rng.int(2 ** 32) >>> 0
    }
  }
  return { hi, lo }
}

function bruteForce(hi: Uint32Array, lo: Uint32Array, r: number): string[] {
  const out: string[] = []
  for (let a = 0; a < hi.length; a++) for (let b = a + 1; b < hi.length; b++) {
    const d = popcount32((hi[a]! ^ hi[b]!) >>> 0) + popcount32((lo[a]! ^ lo[b]!) >>> 0)
    if (d <= r) out.push(`${a}-${b}:${d}`)
  }
  return out
}

describe('multi-index Hamming search', () => {
  const { hi, lo } = hashes(1500, 11)
  it.each([0, 1, 3, 4, 7, 8, 11, 12])('pairsWithin radius %i finds exactly the brute-force pairs', (r) => {
    const got = pairsWithin(hi, lo, r).map((p) => `${p.a}-${p.b}:${p.distance}`)
    const want = bruteForce(hi, lo, r)
    expect(want.length).toBeGreaterThan(0)
    expect(got).toEqual(want)
  })

  it('checks a few candidates per query, not every hash (sub-quadratic)', () => {
    const big = hashes(20000, 5)
    const index = buildHammingIndex(big.hi, big.lo)
    let found = 0
    for (let q = 0; q < 100; q++) index.query({ hi: big.hi[q]!, lo: big.lo[q]! }, 8, () => found++)
    expect(found).toBeGreaterThanOrEqual(100) // each finds itself at least
    // Radius 8 probes the 14 keys within 1 bit in each of 5 tables of 8,192 (4,096) keys: ~5 x 14 x 20000 / 8192
    // = ~170 random candidates per query (plus its near-copies), against 20,000 for a scan.
    expect(index.checks / 100).toBeLessThan(400)
  })

  it('refuses a radius outside 0..64', () => {
    const index = buildHammingIndex(new Uint32Array(1), new Uint32Array(1))
    expect(() => index.query({ hi: 0, lo: 0 }, 65, () => {})).toThrow('Hamming radius must be an integer in 0..64, got 65')
    expect(() => buildHammingIndex(new Uint32Array(2), new Uint32Array(1))).toThrow('hash halves differ in length')
  })
})
