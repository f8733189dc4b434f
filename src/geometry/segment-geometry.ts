// Pixel-derived area and box of every segment of a panoptic map, in one pass over the pixels.
// COCO bbox: [x, y, w, h], 0-indexed, w = maxX - minX + 1, area = pixel count; VOID (id 0) is not a segment
// (reference/pix2cap.md §3: checked against all 50 segments of the panopticapi sample).
import { VOID_ID, type PanopticMap, type RgbPixels, type SegmentGeometry } from './panoptic-map.js'

interface Extent {
  area: number
  minX: number
  minY: number
  maxX: number
  maxY: number
}

/** Area and tight COCO box of every non-VOID segment id, in one pass over `map.ids`. */
export function segmentGeometry(map: PanopticMap): Map<number, SegmentGeometry> {
  const { width, height, ids } = map
  if (ids.length !== width * height) {
    throw new RangeError(`panoptic map has ${ids.length} ids; expected width*height = ${width}*${height}`)
  }
  const acc = new Map<number, Extent>()
  let lastId = -1
  let last: Extent | undefined
  for (let y = 0, row = 0; y < height; y++, row += width) {
    // Runs of one id inside a row touch the accumulator once: the per-pixel work is one comparison.
    let x = 0
    while (x < width) {
      const id = ids[row + x] as number
      let end = x + 1
      while (end < width && ids[row + end] === id) end++
      if (id !== VOID_ID) {
        if (id !== lastId) {
          last = acc.get(id)
          if (last === undefined) {
            last = { area: 0, minX: x, minY: y, maxX: end - 1, maxY: y }
            acc.set(id, last)
          }
          lastId = id
        }
        const e = last as Extent
        e.area += end - x
        if (x < e.minX) e.minX = x
        if (end - 1 > e.maxX) e.maxX = end - 1
        e.maxY = y // rows are visited in order
      }
      x = end
    }
  }
  return toGeometry(acc)
}

/**
 * The same as `segmentGeometry`, read straight from interleaved 8-bit RGB(A) pixels (id = R + 256G + 256^2 B),
 * so the verifier never materialises the id array. Rows may be laid out as a PNG decoder leaves them (`offset` +
 * y * `stride`, e.g. each row after its filter-type byte), so no copy is needed to close the gaps; the decoder's
 * `sameAsAbove` hint, when given, replaces the row comparisons.
 */
