// CIDEr-D with pycocoevalcap's exact semantics (cider/cider_scorer.py, metrics.md §6). "CIDEr" in coco-caption IS
// CIDEr-D: clipped similarity, Gaussian length penalty σ = 6, ×10.
// - n-grams 1..4 from Python `split()`;
// - document frequency from the references of the EVALUATED images only (+1 per image for each n-gram in the union of
//   its references); ref_len = log(N), weight = tf · (log N − log(max(1, df))). With N = 1 every weight is 0 -> 0;
// - per order: Σ min(v_hyp, v_ref)·v_ref / (‖v_hyp‖·‖v_ref‖) (divided only when both norms are non-zero), times
//   e^(−δ²/2σ²) computed as Math.pow(Math.E, x) because Python evaluates `np.e**x` with pow, not exp (metrics.md §8);
// - the "length" in δ counts BIGRAMS (`if n == 1: length += term_freq` with n = len(ngram) − 1): a quirk we keep;
// - per image: np.mean over the 4 orders, summed over refs, / number of refs, ×10; corpus = np.mean over images.
import { npMean, pairwiseSum } from './np-mean.js'
import type { CaptionPair } from './bleu.js'
import { countNgrams, pySplit } from './tokens.js'

/** Highest n-gram order (CiderScorer n=4). */
export const CIDER_MAX_N = 4
/** σ of CIDEr-D's Gaussian length penalty (CiderScorer sigma=6.0). */
export const CIDER_SIGMA = 6
/** Scale applied to every image's score (cider_scorer.py "multiply score by 10"). */
export const CIDER_SCALE = 10

interface TfIdfVector {
  /** One Map per order, in precook's insertion order. */
  vec: Map<string, number>[]
  norm: number[]
  /** Number of bigrams (the upstream "length" quirk). */
  length: number
}

/** CIDEr-D over the images in order: corpus np.mean and per-image scores. */
export function computeCiderD(pairs: readonly CaptionPair[], opts: { n?: number; sigma?: number } = {}): { corpus: number; perImage: number[] } {
  const n = opts.n ?? CIDER_MAX_N
  const sigma = opts.sigma ?? CIDER_SIGMA
  // Pass 1: document frequency. Counting the references again in pass 2 keeps memory flat for large sets.
  const df = new Map<string, number>()
  for (const { refs } of pairs) {
    if (refs.length === 0) throw new RangeError('CIDEr-D: every image needs at least one reference')
    const seen = new Set<string>()
    for (const ref of refs) for (const counts of countNgrams(pySplit(ref), n)) for (const g of counts.keys()) seen.add(g)
    for (const g of seen) df.set(g, (df.get(g) ?? 0) + 1)
  }
  const refLen = Math.log(pairs.length)
  const logDf = new Map<string, number>()
  const idf = (g: string): number => {
    let v = logDf.get(g)
    if (v === undefined) {
      v = Math.log(Math.max(1, df.get(g) ?? 0))
      logDf.set(g, v)
    }
    return v
  }
  const toVector = (sentence: string): TfIdfVector => {
    const vec: Map<string, number>[] = []
    const sq: number[] = []
    let length = 0
    countNgrams(pySplit(sentence), n).forEach((counts, k) => {
      const m = new Map<string, number>()
      let s = 0
      for (const [g, tf] of counts) {
        const w = tf * (refLen - idf(g))
        m.set(g, w)
        s += w ** 2
        if (k === 1) length += tf
      }
      vec.push(m)
      sq.push(s)
    })
    return { vec, norm: sq.map(Math.sqrt), length }
  }
  const twoSigma2 = 2 * sigma ** 2
  const perImage: number[] = []
  for (const { hyp, refs } of pairs) {
    const h = toVector(hyp)
    const score = new Array<number>(n).fill(0)
    for (const ref of refs) {
      const r = toVector(ref)
      const delta = h.length - r.length
      const penalty = Math.pow(Math.E, -(delta ** 2) / twoSigma2)
      for (let k = 0; k < n; k++) {
        const vr = r.vec[k] as Map<string, number>
        let val = 0
        for (const [g, vh] of h.vec[k] as Map<string, number>) {
          const v = vr.get(g) ?? 0
          val += Math.min(vh, v) * v
        }
        const nh = h.norm[k] as number
        const nr = r.norm[k] as number
        if (nh !== 0 && nr !== 0) val /= nh * nr
        val *= penalty
        ;(score[k] as number) += val
      }
    }
    let avg = pairwiseSum(score) / n
    avg /= refs.length
    avg *= CIDER_SCALE
    perImage.push(avg)
  }
  return { corpus: npMean(perImage), perImage }
}
