// The caption metrics pycocoevalcap computes in pure Python (BLEU-1..4, ROUGE-L, CIDEr-D), over one evaluated set.
// Pure and synchronous: callers (eval captions, the panoptic captioning evaluator) read files and pass Maps.
import { computeBleu, type CaptionPair } from './bleu.js'
import { computeCiderD } from './cider-d.js'
import { cookPairs, type CookedPairs } from './ngram-pool.js'
import { ptbTokenize } from './ptb-tokenize.js'
import { computeRougeL } from './rouge-l.js'

/** A metric family; BLEU yields Bleu_1..Bleu_4. */
export type CaptionMetricName = 'BLEU' | 'ROUGE_L' | 'CIDEr'

/** All metric families scoreCaptions computes, in pycocoevalcap's order. */
export const CAPTION_METRICS: readonly CaptionMetricName[] = ['BLEU', 'ROUGE_L', 'CIDEr']

/** Corpus scores keyed like pycocoevalcap's `COCOEvalCap.eval` (Bleu_1..4, ROUGE_L, CIDEr) and the same per sample. */
export interface CaptionScores {
  corpus: Record<string, number>
  perSample: Record<string, Record<string, number>>
}

/** Input: references and exactly one hypothesis per sample id. */
export interface CaptionInput {
  refs: Map<string, string[]>
  hyps: Map<string, string>
}

/** Options: which metric families, and whether to PTB-tokenize first (default true, as COCOEvalCap does). */
export interface CaptionScoreOptions {
  metrics?: CaptionMetricName[]
  tokenize?: boolean
}

/**
 * Scores the samples of `hyps` (in its iteration order) against `refs`.
 * Every hypothesis id needs at least one reference; reference ids without a hypothesis are not evaluated and, as in
 * pycocoevalcap with `params['image_id']` set to the result ids, do not enter CIDEr's document frequency.
 */
export function scoreCaptions(input: CaptionInput, opts: CaptionScoreOptions = {}): CaptionScores {
  const metrics = opts.metrics ?? [...CAPTION_METRICS]
  const tokenize = opts.tokenize ?? true
  const ids: string[] = []
  const pairs: CaptionPair[] = []
  for (const [id, hyp] of input.hyps) {
    const refs = input.refs.get(id)
    if (refs === undefined || refs.length === 0) {
      throw new RangeError(`sample ${JSON.stringify(id)} has a hypothesis but no references; every sample needs at least one`)
    }
    ids.push(id)
    pairs.push(tokenize ? { hyp: ptbTokenize(hyp), refs: refs.map(ptbTokenize) } : { hyp, refs })
  }
  const corpus: Record<string, number> = {}
  const perSample: Record<string, Record<string, number>> = {}
  for (const id of ids) perSample[id] = {}
  const put = (name: string, total: number, each: readonly number[]): void => {
    corpus[name] = total
    ids.forEach((id, i) => ((perSample[id] as Record<string, number>)[name] = each[i] as number))
  }
  if (pairs.length === 0) return { corpus, perSample }
  // BLEU and CIDEr-D share one cooking of the sentences into n-gram ids.
  let cooked: CookedPairs | undefined
  const cook = (): CookedPairs => (cooked ??= cookPairs(pairs))
  for (const metric of CAPTION_METRICS) {
    if (!metrics.includes(metric)) continue
    if (metric === 'BLEU') {
      const bleu = computeBleu(cook())
      bleu.corpus.forEach((v, k) => put(`Bleu_${k + 1}`, v, bleu.perImage[k] as number[]))
    } else if (metric === 'ROUGE_L') {
      const r = computeRougeL(pairs)
      put('ROUGE_L', r.corpus, r.perImage)
    } else {
      const c = computeCiderD(cook())
      put('CIDEr', c.corpus, c.perImage)
    }
  }
  return { corpus, perSample }
}
