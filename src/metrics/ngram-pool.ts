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
  private cap = 1 << 16
  private a = new Int32Array(this.cap)
  private b = new Int32Array(this.cap)
  private v = new Int32Array(this.cap) // 0 = empty slot; ids start at 1
  size = 0

  /** The id of (x, y), assigning the next id (size + 1) if new. */
  get(x: number, y: number): number {
    const mask = this.cap - 1
    let i = hashPair(x, y) & mask
    for (;;) {
      const id = this.v[i] as number
      if (id === 0) break
      if (this.a[i] === x && this.b[i] === y) return id
      i = (i + 1) & mask
    }
    const id = ++this.size
    this.a[i] = x
    this.b[i] = y
    this.v[i] = id
    if (this.size * 2 > this.cap) this.rehash()
    return id
  }

  private rehash(): void {
    const { a, b, v } = this
    this.cap *= 2
    this.a = new Int32Array(this.cap)
    this.b = new Int32Array(this.cap)
    this.v = new Int32Array(this.cap)
    const mask = this.cap - 1
    for (let j = 0; j < v.length; j++) {
      const id = v[j] as number
      if (id === 0) continue
      const x = a[j] as number
      const y = b[j] as number
      let i = hashPair(x, y) & mask
      while (this.v[i] !== 0) i = (i + 1) & mask
      this.a[i] = x
      this.b[i] = y
      this.v[i] = id
    }
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
  private stamp = new Int32Array(8192)
  private slot = new Int32Array(8192)
  private stampNow = 0

  constructor(readonly n = 4) {}

  /** Cooks one sentence (Python `split()` tokens) and returns its index. */
  add(sentence: string): number {
    const words = pySplit(sentence)
    const len = words.length
    const n = this.n
    const s = this.count++
    this.lengths = grow(this.lengths, this.count)
    this.offsets = grow(this.offsets, this.count * n + 1)
    this.lengths[s] = len
    const toks = new Array<number>(len)
    for (let i = 0; i < len; i++) {
      const w = words[i] as string
      let t = this.tokens.get(w)
      if (t === undefined) {
        t = this.tokens.size
        this.tokens.set(w, t)
      }
      toks[i] = t
    }
    // cur[i] = id of the (k+1)-gram starting at i; order k+1 extends order k by the token at i + k.
    const cur = new Array<number>(len)
    for (let k = 0; k < n; k++) {
      this.offsets[s * n + k] = this.size
      const m = len - k
      if (m <= 0) continue
      for (let i = 0; i < m; i++) cur[i] = this.pairs.get(k === 0 ? 0 : (cur[i] as number), toks[i + k] as number)
      this.ids = grow(this.ids, this.size + m)
      this.counts = grow(this.counts, this.size + m)
      if (this.stamp.length <= this.pairs.size) {
        this.stamp = grow(this.stamp, this.pairs.size + 1)
        this.slot = grow(this.slot, this.pairs.size + 1)
      }
      const now = ++this.stampNow
      for (let i = 0; i < m; i++) {
        const id = cur[i] as number
        if (this.stamp[id] === now) (this.counts[this.slot[id] as number] as number)++
        else {
          this.stamp[id] = now
          this.slot[id] = this.size
          this.ids[this.size] = id
          this.counts[this.size] = 1
          this.size++
        }
      }
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
