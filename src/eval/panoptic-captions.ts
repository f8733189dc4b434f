// Pix2Cap panoptic segmentation-captioning scores on top of PQ (reference/pix2cap.md §6, metrics.md §12):
// - caption quality: for every PQ-matched (TP) pair, keyed "{image_id}_{gt_segment_id}", the GT `description` is the
//   reference and the predicted `caption` the hypothesis; BLEU-4, ROUGE-L, CIDEr(-D) over the matched set (PTB-style
//   tokenized), each multiplied by matched / Σ(TP + FP + FN) over categories (Pix2Cap caption_distribute_metrics.py);
// - a DenseCap-faithful mAP (metrics/dense-map.ts) with a pluggable caption similarity; the default is ROUGE-L per
//   pair, a stand-in that is NOT METEOR 1.5 and is labelled so in the output.
// Every deviation from Pix2Cap's own code is listed in docs/panoptic-eval.md.
import { scoreCaptions } from '../metrics/caption-metrics.js'
import { assignDetections, denseCapMap, type DenseDetection, type DenseMapResult } from '../metrics/dense-map.js'
import { flagSet } from './panoptic-json.js'
import { evalPanoptic, type PanopticEvalOptions, type PanopticEvalResult } from './panoptic-eval.js'

/** Confidence of a predicted segment without `score` (all equal: ranking falls back to file order). */
const DEFAULT_DETECTION_SCORE = 1

/** One pair for a caption similarity: the detection's caption against its GT's references. */
interface CaptionPairInput {
  candidate: string
  references: string[]
}

/** The caption similarity used by the dense mAP (DenseCap uses METEOR 1.5). */
export interface CaptionPairScorer {
  name: string
  isMeteor: boolean
  note: string
  score(pairs: readonly CaptionPairInput[]): number[] | Promise<number[]>
}

/** Default mAP caption similarity: per-pair ROUGE-L (β = 1.2) on PTB-style tokens; a stand-in, NOT METEOR. */
const ROUGE_L_PAIR_SCORER: CaptionPairScorer = {
  name: 'ROUGE_L',
  isMeteor: false,
  note: 'NOT METEOR: per-pair ROUGE-L stand-in (METEOR 1.5 is Java; pass a METEOR scorer for DenseCap/Pix2Cap-comparable numbers)',
  score(pairs) {
    const refs = new Map<string, string[]>()
    const hyps = new Map<string, string>()
    pairs.forEach((p, i) => {
      refs.set(String(i), p.references)
      hyps.set(String(i), p.candidate)
    })
    const { perSample } = scoreCaptions({ refs, hyps }, { metrics: ['ROUGE_L'], tokenize: true })
    return pairs.map((_, i) => perSample[String(i)]?.ROUGE_L ?? 0)
  },
}

/** Options of the captioning evaluation. */
export interface PanopticCaptionOptions {
  /** Caption similarity of the dense mAP (default ROUGE_L_PAIR_SCORER). */
  mapScorer?: CaptionPairScorer
}

/** Caption scores of the matched pairs, raw and Pix2Cap-weighted. */
interface CaptionQuality {
  /** Matched (TP) pairs whose caption was scored. */
  matched: number
  /** Σ(TP + FP + FN) over categories. */
  total: number
  /** matched / total, the weight Pix2Cap applies to every caption score. */
  weight: number
  raw: { Bleu_4: number; ROUGE_L: number; CIDEr: number } | null
  weighted: { Bleu_4: number; ROUGE_L: number; CIDEr: number } | null
  /** METEOR (and SPICE) are Java-only; Pix2Cap reports METEOR as 0. Never computed here. */
  METEOR: null
  /** TP pairs left out, by reason (Pix2Cap skips list captions; missing fields would crash it). */
  skipped: { listCaption: number; missingCaption: number; missingDescription: number }
}

/** The DenseCap mAP with what it was computed from. */
interface DenseCaptionMap extends DenseMapResult {
  captionScorer: { name: string; isMeteor: boolean; note: string }
  detections: number
  /** Non-crowd GT segments (DenseCap's npos). */
  npos: number
  /** Detections without `score` (given DEFAULT_DETECTION_SCORE). */
  defaultScores: number
}

/** PQ plus caption quality and dense mAP. */
export interface PanopticCaptionResult extends PanopticEvalResult {
  captions: CaptionQuality
  denseMap: DenseCaptionMap
}

