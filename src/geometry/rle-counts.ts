// The compressed `counts` string of COCO RLE (pycocotools common/maskApi.c rleToString / rleFrString), written from
// its documented algorithm: each run length x (runs alternate zeros, ones, ... starting with zeros, in column-major
// order) is first replaced by x - counts[i-2] when i > 2 (runs of the same kind are similar), then written as a signed
// little-endian base-32 number, 5 bits per char, 0x20 = "more chars follow", 0x10 of the last char = sign, plus 48
// to land in printable ASCII ('0'..'o').

const CHUNK = 32 // 5 payload bits per char
const MORE = 0x20
const SIGN = 0x10
const ASCII_OFFSET = 48

/** Encodes run lengths (zeros first) as pycocotools' compressed counts string. */
export function encodeRleCounts(runs: ArrayLike<number>): string {
  let out = ''
  for (let i = 0; i < runs.length; i++) {
    // Arithmetic instead of 32-bit bit operations, so that counts of images above 2^31 pixels stay exact.
    let x = runs[i] as number
    if (i > 2) x -= runs[i - 2] as number
    for (;;) {
      const c = ((x % CHUNK) + CHUNK) % CHUNK
      x = (x - c) / CHUNK
      // Stop once the rest is pure sign extension of the chunk's top bit.
      const more = (c & SIGN) !== 0 ? x !== -1 : x !== 0
      out += String.fromCharCode((more ? c | MORE : c) + ASCII_OFFSET)
      if (!more) break
    }
  }
  return out
}

/** Decodes a compressed counts string back to run lengths (the inverse of encodeRleCounts). */
export function decodeRleCounts(counts: string): number[] {
  const runs: number[] = []
  let p = 0
  while (p < counts.length) {
    let x = 0
    let scale = 1
    let c: number
    do {
      if (p >= counts.length) throw new Error(`RLE counts string ends inside a number at char ${p}`)
      c = counts.charCodeAt(p) - ASCII_OFFSET
      if (c < 0 || c > 63) {
        throw new Error(`RLE counts string has ${JSON.stringify(counts[p])} at char ${p}; expected chars '0'..'o'`)
      }
      x += (c & 0x1f) * scale
      scale *= CHUNK
      p++
    } while ((c & MORE) !== 0)
    if ((c & SIGN) !== 0) x -= scale // sign-extend the last chunk
    const i = runs.length
    if (i > 2) x += runs[i - 2] as number
    runs.push(x)
  }
  return runs
}
