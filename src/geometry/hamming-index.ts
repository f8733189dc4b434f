// Near-duplicate search among 64-bit hashes: multi-index hashing (Norouzi, Punjani & Fleet, "Fast Search in Hamming
// Space with Multi-Index Hashing", CVPR 2012). Each hash is cut into m = 5 chunks (13/13/13/13/12 bits) and every
// chunk gets its own table. If two hashes differ in d <= r bits, one of the m chunks differs in at most floor(r / m)
// bits (pigeonhole), so a query probes, in each table, only the keys within floor(r / m) of its own chunk and checks
// the full distance of those candidates alone. At r = 8 that is 5 x 14 probes into buckets of ~n / 8192 hashes:
// ~850 candidates per query at n = 100k instead of 100k, so the all-pairs search costs ~n x 850, not n^2 / 2.
// The paper's rule of thumb m ~ 64 / log2(n) gives 4 for 100k; 5 measured 1.8x faster here (fewer, denser probes;
// bench stage `phash`). Pure: no I/O. Tables are CSR arrays (offsets + ids), built with a counting sort (~2.2 MB
// for 100k hashes).
import { popcount32, type Phash64 } from './phash.js'

/** Chunk widths (bits, most significant first): 5 tables of 13/13/13/13/12 bits suit 10^4..10^6 hashes. */
const CHUNK_BITS = [13, 13, 13, 13, 12] as const
const CHUNKS = CHUNK_BITS.length
const CHUNK_START = CHUNK_BITS.map((_, c) => CHUNK_BITS.slice(0, c).reduce((a, b) => a + b, 0))

/** A searchable set of 64-bit hashes; ids are positions in the arrays it was built from. */
export interface HammingIndex {
  readonly size: number
  /** Full-distance checks done so far, over all queries (the work the tables save; tests count it). */
  readonly checks: number
  /**
   * Calls `visit(id, distance)` once for every indexed hash with id >= `fromId` (default 0) within `radius` bits of
   * `h`, in no set order. A self-join passes `fromId = a + 1` so each pair is checked from one side only.
   */
  query(h: Phash64, radius: number, visit: (id: number, distance: number) => void, fromId?: number): void
}

/** Bits [start, start + width) of the 64-bit hash (bit 0 = MSB of `hi`), as an integer. */
function chunkOf(hi: number, lo: number, c: number): number {
  const start = CHUNK_START[c]!
  const width = CHUNK_BITS[c]!
  const end = start + width
  if (end <= 32) return (hi >>> (32 - end)) & ((1 << width) - 1)
  if (start >= 32) return (lo >>> (64 - end)) & ((1 << width) - 1)
  const loBits = end - 32
  return (((hi & ((1 << (32 - start)) - 1)) << loBits) | (lo >>> (32 - loBits))) >>> 0
}

const flipCache = new Map<number, Uint16Array>()
/** Every `width`-bit mask with at most `s` bits set (the keys to probe around a chunk), smallest weight first. */
function flipMasks(width: number, s: number): Uint16Array {
  const id = width * 100 + s
  const cached = flipCache.get(id)
  if (cached) return cached
  const masks: number[] = []
  for (let w = 0; w <= Math.min(s, width); w++) for (let m = 0; m < 1 << width; m++) if (popcount32(m) === w) masks.push(m)
  const out = Uint16Array.from(masks)
  flipCache.set(id, out)
  return out
}

/** Indexes the hashes `(hi[i], lo[i])`. */
export function buildHammingIndex(hi: Uint32Array, lo: Uint32Array): HammingIndex {
  if (hi.length !== lo.length) throw new RangeError(`hash halves differ in length: ${hi.length} vs ${lo.length}`)
  const n = hi.length
  const offsets: Uint32Array[] = []
  const ids: Uint32Array[] = []
  for (let c = 0; c < CHUNKS; c++) {
    const keys = 1 << CHUNK_BITS[c]!
    const off = new Uint32Array(keys + 1)
    for (let i = 0; i < n; i++) off[chunkOf(hi[i]!, lo[i]!, c) + 1]!++
    for (let k = 0; k < keys; k++) off[k + 1]! += off[k]!
    const fill = off.slice(0, keys)
    const list = new Uint32Array(n)
    for (let i = 0; i < n; i++) list[fill[chunkOf(hi[i]!, lo[i]!, c)]!++] = i
    offsets.push(off)
    ids.push(list)
  }
  // seen[id] === stamp marks a candidate already checked for the current query.
  const seen = new Uint32Array(n)
  let stamp = 0
  let checks = 0
  return {
    size: n,
    get checks() {
      return checks
    },
    query(h, radius, visit, fromId = 0) {
      if (!Number.isInteger(radius) || radius < 0 || radius > 64) throw new RangeError(`Hamming radius must be an integer in 0..64, got ${radius}`)
      stamp++
      if (stamp === 0xffffffff) {
        seen.fill(0)
        stamp = 1
      }
      const sub = Math.floor(radius / CHUNKS)
      const qhi = h.hi >>> 0
      const qlo = h.lo >>> 0
      for (let c = 0; c < CHUNKS; c++) {
        const masks = flipMasks(CHUNK_BITS[c]!, sub)
        const key = chunkOf(qhi, qlo, c)
        const off = offsets[c]!
        const list = ids[c]!
        for (let m = 0; m < masks.length; m++) {
          const probe = key ^ masks[m]!
          const end = off[probe + 1]!
          for (let p = off[probe]!; p < end; p++) {
            const id = list[p]!
            if (id < fromId || seen[id] === stamp) continue
            seen[id] = stamp
            checks++
            const d = popcount32((hi[id]! ^ qhi) >>> 0) + popcount32((lo[id]! ^ qlo) >>> 0)
            if (d <= radius) visit(id, d)
          }
        }
      }
    },
  }
}

/** A pair of indexed hashes within the radius; `a < b`. */
export interface HammingPair {
  a: number
  b: number
  distance: number
}

/** Every pair of indexed hashes within `radius` bits of each other, sorted by (a, b). */
export function pairsWithin(hi: Uint32Array, lo: Uint32Array, radius: number, index = buildHammingIndex(hi, lo)): HammingPair[] {
  const pairs: HammingPair[] = []
  for (let a = 0; a < index.size; a++) {
    const found: HammingPair[] = []
    index.query({ hi: hi[a]!, lo: lo[a]! }, radius, (b, distance) => found.push({ a, b, distance }), a + 1)
    found.sort((x, y) => x.b - y.b)
    for (const p of found) pairs.push(p)
  }
  return pairs
}
