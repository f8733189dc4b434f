// The DCT perceptual hash as imagehash computes it (JohannesBuchner/imagehash `imagehash/__init__.py`, `phash`):
//   1. grayscale (PIL "L": L = R*299/1000 + G*587/1000 + B*114/1000), 2. resize to 32x32 (hash_size 8 x
//   highfreq_factor 4) with LANCZOS/ANTIALIAS, 3. 2-D DCT-II, `scipy.fftpack.dct(dct(pixels, axis=0), axis=1)`,
//   4. keep the top-left 8x8 coefficients (DC term included), 5. bit = coefficient > numpy.median of those 64.
// Bits are row-major; imagehash's hex (`str(hash)`) reads them as one big-endian binary number, so bit 0 is the MSB.
// This module is pure: the grayscale 32x32 pixels come from io/image-fingerprint.ts (sharp).
// scipy's unnormalised DCT-II is y[k] = 2 * sum_n x[n] cos(pi k (2n + 1) / 2N); the factor 2 per axis scales every
// coefficient and the median alike, so it does not change a bit, and we leave it out.

/** imagehash's default hash_size: 8x8 = 64 bits. */
export const PHASH_SIZE = 8
/** imagehash's default highfreq_factor: the image is reduced to 8 * 4 = 32 pixels a side before the DCT. */
export const PHASH_HIGHFREQ_FACTOR = 4
/** Side of the grayscale square the DCT runs on. */
export const PHASH_INPUT_SIDE = PHASH_SIZE * PHASH_HIGHFREQ_FACTOR

/** A 64-bit hash as two unsigned 32-bit halves: `hi` holds bits 0..31 (the first 32 coefficients, MSB first). */
export interface Phash64 {
  hi: number
  lo: number
}

// cos(pi k (2n + 1) / 2N) for the 8 kept frequencies k and the 32 samples n.
const COS = (() => {
  const m = new Float64Array(PHASH_SIZE * PHASH_INPUT_SIDE)
  for (let k = 0; k < PHASH_SIZE; k++) {
    for (let n = 0; n < PHASH_INPUT_SIDE; n++) m[k * PHASH_INPUT_SIDE + n] = Math.cos((Math.PI * k * (2 * n + 1)) / (2 * PHASH_INPUT_SIDE))
  }
  return m
})()

/**
 * The 8x8 low-frequency DCT-II block of a 32x32 grayscale image (row-major pixels, any numeric array), row-major,
 * without scipy's constant factor 4. Only the 8 kept rows of each 1-D transform are computed: 8*32*32 + 8*8*32
 * multiplications instead of a full 32x32 transform.
 */
export function lowFrequencyDct(gray: ArrayLike<number>): Float64Array {
  const N = PHASH_INPUT_SIDE
  const K = PHASH_SIZE
  if (gray.length !== N * N) throw new RangeError(`pHash needs ${N}x${N} = ${N * N} grayscale pixels, got ${gray.length}`)
  // Along axis 0 (down the columns): tmp[k][x] = sum_y cos(k, y) * gray[y][x].
  const tmp = new Float64Array(K * N)
  for (let k = 0; k < K; k++) {
    const t = k * N
    for (let y = 0; y < N; y++) {
      const c = COS[k * N + y]!
      const row = y * N
      for (let x = 0; x < N; x++) tmp[t + x]! += c * gray[row + x]!
    }
  }
  // Along axis 1 (the rows): out[k][l] = sum_x tmp[k][x] * cos(l, x).
  const out = new Float64Array(K * K)
  for (let k = 0; k < K; k++) {
    for (let l = 0; l < K; l++) {
      let s = 0
      for (let x = 0; x < N; x++) s += tmp[k * N + x]! * COS[l * N + x]!
      out[k * K + l] = s
    }
  }
  return out
}

/** numpy.median: the mean of the two middle values for an even count. */
function median(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort()
  const mid = sorted.length >> 1
  return sorted.length % 2 === 0 ? (sorted[mid - 1]! + sorted[mid]!) / 2 : sorted[mid]!
}

/** The 64-bit pHash of a 32x32 grayscale image (imagehash.phash with its defaults). */
export function phashFromGray(gray: ArrayLike<number>): Phash64 {
  const dct = lowFrequencyDct(gray)
  const med = median(dct)
  let hi = 0
  let lo = 0
  for (let i = 0; i < 32; i++) if (dct[i]! > med) hi |= 1 << (31 - i)
  for (let i = 0; i < 32; i++) if (dct[32 + i]! > med) lo |= 1 << (31 - i)
  return { hi: hi >>> 0, lo: lo >>> 0 }
}

/** PIL's `convert('L')` of interleaved 8-bit pixels (ITU-R 601-2 luma; Pillow's Convert.c uses these weights). */
export function lumaOf(pixels: ArrayLike<number>, channels: number): Float64Array {
  const n = Math.floor(pixels.length / channels)
  const out = new Float64Array(n)
  if (channels < 3) {
    for (let i = 0; i < n; i++) out[i] = pixels[i * channels]!
    return out
  }
  for (let i = 0; i < n; i++) {
    const p = i * channels
    out[i] = (pixels[p]! * 299 + pixels[p + 1]! * 587 + pixels[p + 2]! * 114) / 1000
  }
  return out
}

/** imagehash's hex spelling (`str(hash)`): 16 hex digits, bit 0 first. */
export function phashToHex(h: Phash64): string {
  return h.hi.toString(16).padStart(8, '0') + h.lo.toString(16).padStart(8, '0')
}

/** Parses imagehash's 16-digit hex (`imagehash.hex_to_hash`). */
export function phashFromHex(hex: string): Phash64 {
  if (!/^[0-9a-fA-F]{16}$/.test(hex)) throw new RangeError(`a 64-bit pHash is 16 hex digits, got "${hex}"`)
  return { hi: Number.parseInt(hex.slice(0, 8), 16) >>> 0, lo: Number.parseInt(hex.slice(8), 16) >>> 0 }
}

/** Set bits of a 32-bit integer (SWAR popcount). */
export function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555)
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333)
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff
}

/** Hamming distance of two 64-bit hashes (imagehash's `hash1 - hash2`). */
export function hammingDistance(a: Phash64, b: Phash64): number {
  return popcount32((a.hi ^ b.hi) >>> 0) + popcount32((a.lo ^ b.lo) >>> 0)
}
