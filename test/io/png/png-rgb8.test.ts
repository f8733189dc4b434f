// The pure-JS PNG decoder used by PQ evaluation must give exactly sharp's pixels, for every filter type, RGB and RGBA,
// split IDAT chunks and the COCO sample PNGs; anything it does not handle must come back null (sharp takes over).
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import zlib from 'node:zlib'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { decodePanopticRgb } from '../../../src/io/png/panoptic-rgb.js'
import { decodeRgb8Png, PngScratch } from '../../../src/io/png/png-rgb8.js'
import { synthPanopticPair } from '../../../bench/panoptic-synth.js'
import { encodePanopticPng } from '../../../src/io/png/panoptic-png.js'
import { createRng } from '../../../src/util/rng.js'
import type { RgbPixels } from '../../../src/metrics/pq/joint-histogram.js'
import { HAS_SHARED, PANOPTIC_SAMPLE_DIR } from '../../helpers/fixtures.js'

function chunk(type: string, body: Uint8Array): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(body.length, 0)
  head.write(type, 4, 'ascii')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), body])) >>> 0, 0)
  return Buffer.concat([head, body, crc])
}

// Forward PNG filters (spec §9.2), written independently of the decoder: row y uses filter type filters(y).
function filterRows(raw: Uint8Array, w: number, h: number, bpp: number, filters: (y: number) => number): Buffer {
  const n = w * bpp
  const out = Buffer.alloc((n + 1) * h)
  const at = (y: number, i: number) => (y < 0 || i < 0 ? 0 : (raw[y * n + i] as number))
  for (let y = 0; y < h; y++) {
    const f = filters(y)
    out[y * (n + 1)] = f
    for (let i = 0; i < n; i++) {
      const x = at(y, i)
      const a = at(y, i - bpp)
      const b = at(y - 1, i)
      const c = at(y - 1, i - bpp)
      const pa = Math.abs(b - c)
      const pb = Math.abs(a - c)
      const pc = Math.abs(a + b - 2 * c)
      const paeth = pa <= pb && pa <= pc ? a : pb <= pc ? b : c
      const pred = [0, a, b, (a + b) >> 1, paeth][f] as number
      out[y * (n + 1) + 1 + i] = (x - pred) & 0xff
    }
  }
  return out
}

interface PngOpts { colour?: number; depth?: number; interlace?: number; idatParts?: number; extra?: Buffer[]; zlibHeader?: [number, number] }

function makePng(raw: Uint8Array, w: number, h: number, bpp: number, filters: (y: number) => number, o: PngOpts = {}): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(w, 0)
  ihdr.writeUInt32BE(h, 4)
  ihdr[8] = o.depth ?? 8
  ihdr[9] = o.colour ?? (bpp === 4 ? 6 : 2)
  ihdr[12] = o.interlace ?? 0
  const z = zlib.deflateSync(filterRows(raw, w, h, bpp, filters))
  if (o.zlibHeader) z.set(o.zlibHeader, 0)
  const parts = o.idatParts ?? 1
  const step = Math.ceil(z.length / parts)
  const idats = Array.from({ length: parts }, (_, k) => chunk('IDAT', z.subarray(k * step, (k + 1) * step)))
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), ...(o.extra ?? []), ...idats, chunk('IEND', Buffer.alloc(0)),
  ])
}

// A label-map-like image: runs of a few colours, repeated rows, and some noise so that every filter matters.
function labelImage(w: number, h: number, bpp: number, seed: number): Uint8Array {
  const rng = createRng(seed)
  const colours = Array.from({ length: 6 }, () => Array.from({ length: bpp }, () => rng.int(256)))
  const raw = new Uint8Array(w * h * bpp)
  for (let y = 0; y < h; y++) {
    if (y > 0 && rng.next() < 0.3) {
      raw.copyWithin(y * w * bpp, (y - 1) * w * bpp, y * w * bpp)
      continue
    }
    let c = colours[rng.int(6)] as number[]
    for (let x = 0; x < w; x++) {
      if (rng.next() < 0.08) c = colours[rng.int(6)] as number[]
      for (let k = 0; k < bpp; k++) raw[(y * w + x) * bpp + k] = rng.next() < 0.02 ? rng.int(256) : (c[k] as number)
    }
  }
  return raw
}

