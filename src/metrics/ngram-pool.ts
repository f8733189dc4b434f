// Sentences "cooked" once into integer n-gram ids, shared by BLEU and CIDEr-D. This is pycocoevalcap's `precook`
// (counts of the n-grams of orders 1..n from Python `split()`), stored in flat typed arrays instead of one dict per
// sentence: each order keeps its distinct n-grams in FIRST-OCCURRENCE order, which is the insertion order of precook's
// dict and therefore the summation order of CIDEr's norms and similarities.
import { pySplit } from './tokens.js'

// An n-gram id is interned from the pair (id of its (k-1)-gram prefix, token id) in an open-addressing hash table of
// int32 pairs: a Map keyed by doubles or strings was the bottleneck (boxed keys).
function hashPair(x: number, y: number): number {
  let h = Math.imul(x, 0x9e3779b1) ^ Math.imul(y ^ 0x7f4a7c15, 0x85ebca77)
  h ^= h >>> 15
  h = Math.imul(h, 0x2c1b3c6d)
  return h ^ (h >>> 12)
}

class PairInterner {
  // Slots of 4 int32 (x, y, id, unused) so that one probe touches one cache line; id 0 = empty (ids start at 1).
  private cap = 1 << 20
  private t = new Int32Array(this.cap * 4)
  size = 0

  /** The id of (x, y), assigning the next id (size + 1) if new. */
  get(x: number, y: number): number {
    const mask = this.cap - 1
    const t = this.t
    let i = hashPair(x, y) & mask
    for (;;) {
      const o = i << 2
      const id = t[o + 2] as number
      if (id === 0) break
      if (t[o] === x && t[o + 1] === y) return id
      i = (i + 1) & mask
    }
    const id = ++this.size
    const o = i << 2
    t[o] = x
    t[o + 1] = y
    t[o + 2] = id
    if (this.size * 2 > this.cap) this.rehash()
    return id
  }

  private rehash(): void {
    const old = this.t
    this.cap *= 2
    const t = new Int32Array(this.cap * 4)
    const mask = this.cap - 1
    for (let o = 0; o < old.length; o += 4) {
      const id = old[o + 2] as number
      if (id === 0) continue
      const x = old[o] as number
      const y = old[o + 1] as number
      let i = hashPair(x, y) & mask
      while (t[(i << 2) + 2] !== 0) i = (i + 1) & mask
      t[i << 2] = x
      t[(i << 2) + 1] = y
      t[(i << 2) + 2] = id
    }
    this.t = t
  }
}

/** Sentences as n-gram ids with counts; sentence s, order k (0-based) spans entries [offsets[s*n+k], offsets[s*n+k+1]). */
export interface CookedSentences {
  n: number
  count: number
  /** Token count of each sentence (`len(s.split())`). */
  lengths: Int32Array
  offsets: Int32Array
  ids: Int32Array
  counts: Int32Array
  /** Exclusive upper bound of n-gram ids (size typed arrays indexed by id with it). */
  idBound: number
}

/** Orders with at most this many n-grams are de-duplicated by a linear scan instead of per-id stamps. */
const SHORT_ORDER = 48

function grow(a: Int32Array<ArrayBuffer>, need: number): Int32Array<ArrayBuffer> {
  if (need <= a.length) return a
  const b = new Int32Array(Math.max(need, a.length * 2))
  b.set(a)
  return b
}

/** Builds CookedSentences incrementally; `add` returns the sentence index. */
export class SentenceCooker {
  private readonly tokens = new Map<string, number>()
  private readonly pairs = new PairInterner()
  private count = 0
  private lengths = new Int32Array(1024)
  private offsets = new Int32Array(1024)
  private ids = new Int32Array(8192)
  private counts = new Int32Array(8192)
  private size = 0
  // Per-id scratch for de-duplicating within one order of one sentence.
  private stamp = new Int32Array(0)
  private slot = new Int32Array(0)
  private stampNow = 0
  // Per-sentence scratch: token ids and the current order's n-gram ids.
  private toks = new Int32Array(64)
  private cur = new Int32Array(64)

