// Near-duplicate search among 64-bit hashes: multi-index hashing (Norouzi, Punjani & Fleet, "Fast Search in Hamming
// Space with Multi-Index Hashing", CVPR 2012). Each hash is cut into 4 chunks of 16 bits and every chunk gets its own
// table. If two hashes differ in d <= r bits, one of the 4 chunks differs in at most floor(r / 4) bits (pigeonhole),
// so a query probes, in each table, only the keys within floor(r / 4) of its own chunk, and checks the full
// distance of those candidates alone. With r = 8 that is 4 x 137 probes instead of a scan of every hash; the
// all-pairs search over n hashes is then about n x (candidates per query), not n^2 / 2.
// Pure: no I/O. Tables are CSR arrays (offsets + ids), built with a counting sort, so 100k hashes take ~2 MB.
import { popcount32, type Phash64 } from './phash.js'

const CHUNKS = 4
const CHUNK_BITS = 16
const KEYS = 1 << CHUNK_BITS

/** A searchable set of 64-bit hashes; ids are positions in the arrays it was built from. */
export interface HammingIndex {
  readonly size: number
  /** Calls `visit(id, distance)` once for every indexed hash within `radius` bits of `h`, in no set order. */
  query(h: Phash64, radius: number, visit: (id: number, distance: number) => void): void
}

/** The 16-bit chunk `c` (0..3, most significant first) of a hash. */
function chunkOf(hi: number, lo: number, c: number): number {
  switch (c) {
    case 0:
      return hi >>> 16
    case 1:
      return hi & 0xffff
    case 2:
      return lo >>> 16
    default:
      return lo & 0xffff
  }
}

const flipCache = new Map<number, Uint16Array>()
/** Every 16-bit mask with at most `s` bits set (the keys to probe around a chunk), smallest weight first. */
function flipMasks(s: number): Uint16Array {
  const cached = flipCache.get(s)
  if (cached) return cached
  const masks: number[] = []
  for (let w = 0; w <= Math.min(s, CHUNK_BITS); w++) for (let m = 0; m < KEYS; m++) if (popcount32(m) === w) masks.push(m)
  const out = Uint16Array.from(masks)
  flipCache.set(s, out)
  return out
}

/** Indexes the hashes `(hi[i], lo[i])`. */
export function buildHammingIndex(hi: Uint32Array, lo: Uint32Array): HammingIndex {
  if (hi.length !== lo.length) throw new RangeError(`hash halves differ in length: ${hi.length} vs ${lo.length}`)
  const n = hi.length
  const offsets: Uint32Array[] = []
  const ids: Uint32Array[] = []
  for (let c = 0; c < CHUNKS; c++) {
    const off = new Uint32Array(KEYS + 1)
    for (let i = 0; i < n; i++) off[chunkOf(hi[i]!, lo[i]!, c) + 1]!++
    for (let k = 0; k < KEYS; k++) off[k + 1]! += off[k]!
    const fill = off.slice(0, KEYS)
    const list = new Uint32Array(n)
    for (let i = 0; i < n; i++) list[fill[chunkOf(hi[i]!, lo[i]!, c)]!++] = i
    offsets.push(off)
    ids.push(list)
  }
  // seen[id] === stamp marks a candidate already checked for the current query.
  const seen = new Uint32Array(n)
  let stamp = 0
  return {
    size: n,
    query(h, radius, visit) {
      if (!Number.isInteger(radius) || radius < 0 || radius > 64) throw new RangeError(`Hamming radius must be an integer in 0..64, got ${radius}`)
      stamp++
      if (stamp === 0xffffffff) {
        seen.fill(0)
        stamp = 1
      }
      const masks = flipMasks(Math.floor(radius / CHUNKS))
      const qhi = h.hi >>> 0
      const qlo = h.lo >>> 0
      for (let c = 0; c < CHUNKS; c++) {
        const key = chunkOf(qhi, qlo, c)
        const off = offsets[c]!
        const list = ids[c]!
        for (let m = 0; m < masks.length; m++) {
          const probe = key ^ masks[m]!
          const end = off[probe + 1]!
          for (let p = off[probe]!; p < end; p++) {
            const id = list[p]!
            if (seen[id] === stamp) continue
            seen[id] = stamp
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
    index.query({ hi: hi[a]!, lo: lo[a]! }, radius, (b, distance) => {
      if (b > a) found.push({ a, b, distance })
    })
    found.sort((x, y) => x.b - y.b)
    for (const p of found) pairs.push(p)
  }
  return pairs
}