/** Packs decoder output (rows after a filter byte) into tightly interleaved bytes. */
function packed(p: RgbPixels): Uint8Array {
  const n = p.width * p.channels
  const out = new Uint8Array(n * p.height)
  for (let y = 0; y < p.height; y++) {
    const s = (p.offset ?? 0) + y * (p.stride ?? n)
    out.set(p.data.subarray(s, s + n), y * n)
  }
  return out
}

async function sharpRaw(png: Uint8Array): Promise<{ data: Buffer; channels: number }> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true })
  return { data, channels: info.channels }
}

describe('decodeRgb8Png', () => {
  it.each([
    { bpp: 3, w: 37, h: 29, parts: 1 },
    { bpp: 4, w: 37, h: 29, parts: 3 },
    { bpp: 3, w: 1, h: 7, parts: 2 },
    { bpp: 3, w: 640, h: 11, parts: 5 },
  ])('matches sharp on every filter type ($bpp channels, $w x $h, $parts IDAT)', async ({ bpp, w, h, parts }) => {
    const raw = labelImage(w, h, bpp, w * 100 + bpp)
    // Rows cycle through all five filters, the first row included (its "above" is all zeros).
    for (const start of [0, 1, 2, 3, 4]) {
      const png = makePng(raw, w, h, bpp, (y) => (y + start) % 5, { idatParts: parts })
      const ours = decodeRgb8Png(png)
      expect(ours).not.toBeNull()
      const want = await sharpRaw(png)
      expect(ours?.channels).toBe(want.channels)
      expect(Buffer.from(packed(ours as RgbPixels)).equals(want.data)).toBe(true)
      expect(Buffer.from(packed(ours as RgbPixels)).equals(Buffer.from(raw))).toBe(true)
    }
  })

  it('marks rows equal to the row above', () => {
    const w = 5
    const raw = new Uint8Array(w * 4 * 3)
    raw.fill(9, 0, 2 * w * 3) // rows 0 and 1 equal
    raw.fill(9, 3 * w * 3) // row 3 differs from row 2 (zeros)
    const p = decodeRgb8Png(makePng(raw, w, 4, 3, () => 0))
    expect([...(p?.sameAsAbove ?? [])]).toEqual([0, 1, 0, 0])
  })

  it('decodes into a reused scratch: same pixels as sharp, same memory from image to image', async () => {
    const scratch = new PngScratch()
    const big = makePng(labelImage(40, 30, 3, 21), 40, 30, 3, (y) => y % 5)
    const small = makePng(labelImage(9, 7, 4, 22), 9, 7, 4, (y) => (y + 2) % 5)
    let memory: ArrayBufferLike | undefined
    for (const png of [big, small, big, small]) {
      const got = decodeRgb8Png(png, scratch) as RgbPixels
      expect(Buffer.from(packed(got)).equals((await sharpRaw(png)).data)).toBe(true)
      expect(got.data.buffer).toBe(scratch.rows.buffer)
      expect(got.sameAsAbove?.length).toBe(got.height)
      memory ??= got.data.buffer
      expect(got.data.buffer).toBe(memory) // the first (largest) image sized it once
    }
    // A refused PNG leaves the scratch usable.
    expect(decodeRgb8Png(big.subarray(0, big.length - 30), scratch)).toBeNull()
    expect(Buffer.from(packed(decodeRgb8Png(small, scratch) as RgbPixels)).equals((await sharpRaw(small)).data)).toBe(true)
  })

  it('skips ancillary chunks', async () => {
    const raw = labelImage(8, 8, 3, 5)
    const png = makePng(raw, 8, 8, 3, () => 4, { extra: [chunk('tEXt', Buffer.from('Comment\0hi')), chunk('gAMA', Buffer.from([0, 0, 0xb1, 0x8f]))] })
    expect(Buffer.from(packed(decodeRgb8Png(png) as RgbPixels)).equals((await sharpRaw(png)).data)).toBe(true)
  })

  it('returns null for what it does not handle, so sharp decides', async () => {
    const raw = labelImage(8, 8, 3, 6)
    const good = makePng(raw, 8, 8, 3, () => 1)
    const badCrc = Buffer.from(good)
    badCrc[40] = (badCrc[40] as number) ^ 0xff // inside the IDAT data: its CRC no longer matches
    const notPng = Buffer.from('not a png at all, just some bytes to fill')
    const sixteen = await sharp(Buffer.from(raw), { raw: { width: 8, height: 8, channels: 3 } }).toColourspace('rgb16').png().toBuffer()
    const palette = await sharp(Buffer.from(raw), { raw: { width: 8, height: 8, channels: 3 } }).png({ palette: true }).toBuffer()
    const interlaced = await sharp(Buffer.from(raw), { raw: { width: 8, height: 8, channels: 3 } }).png({ progressive: true }).toBuffer()
    const grey = await sharp(Buffer.from(raw), { raw: { width: 8, height: 8, channels: 3 } }).toColourspace('b-w').png().toBuffer()
    for (const png of [badCrc, notPng, good.subarray(0, good.length - 20), sixteen, palette, interlaced, grey]) {
      expect(decodeRgb8Png(png)).toBeNull()
    }
    expect(decodeRgb8Png(makePng(raw, 8, 8, 3, () => 7))).toBeNull() // filter type 7 does not exist
    // Valid CRCs over a bad zlib header: not deflate, a preset dictionary, a wrong header checksum.
    for (const header of [[0x79, 0x9c], [0x78, 0xbb], [0x78, 0x9d]] as [number, number][]) {
      expect(decodeRgb8Png(makePng(raw, 8, 8, 3, () => 1, { zlibHeader: header }))).toBeNull()
    }
    expect(decodeRgb8Png(makePng(raw, 8, 8, 3, () => 1, { zlibHeader: [0x78, 0x01] }))).not.toBeNull() // other level, fine
  })
})