export function segmentGeometryRgb(pixels: RgbPixels): Map<number, SegmentGeometry> {
  const { data, width, height, channels, sameAsAbove } = pixels
  const rowBytes = width * channels
  const stride = pixels.stride ?? rowBytes
  const offset = pixels.offset ?? 0
  if (stride < rowBytes || (height > 0 && data.length < offset + (height - 1) * stride + rowBytes)) {
    throw new RangeError(`pixel buffer has ${data.length} bytes; expected ${height} rows of ${width}*${channels} bytes, ${stride} apart from byte ${offset}`)
  }
  if (sameAsAbove !== undefined && sameAsAbove.length < height) {
    throw new RangeError(`sameAsAbove has ${sameAsAbove.length} entries; expected ${height}`)
  }
  // A row byte-identical to the one above repeats that row's runs: each only grows its area and maxY. Panoptic
  // masks are mostly large flat regions, so this skips most of the per-pixel work.
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  const words =
    channels === 3 && LITTLE_ENDIAN && data.byteOffset % 4 === 0
      ? new Int32Array(data.buffer, data.byteOffset, data.byteLength >>> 2)
      : undefined
  const acc = new Map<number, Extent>()
  let rowRuns: Extent[] = []
  let rowLens: number[] = []
  let lastId = -1
  let last: Extent | undefined
  // Without the hint, identical rows are found by native memcmp, and they come in stretches: after a hit, try twice
  // as many rows in one call (rows y..y+m-1 all equal row y-1 exactly when the bytes from row y-1's start to row
  // y+m-2's end equal those one stride later; gap bytes between rows can only turn a hit into a miss), so a stretch
  // of L rows costs about log2(L) calls.
  let stretch = 1
  for (let y = 0; y < height; ) {
    let p = offset + y * stride
    if (y > 0) {
      let m = 0
      if (sameAsAbove !== undefined) {
        while (y + m < height && sameAsAbove[y + m] === 1) m++
      } else {
        m = Math.min(stretch, height - y)
        const span = (m - 1) * stride + rowBytes
        if (bytes.compare(bytes, p - stride, p - stride + span, p, p + span) !== 0) {
          m = m > 1 && bytes.compare(bytes, p - stride, p - stride + rowBytes, p, p + rowBytes) === 0 ? 1 : 0
        }
      }
      if (m > 0) {
        for (let k = 0; k < rowRuns.length; k++) {
          const e = rowRuns[k] as Extent
          e.area += (rowLens[k] as number) * m
          e.maxY = y + m - 1
        }
        y += m
        stretch = Math.min(m * 2, MAX_STRETCH)
        continue
      }
      stretch = 1
    }
    rowRuns = []
    rowLens = []
    const rowEnd = p + rowBytes
    let x = 0
    while (x < width) {
      const r = data[p] as number
      const g = data[p + 1] as number
      const b = data[p + 2] as number
      const start = p
      p += channels
      if (words !== undefined && p < rowEnd) {
        // RGB runs repeat with a 3-byte period, so 32-bit words inside a run cycle through three values; compare
        // whole words (4/3 pixel each) from the first word that starts inside the run, three (one 12-byte period)
        // per step, then finish per pixel. Word k starts at byte 4k, whose channel is (4k - start) mod 3. The words
        // are signed so that they and the patterns stay small integers for V8 (unsigned ones above 2^31 are doubles:
        // this loop ran at half the speed).
        let k = p >>> 2
        const c = (4 * k - start) % 3
        const w0 = r | (g << 8) | (b << 16) | (r << 24)
        const w1 = g | (b << 8) | (r << 16) | (g << 24)
        const w2 = b | (r << 8) | (g << 16) | (b << 24)
        const wa = c === 0 ? w0 : c === 1 ? w1 : w2
        const wb = c === 0 ? w1 : c === 1 ? w2 : w0
        const wc = c === 0 ? w2 : c === 1 ? w0 : w1
        const wordEnd = rowEnd >>> 2 // words [k, wordEnd) lie inside the row
        while (k + 2 < wordEnd && words[k] === wa && words[k + 1] === wb && words[k + 2] === wc) k += 3
        if (k < wordEnd && words[k] === wa) {
          k++
          if (k < wordEnd && words[k] === wb) k++
        }
        // Every pixel wholly below byte 4k is verified.
        const verified = 4 * k > p ? 4 * k : p
        p = start + 3 * Math.floor((verified - start) / 3)
      }
      while (p < rowEnd && data[p] === r && data[p + 1] === g && data[p + 2] === b) p += channels
      const end = x + (p - start) / channels
      const id = r | (g << 8) | (b << 16)
      if (id !== VOID_ID) {
        if (id !== lastId) {
          last = acc.get(id)
          if (last === undefined) {
            last = { area: 0, minX: x, minY: y, maxX: end - 1, maxY: y }
            acc.set(id, last)
          }
          lastId = id
        }
        const e = last as Extent
        e.area += end - x
        if (x < e.minX) e.minX = x
        if (end - 1 > e.maxX) e.maxX = end - 1
        e.maxY = y
        rowRuns.push(e)
        rowLens.push(end - x)
      }
      x = end
    }
    y++
  }
  return toGeometry(acc)
}

/** Most rows compared in one memcmp (bounds the work wasted when a long block fails). */
const MAX_STRETCH = 64

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1

function toGeometry(acc: Map<number, Extent>): Map<number, SegmentGeometry> {
  const out = new Map<number, SegmentGeometry>()
  for (const [id, e] of acc) {
    out.set(id, { id, area: e.area, bbox: [e.minX, e.minY, e.maxX - e.minX + 1, e.maxY - e.minY + 1] })
  }
  return out
}
