// BLEU-1..4 with pycocoevalcap's exact semantics (bleu/bleu_scorer.py, metrics.md §3):
// - tokens from Python `split()`; clipped counts against the max count over the references;
// - reference length "closest": min over refs of (|len - testlen|, len), so ties go to the SHORTER reference;
// - corpus BLEU pools correct/guess/lengths over all images (it is NOT the mean of per-image BLEU);
// - the constants TINY and SMALL keep a perfect match slightly below 1 (0.9999999996 for 5 tokens).
import { cookPairs, type CookedPairs } from './ngram-pool.js'

/** Added to every numerator so that 0 correct gives ~0, not 0 (bleu_scorer.py `tiny`). */
export const BLEU_TINY = 1e-15
/** Added to every denominator to avoid division by zero (bleu_scorer.py `small`). */
export const BLEU_SMALL = 1e-9
/** Highest n-gram order (pycocoevalcap `Bleu(4)`). */
const BLEU_MAX_N = 4

/** Sufficient statistics of one hypothesis (`cook_test`); they add up across images. */
export interface BleuStats {
  testlen: number
  reflen: number
  guess: number[]
  correct: number[]
}

/** Corpus and per-image BLEU-1..n plus the pooled statistics (pycocoevalcap prints them with verbose=1). */
export interface BleuResult {
  /** corpus[k-1] = BLEU-k over the whole set (pooled statistics). */
  corpus: number[]
  /** perImage[k-1][i] = BLEU-k of image i alone (`scores` in pycocoevalcap). */
  perImage: number[][]
  totals: BleuStats
  /** (testlen + tiny) / (reflen + small) over the corpus. */
  ratio: number
}

/** One image: a tokenised hypothesis and its tokenised references (at least one). */
export interface CaptionPair {
  hyp: string
  refs: readonly string[]
}

/** `cook_refs` + `cook_test`: the statistics of one hypothesis against its references. */
export function bleuStats(hyp: string, refs: readonly string[], n = BLEU_MAX_N): BleuStats {
  return cookedBleuStats(cookPairs([{ hyp, refs }], n), n)[0] as BleuStats
}

/** Statistics of every image of cooked pairs (clipping against the max count over each image's references). */
function cookedBleuStats(pairs: CookedPairs, n: number): BleuStats[] {
  const { sentences: c, hyp, refStart, refEnd } = pairs
  if (c.n < n) throw new RangeError(`BLEU-${n} needs sentences cooked with n >= ${n}`)
  const maxStamp = new Int32Array(c.idBound)
  const maxCount = new Int32Array(c.idBound)
  const out: BleuStats[] = []
  for (let i = 0; i < hyp.length; i++) {
    const stamp = i + 1
    const r0 = refStart[i] as number
    const r1 = refEnd[i] as number
    if (r1 <= r0) throw new RangeError('BLEU: every image needs at least one reference')
    for (let r = r0; r < r1; r++) {
      for (let e = c.offsets[r * c.n] as number, end = c.offsets[r * c.n + n] as number; e < end; e++) {
        const id = c.ids[e] as number
        const cnt = c.counts[e] as number
        if (maxStamp[id] !== stamp) {
          maxStamp[id] = stamp
          maxCount[id] = cnt
        } else if (cnt > (maxCount[id] as number)) maxCount[id] = cnt
      }
    }
    const h = hyp[i] as number
    const testlen = c.lengths[h] as number
    // closest: Python's min over tuples (|l - testlen|, l) -> smallest distance, then the shorter length.
    let reflen = Number.NaN
    let best = Number.POSITIVE_INFINITY
    for (let r = r0; r < r1; r++) {
      const l = c.lengths[r] as number
      const d = Math.abs(l - testlen)
      if (d < best || (d === best && l < reflen)) {
        best = d
        reflen = l
      }
    }
    const guess: number[] = []
    const correct: number[] = []
    for (let k = 0; k < n; k++) {
      guess.push(Math.max(0, testlen - k))
      let sum = 0
      for (let e = c.offsets[h * c.n + k] as number, end = c.offsets[h * c.n + k + 1] as number; e < end; e++) {
        const id = c.ids[e] as number
        if (maxStamp[id] === stamp) sum += Math.min(maxCount[id] as number, c.counts[e] as number)
      }
      correct.push(sum)
    }
    out.push({ testlen, reflen, guess, correct })
  }
  return out
}

/** BLEU-1..n from statistics, pycocoevalcap's formula (cumulative product, k-th root, brevity penalty). */
export function bleuFromStats(s: BleuStats, n = BLEU_MAX_N): number[] {
  const out: number[] = []
  let bleu = 1
  for (let k = 0; k < n; k++) {
    bleu *= ((s.correct[k] as number) + BLEU_TINY) / ((s.guess[k] as number) + BLEU_SMALL)
    out.push(bleu ** (1 / (k + 1)))
  }
  const ratio = (s.testlen + BLEU_TINY) / (s.reflen + BLEU_SMALL)
  if (ratio < 1) {
    const bp = Math.exp(1 - 1 / ratio)
    for (let k = 0; k < n; k++) (out[k] as number) *= bp
  }
  return out
}

/** Corpus and per-image BLEU-1..n over the images in order (pycocoevalcap `Bleu(4).compute_score`, option closest). */
export function computeBleu(pairs: Iterable<CaptionPair> | CookedPairs, n = BLEU_MAX_N): BleuResult {
  const cooked = isCooked(pairs) ? pairs : cookPairs(pairs, n)
  const totals: BleuStats = { testlen: 0, reflen: 0, guess: new Array<number>(n).fill(0), correct: new Array<number>(n).fill(0) }
  const perImage: number[][] = Array.from({ length: n }, () => [])
  for (const s of cookedBleuStats(cooked, n)) {
    totals.testlen += s.testlen
    totals.reflen += s.reflen
    for (let k = 0; k < n; k++) {
      ;(totals.guess[k] as number) += s.guess[k] as number
      ;(totals.correct[k] as number) += s.correct[k] as number
    }
    bleuFromStats(s, n).forEach((v, k) => (perImage[k] as number[]).push(v))
  }
  const corpus = bleuFromStats(totals, n)
  return { corpus, perImage, totals, ratio: (totals.testlen + BLEU_TINY) / (totals.reflen + BLEU_SMALL) }
}

/** Whether `x` is already cooked (scoreCaptions cooks once for BLEU and CIDEr-D). */
export function isCooked(x: unknown): x is CookedPairs {
  return typeof x === 'object' && x !== null && 'sentences' in x && 'refStart' in x
}
