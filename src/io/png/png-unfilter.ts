// Undoes PNG row filters (spec §9.2-9.4) in place, tuned for label maps such as COCO's panoptic PNGs. Their rows
// are mostly Up, then Paeth and Sub (PIL's adaptive filtering), and a filtered row is almost all zeros: an Up row is
// all zero where the row repeats the one above, and a changed Up or Paeth row has a few non-zero bytes around the
// edges that moved (6 to 37 per 1,920-byte row, measured on the bench set and the COCO sample). So zero stretches
// are found a word at a time and copied natively, and only the bytes around non-zero differences go through the
// per-byte predictor. Decoding stays exact for any 8-bit RGB/RGBA PNG; dense rows just take the per-byte path.

/** What unfilterRows learned about a row: the Up filter tells whether the row repeats the one above. */
export const ROW_UNKNOWN = 0
export const ROW_SAME = 1
export const ROW_DIFFERENT = 2

// A zero stretch shorter than this is copied by the JS loop: below it a native call costs more than it saves.
const NATIVE_COPY_MIN = 32

let zeroRow = Buffer.alloc(0)

// True when bytes [s, s + n) of d are all zero: one native compare against a zero row.
function allZero(d: Uint8Array, s: number, n: number): boolean {
  if (zeroRow.length < n) zeroRow = Buffer.alloc(n)
  return zeroRow.compare(d, s, s + n, 0, n) === 0
}

/**
 * The first index in [i, end) whose byte is not zero, or `end`. `w32` views the same memory as 32-bit words (d must
 * start at a 4-byte boundary of its buffer), so zero stretches go a word per step.
 */
export function nextNonZero(d: Uint8Array, w32: Int32Array, i: number, end: number): number {
  while (i < end && (i & 3) !== 0) {
    if (d[i] !== 0) return i
    i++
  }
  if (i >= end) return end // never step back into bytes before i: they may already be output
  const wordEnd = end >> 2
  let k = i >> 2
  while (k < wordEnd && w32[k] === 0) k++
  i = k << 2
  while (i < end && d[i] === 0) i++
  return i
}

// d[i, j) = d[i - stride, j - stride): the row above over a zero stretch.
function copyFromAbove(d: Uint8Array, i: number, j: number, stride: number): void {
  if (j - i >= NATIVE_COPY_MIN) d.copyWithin(i, i - stride, j - stride)
  else for (let k = i; k < j; k++) d[k] = d[k - stride] as number
}

/**
 * Undoes the filters of `height` rows of `stride` bytes (a filter-type byte, then the row) in place; `bpp` bytes per
 * pixel. `state[y]` gets ROW_SAME / ROW_DIFFERENT where the filter settles whether row y repeats row y - 1, else
 * ROW_UNKNOWN. False on an unknown filter type.
 */
export function unfilterRows(d: Uint8Array, stride: number, height: number, bpp: number, state: Uint8Array): boolean {
  const n = stride - 1
  const w32 = d.byteOffset % 4 === 0 ? new Int32Array(d.buffer, d.byteOffset, d.byteLength >> 2) : null
  for (let y = 0, r = 0; y < height; y++, r += stride) {
    const f = d[r] as number
    const s = r + 1 // first byte of this row
    const e = s + n
    state[y] = ROW_UNKNOWN
    if (f === 0) continue
    if (f === 1 || (f === 4 && y === 0)) {
      // Sub; and Paeth on the first row, whose missing row above makes it Sub (spec §9.4).
      for (let i = s + bpp; i < e; i++) d[i] = ((d[i] as number) + (d[i - bpp] as number)) & 0xff
    } else if (f === 2) {
      if (y === 0) continue // the row above counts as zeros
      if (allZero(d, s, n)) {
        d.copyWithin(s, s - stride, e - stride)
        state[y] = ROW_SAME
        continue
      }
      state[y] = ROW_DIFFERENT // a non-zero difference changes that byte
      if (w32 === null) upBytes(d, s, e, stride)
      else upSparse(d, w32, s, e, stride)
    } else if (f === 3) {
      averageRow(d, s, n, stride, bpp, y === 0)
    } else if (f === 4) {
      if (w32 === null) paethBytes(d, s, e, stride, bpp)
      else paethSparse(d, w32, s, e, stride, bpp)
    } else {
      return false
    }
  }
  return true
}

