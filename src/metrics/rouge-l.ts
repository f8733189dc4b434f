// ROUGE-L with pycocoevalcap's exact semantics (rouge/rouge.py, metrics.md §5):
// - tokens from `split(" ")` (a single space, NOT Python's split()), so "" is one empty token and scores 0;
// - P = LCS/len(hyp), R = LCS/len(ref) per reference; P_max and R_max are taken independently;
// - F = (1 + β²)·P·R / (R + β²·P) with β = 1.2, 0 when either max is 0;
// - corpus value = np.mean over images (pairwise summation, np-mean.ts).
import { npMean } from './np-mean.js'
import type { CaptionPair } from './bleu.js'

/** β of ROUGE-L's F-measure (rouge.py: "updated ... based on discussion with Hovey"). */
export const ROUGE_L_BETA = 1.2

/** Length of the longest common subsequence of two token lists (rouge.py `my_lcs`). */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  const [long, short] = a.length >= b.length ? [a, b] : [b, a]
  let prev = new Uint32Array(short.length + 1)
  let cur = new Uint32Array(short.length + 1)
  for (let i = 1; i <= long.length; i++) {
    const t = long[i - 1]
    for (let j = 1; j <= short.length; j++) {
      cur[j] = t === short[j - 1] ? (prev[j - 1] as number) + 1 : Math.max(prev[j] as number, cur[j - 1] as number)
    }
    ;[prev, cur] = [cur, prev]
  }
  return prev[short.length] as number
}

/** ROUGE-L of one hypothesis against its references (rouge.py `calc_score`). */
export function rougeL(hyp: string, refs: readonly string[]): number {
  if (refs.length === 0) throw new RangeError('ROUGE-L: every image needs at least one reference')
  const tokenC = hyp.split(' ')
  let precMax = Number.NEGATIVE_INFINITY
  let recMax = Number.NEGATIVE_INFINITY
  for (const ref of refs) {
    const tokenR = ref.split(' ')
    const lcs = lcsLength(tokenR, tokenC)
    precMax = Math.max(precMax, lcs / tokenC.length)
    recMax = Math.max(recMax, lcs / tokenR.length)
  }
  if (precMax === 0 || recMax === 0) return 0
  const beta2 = ROUGE_L_BETA ** 2
  return ((1 + beta2) * precMax * recMax) / (recMax + beta2 * precMax)
}

/** Corpus (np.mean) and per-image ROUGE-L over the images in order (rouge.py `compute_score`). */
export function computeRougeL(pairs: Iterable<CaptionPair>): { corpus: number; perImage: number[] } {
  const perImage: number[] = []
  for (const { hyp, refs } of pairs) perImage.push(rougeL(hyp, refs))
  return { corpus: npMean(perImage), perImage }
}
