// A small synchronous PNG decoder for the one layout COCO-panoptic PNGs use: 8-bit truecolour (RGB or RGBA),
// not interlaced (PNG spec §11.2.2 IHDR, §9 filtering, §10 zlib stream). It inflates the concatenated IDAT data
// with node:zlib and undoes the row filters in place (png-unfilter.ts), so the pixels stay in the inflated buffer
// (each row after its filter-type byte): no second copy, no libvips thread hand-off. Given a PngScratch, that
// buffer is reused from one image to the next (inflate-into.ts says why). For the PQ evaluation this is several
// times cheaper than sharp on panoptic PNGs. Anything else (palette, 16-bit, grey, interlaced, a bad CRC, a damaged stream)
// returns null and the caller falls back to sharp, which then decodes it or reports the problem in its own words.
import zlib from 'node:zlib'
import type { RgbPixels } from '../../geometry/panoptic-map.js'
import { RawInflater } from './inflate-into.js'
import { ROW_SAME, ROW_UNKNOWN, unfilterRows } from './png-unfilter.js'

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const IHDR = 0x49484452
const IDAT = 0x49444154
const IEND = 0x49454e44

let crcTable: Uint32Array | null = null

// CRC-32 (PNG spec Annex D), used where node:zlib lacks crc32 (Node < 20.15).
function crc32Js(buf: Uint8Array, start: number, end: number): number {
  if (crcTable === null) {
    crcTable = new Uint32Array(256)
    for (let n = 0; n < 256; n++) {
      let c = n
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
      crcTable[n] = c >>> 0
    }
  }
  let c = 0xffffffff
  for (let i = start; i < end; i++) c = (crcTable[(c ^ (buf[i] as number)) & 0xff] as number) ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

const nativeCrc = (zlib as { crc32?: (data: Uint8Array) => number }).crc32
const crc32 = (buf: Uint8Array, start: number, end: number): number =>
  nativeCrc ? nativeCrc(buf.subarray(start, end)) >>> 0 : crc32Js(buf, start, end)

const u32 = (b: Uint8Array, o: number): number =>
  (((b[o] as number) << 24) | ((b[o + 1] as number) << 16) | ((b[o + 2] as number) << 8) | (b[o + 3] as number)) >>> 0

// One engine per thread: every decode is synchronous, so calls never overlap.
const inflater = new RawInflater()

/**
 * Memory that decodeRgb8Png reuses: the pixels it returns live here and stay valid until the next decode into the
 * same scratch. Grows to the largest image seen.
 */
export class PngScratch {
  rows: Uint8Array = new Uint8Array(0)
  sameAsAbove: Uint8Array = new Uint8Array(0)
}

// `buf` when it holds at least n bytes, else a new array of n (a scratch grows to the largest image seen).
const atLeast = (buf: Uint8Array, n: number): Uint8Array => (buf.length >= n ? buf : new Uint8Array(n))

/**
 * Decodes an 8-bit RGB/RGBA non-interlaced PNG into interleaved bytes addressed by `offset` + y * `stride`
 * + x * `channels`; null for any other PNG or for one this decoder cannot read (the caller then uses sharp).
 * With `into`, the pixels live in that scratch (see PngScratch); without, in new buffers of their own.
 */
export function decodeRgb8Png(png: Uint8Array, into?: PngScratch): RgbPixels | null {
  if (png.length < 8 + 25) return null
  for (let i = 0; i < 8; i++) if (png[i] !== SIGNATURE[i]) return null
  let width = 0
  let height = 0
  let channels = 0
  const idat: Uint8Array[] = []
  let idatBytes = 0
  let ended = false
  for (let p = 8; p + 12 <= png.length; ) {
    const len = u32(png, p)
    const type = u32(png, p + 4)
    const end = p + 8 + len
    if (end + 4 > png.length) return null
    // Critical chunks must pass their CRC (libpng refuses them otherwise); ancillary ones are skipped unread.
    const critical = ((png[p + 4] as number) & 0x20) === 0
    if (critical && crc32(png, p + 4, end) !== u32(png, end)) return null
    if (p === 8) {
      if (type !== IHDR || len !== 13) return null
      width = u32(png, p + 8)
      height = u32(png, p + 12)
      const depth = png[p + 16]
      const colour = png[p + 17]
      // compression 0, filter method 0, interlace 0; colour 2 = RGB, 6 = RGBA.
      if (depth !== 8 || (colour !== 2 && colour !== 6) || png[p + 18] !== 0 || png[p + 19] !== 0 || png[p + 20] !== 0) return null
      channels = colour === 6 ? 4 : 3
      if (width === 0 || height === 0 || width * height > 1 << 28) return null
    } else if (type === IDAT) {
      idat.push(png.subarray(p + 8, end))
      idatBytes += len
    } else if (type === IEND) {
      ended = true
      break
    } else if (critical) {
      return null // PLTE in a truecolour PNG is allowed but rare; let sharp judge anything unusual
    }
    p = end + 4
  }
  if (!ended || idat.length === 0) return null
  const stride = width * channels + 1
  const z = idat.length === 1 ? (idat[0] as Uint8Array) : Buffer.concat(idat, idatBytes)
  // zlib header (RFC 1950): deflate, no preset dictionary, header checksum. The deflate data after it is inflated
  // raw, skipping the Adler-32 check (about 15% of the inflate time): the chunk CRC-32s above already cover every
  // compressed byte.
  const cmf = z[0] as number
  const flg = z[1] as number
  if (z.length < 6 || (cmf & 0x0f) !== 8 || (cmf >> 4) > 7 || (flg & 0x20) !== 0 || (cmf * 256 + flg) % 31 !== 0) return null
  // One spare byte tells a stream of exactly the right size from one that goes on.
  const size = stride * height
  const rows = into === undefined ? new Uint8Array(size + 1) : (into.rows = atLeast(into.rows, size + 1))
  if (inflater.inflate(z.subarray(2), rows) !== size) return null
  const raw = rows.subarray(0, size)
  const same = into === undefined ? new Uint8Array(height) : (into.sameAsAbove = atLeast(into.sameAsAbove, height)).subarray(0, height)
  if (!unfilterRows(raw, stride, height, channels, same)) return null
  repeatedRows(raw, stride, height, same)
  return { width, height, channels, data: raw, stride, offset: 1, sameAsAbove: same }
}

// same[y] = 1 when row y equals row y-1, else 0 (label maps repeat many rows, and the PQ histogram then reuses the
// row above's counts). Rows that unfilterRows did not settle take a native memcmp each.
function repeatedRows(raw: Uint8Array, stride: number, height: number, same: Uint8Array): void {
  const b = Buffer.from(raw.buffer, raw.byteOffset, raw.length)
  same[0] = 0
  for (let y = 1, s = 1 + stride; y < height; y++, s += stride) {
    const state = same[y]
    if (state === ROW_UNKNOWN) same[y] = b.compare(b, s - stride, s - 1, s, s + stride - 1) === 0 ? 1 : 0
    else same[y] = state === ROW_SAME ? 1 : 0
  }
}
