// CIDEr-D with pycocoevalcap's exact semantics (cider/cider_scorer.py, metrics.md §6). "CIDEr" in coco-caption IS
// CIDEr-D: clipped similarity, Gaussian length penalty σ = 6, ×10.
// - n-grams 1..4 from Python `split()`;
// - document frequency from the references of the EVALUATED images only (+1 per image for each n-gram in the union of
//   its references); ref_len = log(N), weight = tf · (log N − log(max(1, df))). With N = 1 every weight is 0 -> 0;
// - per order: Σ min(v_hyp, v_ref)·v_ref / (‖v_hyp‖·‖v_ref‖) (divided only when both norms are non-zero), times
//   e^(−δ²/2σ²) computed as Math.pow(Math.E, x) because Python evaluates `np.e**x` with pow, not exp (metrics.md §8);
// - the "length" in δ counts BIGRAMS (`if n == 1: length += term_freq` with n = len(ngram) − 1): a quirk we keep;
// - per image: np.mean over the 4 orders, summed over refs, / number of refs, ×10; corpus = np.mean over images.
import { isCooked, type CaptionPair } from './bleu.js'
import { cookPairs, type CookedPairs, type CookedSentences } from './ngram-pool.js'
import { npMean, pairwiseSum } from './np-mean.js'

/** Highest n-gram order (CiderScorer n=4). */
const CIDER_MAX_N = 4
/** σ of CIDEr-D's Gaussian length penalty (CiderScorer sigma=6.0). */
export const CIDER_SIGMA = 6
/** Scale applied to every image's score (cider_scorer.py "multiply score by 10"). */
export const CIDER_SCALE = 10

/** CIDEr-D over the images in order: corpus np.mean and per-image scores. */
export function computeCiderD(
  pairs: readonly CaptionPair[] | CookedPairs,
  opts: { n?: number; sigma?: number } = {},
): { corpus: number; perImage: number[] } {
  const n = opts.n ?? CIDER_MAX_N
  const sigma = opts.sigma ?? CIDER_SIGMA
  const cooked = isCooked(pairs) ? pairs : cookPairs(pairs, n)
  const { sentences: c, hyp, refStart, refEnd } = cooked
  if (c.n < n) throw new RangeError(`CIDEr-D with n = ${n} needs sentences cooked with n >= ${n}`)
  const images = hyp.length

  // Document frequency: +1 per image for each n-gram in the union of its references (compute_doc_freq).
  const df = new Int32Array(c.idBound)
  const seen = new Int32Array(c.idBound)
  for (let i = 0; i < images; i++) {
    const r0 = refStart[i] as number
    const r1 = refEnd[i] as number
    if (r1 <= r0) throw new RangeError('CIDEr-D: every image needs at least one reference')
    for (let r = r0; r < r1; r++) {
      for (let e = c.offsets[r * c.n] as number, end = c.offsets[r * c.n + n] as number; e < end; e++) {
        const id = c.ids[e] as number
        if (seen[id] !== i + 1) {
          seen[id] = i + 1
          ;(df[id] as number)++
        }
      }
    }
  }
  const refLen = Math.log(images)
  // log(max(1, df)) per n-gram, computed once (NaN = not yet).
  const logDf = new Float64Array(c.idBound).fill(Number.NaN)
  const weightOf = (id: number): number => {
    let v = logDf[id] as number
    if (v !== v) {
      v = Math.log(Math.max(1, df[id] as number))
      logDf[id] = v
    }
    return refLen - v
  }

  // Hypothesis weights live in hypW (by entry), reference weights are scattered by n-gram id into refW.
  let hypWeights = new Float64Array(64)
  const refW = new Float64Array(c.idBound)
  const refTag = new Int32Array(c.idBound)
  let tag = 0
  const hNorm = new Float64Array(n)
  const rNorm = new Float64Array(n)
  const twoSigma2 = 2 * sigma ** 2
  const score = new Float64Array(n)
  const perImage: number[] = []

  for (let i = 0; i < images; i++) {
    const h = hyp[i] as number
    const h0 = c.offsets[h * c.n] as number
    const hLen = (c.offsets[h * c.n + n] as number) - h0
    if (hypWeights.length < hLen) hypWeights = new Float64Array(hLen * 2)
    const hLength = vectorize(c, h, n, weightOf, hNorm, (e, w) => (hypWeights[e - h0] = w))
    score.fill(0)
    for (let r = refStart[i] as number, r1 = refEnd[i] as number; r < r1; r++) {
      tag++
      const rLength = vectorize(c, r, n, weightOf, rNorm, (e, w) => {
        const id = c.ids[e] as number
        refW[id] = w
        refTag[id] = tag
      })
      const delta = hLength - rLength
      // np.e**x in Python is pow(e, x), not exp(x) (metrics.md §8).
      const penalty = Math.pow(Math.E, -(delta ** 2) / twoSigma2)
      for (let k = 0; k < n; k++) {
        let val = 0
        for (let e = c.offsets[h * c.n + k] as number, end = c.offsets[h * c.n + k + 1] as number; e < end; e++) {
          const id = c.ids[e] as number
          const v = refTag[id] === tag ? (refW[id] as number) : 0
          val += Math.min(hypWeights[e - h0] as number, v) * v
        }
        const nh = hNorm[k] as number
        const nr = rNorm[k] as number
        if (nh !== 0 && nr !== 0) val /= nh * nr
        val *= penalty
        ;(score[k] as number) += val
      }
    }
    let avg = pairwiseSum(score) / n
    avg /= (refEnd[i] as number) - (refStart[i] as number)
    avg *= CIDER_SCALE
    perImage.push(avg)
  }
  return { corpus: npMean(perImage), perImage }
}

// counts2vec: tf-idf weights of one sentence (passed to `put` by entry), L2 norms per order into `norms`, and the
// "length", which counts bigrams (`if n == 1: length += term_freq` with n = len(ngram) - 1).
function vectorize(
  c: CookedSentences, s: number, n: number, weightOf: (id: number) => number,
  norms: Float64Array, put: (entry: number, weight: number) => void,
): number {
  let length = 0
  for (let k = 0; k < n; k++) {
    let sq = 0
    for (let e = c.offsets[s * c.n + k] as number, end = c.offsets[s * c.n + k + 1] as number; e < end; e++) {
      const tf = c.counts[e] as number
      const w = tf * weightOf(c.ids[e] as number)
      put(e, w)
      sq += w ** 2
      if (k === 1) length += tf
    }
    norms[k] = Math.sqrt(sq)
  }
  return length
}