function descriptionRefs(d: string | string[] | undefined): string[] | null {
  if (d === undefined) return null
  return typeof d === 'string' ? [d] : d.length > 0 ? d : null
}

/** Runs PQ and the Pix2Cap caption metrics in one pass over the images. */
export async function evalPanopticCaptions(o: PanopticEvalOptions & PanopticCaptionOptions): Promise<PanopticCaptionResult> {
  const refs = new Map<string, string[]>()
  const hyps = new Map<string, string>()
  const skipped = { listCaption: 0, missingCaption: 0, missingDescription: 0 }
  const dets: DenseDetection[] = []
  const detCaption: string[] = []
  const gtRefs = new Map<string, string[] | null>()
  let npos = 0
  let defaultScores = 0

  const pq = await evalPanoptic(o, ({ gt, pred, result }) => {
    const gtById = new Map(gt.segments_info.map((s) => [s.id, s]))
    const predById = new Map(pred.segments_info.map((s) => [s.id, s]))
    const keyOf = (gtId: number) => `${gt.image_id}_${gtId}`
    for (const s of gt.segments_info) {
      if (flagSet(s.iscrowd)) continue
      npos++
      gtRefs.set(keyOf(s.id), descriptionRefs(s.description))
    }
    for (const m of result.matches) {
      const caption = predById.get(m.predId)?.caption
      const description = descriptionRefs(gtById.get(m.gtId)?.description)
      if (Array.isArray(caption)) skipped.listCaption++
      else if (caption === undefined) skipped.missingCaption++
      else if (description === null) skipped.missingDescription++
      else {
        refs.set(keyOf(m.gtId), description)
        hyps.set(keyOf(m.gtId), caption)
      }
    }
    for (const b of result.predBest) {
      const p = predById.get(b.predId)
      if (p?.score === undefined) defaultScores++
      const caption = p?.caption
      detCaption.push(typeof caption === 'string' ? caption : (caption?.[0] ?? ''))
      dets.push({ score: p?.score ?? DEFAULT_DETECTION_SCORE, gtKey: b.gtId === null ? null : keyOf(b.gtId), iou: b.iou })
    }
  })

  let total = 0
  for (const s of Object.values(pq.stats)) total += s.tp + s.fp + s.fn
  const matched = hyps.size
  const weight = total > 0 ? matched / total : 0
  let raw: CaptionQuality['raw'] = null
  if (matched > 0) {
    const { corpus } = scoreCaptions({ refs, hyps }, { metrics: ['BLEU', 'ROUGE_L', 'CIDEr'], tokenize: true })
    raw = { Bleu_4: corpus.Bleu_4 ?? 0, ROUGE_L: corpus.ROUGE_L ?? 0, CIDEr: corpus.CIDEr ?? 0 }
  }
  const weighted = raw && { Bleu_4: raw.Bleu_4 * weight, ROUGE_L: raw.ROUGE_L * weight, CIDEr: raw.CIDEr * weight }

  const scorer = o.mapScorer ?? ROUGE_L_PAIR_SCORER
  const records = assignDetections(dets)
  const scorable: number[] = []
  const pairs: CaptionPairInput[] = []
  records.forEach((r, i) => {
    const references = r.gtKey === null ? null : gtRefs.get(r.gtKey)
    if (references) {
      scorable.push(i)
      pairs.push({ candidate: detCaption[r.index] as string, references })
    }
  })
  const pairScores = pairs.length > 0 ? await scorer.score(pairs) : []
  if (pairScores.length !== pairs.length) throw new Error(`caption scorer ${scorer.name} returned ${pairScores.length} scores for ${pairs.length} pairs`)
  // A detection whose GT has no description scores 0 (DenseCap scores such records against an empty reference list).
  const captionScores = new Float64Array(records.length)
  scorable.forEach((i, j) => (captionScores[i] = pairScores[j] as number))
  const map = denseCapMap(records, captionScores, npos)

  return {
    ...pq,
    captions: { matched, total, weight, raw, weighted, METEOR: null, skipped },
    denseMap: { ...map, captionScorer: { name: scorer.name, isMeteor: scorer.isMeteor, note: scorer.note }, detections: records.length, npos, defaultScores },
  }
}