function upBytes(d: Uint8Array, i: number, e: number, stride: number): void {
  for (; i < e; i++) d[i] = ((d[i] as number) + (d[i - stride] as number)) & 0xff
}

// Up: the row above over each zero stretch, then the bytes of the non-zero cluster one by one (16 at a time, so a
// dense row costs about what a plain loop does).
function upSparse(d: Uint8Array, w32: Int32Array, i: number, e: number, stride: number): void {
  while (i < e) {
    const z = nextNonZero(d, w32, i, e)
    copyFromAbove(d, i, z, stride)
    const end = z + 16 < e ? z + 16 : e
    upBytes(d, z, end, stride)
    i = end
  }
}

// Average (spec §9.3); rare in panoptic PNGs, so plain.
function averageRow(d: Uint8Array, s: number, n: number, stride: number, bpp: number, first: boolean): void {
  if (first) {
    for (let i = s + bpp, e = s + n; i < e; i++) d[i] = ((d[i] as number) + ((d[i - bpp] as number) >> 1)) & 0xff
    return
  }
  const u = s - stride
  for (let i = 0; i < bpp; i++) d[s + i] = ((d[s + i] as number) + ((d[u + i] as number) >> 1)) & 0xff
  for (let i = bpp; i < n; i++) d[s + i] = ((d[s + i] as number) + (((d[s + i - bpp] as number) + (d[u + i] as number)) >> 1)) & 0xff
}

// The Paeth predictor (spec §9.4) for byte i, its left (a), upper (b) and upper-left (c) neighbours final. With
// p = a + b - c the distances are |b - c|, |a - c| and |a + b - 2c|, so b === c picks a and a === c picks b
// without computing them; ties go to a, then b, then c.
function paethByte(d: Uint8Array, i: number, stride: number, bpp: number): void {
  const a = d[i - bpp] as number
  const b = d[i - stride] as number
  const c = d[i - stride - bpp] as number
  let p: number
  if (b === c) p = a
  else if (a === c) p = b
  else {
    let pa = b - c
    let pb = a - c
    let pc = pa + pb
    pa = pa < 0 ? -pa : pa
    pb = pb < 0 ? -pb : pb
    pc = pc < 0 ? -pc : pc
    p = pa <= pb && pa <= pc ? a : pb <= pc ? b : c
  }
  d[i] = ((d[i] as number) + p) & 0xff
}

// The first pixel of a Paeth row: left and upper-left are zero, so the predictor is the byte above.
function paethFirstPixel(d: Uint8Array, s: number, stride: number, bpp: number): void {
  for (let i = s; i < s + bpp; i++) d[i] = ((d[i] as number) + (d[i - stride] as number)) & 0xff
}

// Paeth one byte at a time over the row [s, e).
function paethBytes(d: Uint8Array, s: number, e: number, stride: number, bpp: number): void {
  paethFirstPixel(d, s, stride, bpp)
  for (let i = s + bpp; i < e; i++) paethByte(d, i, stride, bpp)
}

// True when the bpp bytes before i equal the bytes above them.
function matchesAbove(d: Uint8Array, i: number, stride: number, bpp: number): boolean {
  for (let k = i - bpp; k < i; k++) if (d[k] !== d[k - stride]) return false
  return true
}

// Paeth over a mostly-zero row. Where the last pixel equals the one above it (a === c for each of its bytes), a
// zero difference predicts b, so the output repeats the row above, and so does the next byte, to the end of the
// zero stretch: copied natively. Elsewhere (around non-zero differences, and until the row meets the row above
// again) byte by byte.
function paethSparse(d: Uint8Array, w32: Int32Array, s: number, e: number, stride: number, bpp: number): void {
  paethFirstPixel(d, s, stride, bpp)
  let i = s + bpp
  while (i < e) {
    if (d[i] === 0 && matchesAbove(d, i, stride, bpp)) {
      const z = nextNonZero(d, w32, i, e)
      copyFromAbove(d, i, z, stride)
      i = z
      if (i === e) break
    }
    paethByte(d, i, stride, bpp)
    i++
  }
}