describe('decodeRgb8Png on label maps filtered like COCO\'s panoptic PNGs', () => {
  it('equals sharp, with the right repeated-row flags, on adaptively filtered synthetic panoptic PNGs', async () => {
    const rng = createRng(41)
    const filtersSeen = new Set<number>()
    const scratch = new PngScratch()
    for (let k = 0; k < 6; k++) {
      const { gt, pred } = synthPanopticPair(rng, 640, 480)
      for (const map of [gt, pred]) {
        const png = await encodePanopticPng({ width: 640, height: 480, ids: map.ids }, { adaptiveFiltering: true })
        const got = decodeRgb8Png(png, scratch) as RgbPixels
        const row = 640 * 3
        for (let y = 0; y < got.height; y++) filtersSeen.add(got.data[y * (got.stride as number)] as number)
        const want = (await sharpRaw(png)).data
        expect(Buffer.from(packed(got)).equals(want)).toBe(true)
        for (let y = 1; y < got.height; y++) {
          const same = want.subarray(y * row, (y + 1) * row).equals(want.subarray((y - 1) * row, y * row))
          expect(got.sameAsAbove?.[y], `row ${y}`).toBe(same ? 1 : 0)
        }
      }
    }
    // Up and Paeth rows as in COCO (Sub too, usually): the sparse paths are what ran.
    expect(filtersSeen.has(2) && filtersSeen.has(4)).toBe(true)
  })
})

describe('decodePanopticRgb', () => {
  it('falls back to sharp for a palette PNG and returns the same pixels', async () => {
    const raw = labelImage(16, 9, 3, 8)
    const palette = await sharp(Buffer.from(raw), { raw: { width: 16, height: 9, channels: 3 } }).png({ palette: true, colours: 256, dither: 0 }).toBuffer()
    const got = await decodePanopticRgb(palette)
    const want = await sharpRaw(palette)
    expect(Buffer.from(packed(got)).equals(want.data)).toBe(true)
  })

  it('leaves a greyscale PNG to sharp, which expands it to RGB as before', async () => {
    const grey = await sharp(Buffer.alloc(16, 3), { raw: { width: 4, height: 4, channels: 1 } }).toColourspace('b-w').png().toBuffer()
    expect(decodeRgb8Png(grey)).toBeNull()
    const got = await decodePanopticRgb(grey)
    expect(got.channels).toBe(3)
    expect(Buffer.from(packed(got)).equals((await sharpRaw(grey)).data)).toBe(true)
  })
})

describe.skipIf(!HAS_SHARED)('decodeRgb8Png on the COCO panoptic sample', () => {
  it('decodes every sample PNG (Sub, Up and Paeth rows) exactly like sharp', async () => {
    const files = readdirSync(PANOPTIC_SAMPLE_DIR).filter((f) => f.endsWith('.png'))
    expect(files.length).toBeGreaterThan(0)
    for (const f of files) {
      const png = readFileSync(join(PANOPTIC_SAMPLE_DIR, f))
      const ours = decodeRgb8Png(png)
      expect(ours, f).not.toBeNull()
      expect(Buffer.from(packed(ours as RgbPixels)).equals((await sharpRaw(png)).data), f).toBe(true)
    }
  })
})