  constructor(readonly n = 4) {}

  /** Cooks one sentence (Python `split()` tokens) and returns its index. */
  add(sentence: string): number {
    const words = pySplit(sentence)
    const len = words.length
    const n = this.n
    const s = this.count++
    if (this.count > this.lengths.length) this.lengths = grow(this.lengths, this.count)
    if (this.count * n + 1 > this.offsets.length) this.offsets = grow(this.offsets, this.count * n + 1)
    this.lengths[s] = len
    if (this.toks.length < len) {
      this.toks = new Int32Array(len * 2)
      this.cur = new Int32Array(len * 2)
    }
    const toks = this.toks
    const cur = this.cur
    const tokens = this.tokens
    for (let i = 0; i < len; i++) {
      const w = words[i] as string
      let t = tokens.get(w)
      if (t === undefined) {
        t = tokens.size
        tokens.set(w, t)
      }
      toks[i] = t
    }
    // cur[i] = id of the (k+1)-gram starting at i; order k+1 extends order k by the token at i + k.
    const pairs = this.pairs
    for (let k = 0; k < n; k++) {
      this.offsets[s * n + k] = this.size
      const m = len - k
      if (m <= 0) continue
      for (let i = 0; i < m; i++) cur[i] = pairs.get(k === 0 ? 0 : (cur[i] as number), toks[i + k] as number)
      if (this.size + m > this.ids.length) {
        this.ids = grow(this.ids, this.size + m)
        this.counts = grow(this.counts, this.size + m)
      }
      const ids = this.ids
      const counts = this.counts
      const start = this.size
      let size = start
      if (m <= SHORT_ORDER) {
        // Short sentences: a linear scan of this order's entries stays in cache (the usual caption).
        for (let i = 0; i < m; i++) {
          const id = cur[i] as number
          let e = start
          while (e < size && ids[e] !== id) e++
          if (e < size) (counts[e] as number)++
          else {
            ids[size] = id
            counts[size] = 1
            size++
          }
        }
      } else {
        if (this.stamp.length <= pairs.size) {
          this.stamp = grow(this.stamp, pairs.size + 1)
          this.slot = grow(this.slot, pairs.size + 1)
        }
        const stamp = this.stamp
        const slot = this.slot
        const now = ++this.stampNow
        for (let i = 0; i < m; i++) {
          const id = cur[i] as number
          if (stamp[id] === now) (counts[slot[id] as number] as number)++
          else {
            stamp[id] = now
            slot[id] = size
            ids[size] = id
            counts[size] = 1
            size++
          }
        }
      }
      this.size = size
    }
    this.offsets[s * n + n] = this.size
    return s
  }

  /** The cooked sentences so far (views; do not add afterwards). */
  finish(): CookedSentences {
    return {
      n: this.n, count: this.count, lengths: this.lengths, offsets: this.offsets,
      ids: this.ids, counts: this.counts, idBound: this.pairs.size + 1,
    }
  }
}

/** Images over cooked sentences: image i has hypothesis `hyp[i]` and references `refStart[i] .. refEnd[i] - 1`. */
export interface CookedPairs {
  sentences: CookedSentences
  hyp: Int32Array
  refStart: Int32Array
  refEnd: Int32Array
}

/** Cooks hypothesis/reference pairs (each image: its hypothesis, then its references, consecutively). */
export function cookPairs(pairs: Iterable<{ hyp: string; refs: readonly string[] }>, n = 4): CookedPairs {
  const cooker = new SentenceCooker(n)
  const hyp: number[] = []
  const refStart: number[] = []
  const refEnd: number[] = []
  for (const p of pairs) {
    hyp.push(cooker.add(p.hyp))
    refStart.push(hyp[hyp.length - 1] as number + 1)
    for (const r of p.refs) cooker.add(r)
    refEnd.push(refStart[refStart.length - 1] as number + p.refs.length)
  }
  return { sentences: cooker.finish(), hyp: Int32Array.from(hyp), refStart: Int32Array.from(refStart), refEnd: Int32Array.from(refEnd) }
}
