// The sparse unfilter (zero stretches found a word at a time and copied, the rest byte by byte) must equal a plain
// per-byte implementation of PNG spec §9 on every filter type, on the mostly-zero rows label maps produce and on
// dense rows, and settle "row repeats the row above" only where that is true.
import { describe, expect, it } from 'vitest'
import { nextNonZero, ROW_DIFFERENT, ROW_SAME, ROW_UNKNOWN, unfilterRows } from '../../../src/io/png/png-unfilter.js'
import { createRng, type Rng } from '../../../src/util/rng.js'

// PNG spec §9.2-9.4, one byte at a time: the reference the fast code is held to.
function referenceUnfilter(d: Uint8Array, stride: number, height: number, bpp: number): void {
  const n = stride - 1
  for (let y = 0; y < height; y++) {
    const f = d[y * stride] as number
    for (let x = 0; x < n; x++) {
      const i = y * stride + 1 + x
      const a = x >= bpp ? (d[i - bpp] as number) : 0
      const b = y > 0 ? (d[i - stride] as number) : 0
      const c = x >= bpp && y > 0 ? (d[i - stride - bpp] as number) : 0
      const p = a + b - c
      const pa = Math.abs(p - a)
      const pb = Math.abs(p - b)
      const pc = Math.abs(p - c)
      const paeth = pa <= pb && pa <= pc ? a : pb <= pc ? b : c
      const pred = [0, a, b, (a + b) >> 1, paeth][f] as number
      d[i] = ((d[i] as number) + pred) & 0xff
    }
  }
}

// Filtered rows: filter types drawn from `filters`, differences mostly zero with a few clusters (label maps), or
// dense, or all zero.
function filteredRows(rng: Rng, w: number, h: number, bpp: number, filters: number[]): Uint8Array {
  const stride = w * bpp + 1
  const d = new Uint8Array(stride * h)
  for (let y = 0; y < h; y++) {
    d[y * stride] = filters[rng.int(filters.length)] as number
    const kind = rng.next()
    if (kind < 0.25) continue // all zero
    const dense = kind > 0.9
    if (kind < 0.45) {
      // One cluster a few bytes before the row end: the last, partial 32-bit word of a row is where a word scan
      // can go wrong.
      const at = Math.max(0, w * bpp - 1 - rng.int(12) - 2 * bpp)
      for (let k = 0; k < 1 + rng.int(bpp) && at + k < w * bpp; k++) d[y * stride + 1 + at + k] = 1 + rng.int(255)
      continue
    }
    const clusters = 1 + rng.int(4)
    for (let x = 0; x < w * bpp; x++) {
      if (dense ? rng.next() < 0.7 : rng.next() < clusters / (w * bpp)) {
        const len = dense ? 1 : 1 + rng.int(2 * bpp)
        for (let k = 0; k < len && x + k < w * bpp; k++) d[y * stride + 1 + x + k] = 1 + rng.int(255)
      }
    }
  }
  return d
}

describe('nextNonZero', () => {
  it('finds the first non-zero byte in [i, end) like a plain loop, never before i', () => {
    const rng = createRng(3)
    for (let round = 0; round < 40; round++) {
      const d = new Uint8Array(48)
      for (let k = 0; k < 48; k++) if (rng.next() < 0.08) d[k] = 1 + rng.int(255)
      const w32 = new Int32Array(d.buffer)
      for (let i = 0; i <= 48; i++) {
        for (let end = i; end <= 48; end++) {
          let want = i
          while (want < end && d[want] === 0) want++
          expect(nextNonZero(d, w32, i, end), `i ${i} end ${end}`).toBe(want)
        }
      }
    }
  })
})

describe('unfilterRows', () => {
  it.each([
    { bpp: 3, w: 61, filters: [2] },
    { bpp: 3, w: 61, filters: [4] },
    { bpp: 3, w: 640, filters: [0, 1, 2, 3, 4] },
    { bpp: 4, w: 37, filters: [0, 1, 2, 3, 4] },
    { bpp: 3, w: 3, filters: [1, 2, 4] },
  ])('equals the per-byte reference ($bpp channels, width $w, filters $filters)', ({ bpp, w, filters }) => {
    const rng = createRng(w * 10 + bpp + filters.length)
    for (let round = 0; round < 16; round++) {
      const h = 24
      const stride = w * bpp + 1
      const filtered = filteredRows(rng, w, h, bpp, filters)
      const want = filtered.slice()
      referenceUnfilter(want, stride, h, bpp)
      const got = filtered.slice()
      const state = new Uint8Array(h)
      expect(unfilterRows(got, stride, h, bpp, state)).toBe(true)
      expect(Buffer.from(got).equals(Buffer.from(want))).toBe(true)
      for (let y = 1; y < h; y++) {
        const row = Buffer.from(want.subarray(y * stride + 1, (y + 1) * stride))
        const above = Buffer.from(want.subarray((y - 1) * stride + 1, y * stride))
        if (state[y] === ROW_SAME) expect(row.equals(above), `row ${y}`).toBe(true)
        else if (state[y] === ROW_DIFFERENT) expect(row.equals(above), `row ${y}`).toBe(false)
        else expect(state[y]).toBe(ROW_UNKNOWN)
      }
      expect(state[0]).toBe(ROW_UNKNOWN)
    }
  })

  it('gives the same bytes from memory that does not start on a 4-byte boundary (per-byte path)', () => {
    const rng = createRng(12)
    const w = 45
    const h = 20
    const stride = w * 3 + 1
    const filtered = filteredRows(rng, w, h, 3, [0, 1, 2, 3, 4])
    const want = filtered.slice()
    referenceUnfilter(want, stride, h, 3)
    const backing = new Uint8Array(filtered.length + 1)
    backing.set(filtered, 1)
    const unaligned = backing.subarray(1)
    expect(unfilterRows(unaligned, stride, h, 3, new Uint8Array(h))).toBe(true)
    expect(Buffer.from(unaligned).equals(Buffer.from(want))).toBe(true)
  })

  it('settles every Up row after the first, and refuses an unknown filter type', () => {
    const rng = createRng(9)
    const h = 10
    const d = filteredRows(rng, 20, h, 3, [2])
    const state = new Uint8Array(h)
    unfilterRows(d, 61, h, 3, state)
    expect([...state.subarray(1)].every((s) => s === ROW_SAME || s === ROW_DIFFERENT)).toBe(true)
    const bad = filteredRows(rng, 20, 2, 3, [5])
    expect(unfilterRows(bad, 61, 2, 3, new Uint8Array(2))).toBe(false)
  })
})
