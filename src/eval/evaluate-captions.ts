// `pixcap eval captions` as a library function: read a COCO results file and references, score them the way
// pycocoevalcap's COCOEvalCap does (PTB tokenization, then Bleu_1..4, METEOR, ROUGE_L, CIDEr, SPICE), and optionally
// write per-sample scores. METEOR and SPICE run only when their jar is given and java is on PATH; otherwise the result
// says why they were not computed (a missing metric is never reported as 0).
import { access } from 'node:fs/promises'
import { extname } from 'node:path'
import { PixcapError } from '../errors.js'
import type { CaptionPair } from '../metrics/bleu.js'
import { CAPTION_METRICS, scoreCaptions, type CaptionMetricName } from '../metrics/caption-metrics.js'
import { ptbTokenize } from '../metrics/ptb-tokenize.js'
import { writeFileAtomic } from '../util/atomic-write.js'
import { findOnPath } from '../util/find-on-path.js'
import { sha256File } from '../util/sha256.js'
import { readCaptionPredictions, readCaptionReferences, type CaptionPredictions, type CaptionReferences } from './caption-files.js'
import { planMeteor, runMeteor } from './meteor.js'
import { planSpice, runSpice } from './spice.js'

/** Every metric `eval captions` knows, in COCOEvalCap's order. */
export const ALL_CAPTION_METRICS = ['BLEU', 'METEOR', 'ROUGE_L', 'CIDEr', 'SPICE'] as const
export type AnyCaptionMetric = (typeof ALL_CAPTION_METRICS)[number]

/** Options of evaluateCaptionFiles. */
export interface EvaluateCaptionsOptions {
  pred: string
  ref: string
  metrics?: AnyCaptionMetric[]
  /** PTB-tokenize references and hypotheses first (default true, as COCOEvalCap). */
  tokenize?: boolean
  /** Write per-sample scores here: `.jsonl` one object per line, otherwise a JSON array. */
  perSample?: string
  meteorJar?: string
  spiceJar?: string
  spiceCache?: string
  env?: NodeJS.ProcessEnv
  signal?: AbortSignal
}

/** What evaluateCaptionFiles returns (and `--json` prints). */
export interface EvaluateCaptionsResult {
  pred: string
  ref: string
  refSha256: string
  predSha256: string
  tokenize: boolean
  /** Images scored (those with a prediction), in reference order. */
  images: number
  /** Reference images without a prediction: not scored, counted here. */
  missingPredictions: number
  missingExamples: string[]
  /** Keys Bleu_1..4, METEOR, ROUGE_L, CIDEr, SPICE for what was computed. */
  scores: Record<string, number>
  /** Metric -> why it was not computed (e.g. "no --meteor-jar"). */
  notComputed: Record<string, string>
  perSampleFile?: string
}

/** Scores in-memory predictions against references; the file-free core of evaluateCaptionFiles. */
export async function evaluateCaptions(
  preds: CaptionPredictions,
  refs: CaptionReferences,
  opts: Omit<EvaluateCaptionsOptions, 'pred' | 'ref' | 'perSample'> & { predFile: string },
): Promise<{ ids: string[]; scores: Record<string, number>; perSample: Record<string, Record<string, number>>; notComputed: Record<string, string>; missing: string[] }> {
  const metrics = opts.metrics ?? [...ALL_CAPTION_METRICS]
  const tokenize = opts.tokenize ?? true
  for (const [id] of preds.hyps) {
    const r = refs.get(id)
    const at = preds.index?.get(id)
    const path = at === undefined ? [] : [at, 'image_id']
    if (r === undefined) {
      throw new PixcapError('schema', opts.predFile, path, `image_id ${JSON.stringify(preds.ids.get(id))} is not among the reference images (results do not correspond to the reference set)`)
    }
    if (r.length === 0) throw new PixcapError('schema', opts.predFile, path, `image_id ${JSON.stringify(preds.ids.get(id))} has no reference captions`)
  }
  // Score in reference order (pycocotools loadRes keeps the GT image order), restricted to predicted images.
  const ids: string[] = []
  const missing: string[] = []
  for (const id of refs.keys()) (preds.hyps.has(id) ? ids : missing).push(id)
  const hyps = new Map(ids.map((id) => [id, preds.hyps.get(id) as string]))
  const pure = metrics.filter((m): m is CaptionMetricName => (CAPTION_METRICS as readonly string[]).includes(m))
  const { corpus, perSample } = scoreCaptions({ refs, hyps }, { metrics: pure, tokenize })
  const scores: Record<string, number> = { ...corpus }
  const notComputed: Record<string, string> = {}
  const java = metrics.includes('METEOR') || metrics.includes('SPICE') ? await findOnPath('java', opts.env) : null
  const pairs = (): CaptionPair[] => ids.map((id) => {
    const h = hyps.get(id) as string
    const r = refs.get(id) as string[]
    return tokenize ? { hyp: ptbTokenize(h), refs: r.map(ptbTokenize) } : { hyp: h, refs: r }
  })
  const external: [AnyCaptionMetric, string | undefined, string][] = [['METEOR', opts.meteorJar, '--meteor-jar'], ['SPICE', opts.spiceJar, '--spice-jar']]
  for (const [metric, jar, flag] of external) {
    if (!metrics.includes(metric)) continue
    if (jar === undefined) notComputed[metric] = `no ${flag}`
    else if (java === null) notComputed[metric] = 'java not found on PATH'
    else if (ids.length === 0) notComputed[metric] = 'no images to score'
    else {
      await access(jar).catch((err: unknown) => {
        throw new PixcapError('not_found', jar, [], `${flag}: jar not found`, { cause: err })
      })
      const r = metric === 'METEOR'
        ? await runMeteor(pairs(), planMeteor(jar, java), { signal: opts.signal })
        : await runSpice(pairs(), ids.map((id) => preds.ids.get(id) as string | number), (files) => planSpice(jar, { ...files, cache: opts.spiceCache }, java), { signal: opts.signal })
      scores[metric] = r.corpus
      ids.forEach((id, i) => ((perSample[id] as Record<string, number>)[metric] = r.perImage[i] as number))
    }
  }
  return { ids, scores: orderScores(scores), perSample, notComputed, missing }
}

// Report keys in COCOEvalCap's order.
function orderScores(s: Record<string, number>): Record<string, number> {
  const order = ['Bleu_1', 'Bleu_2', 'Bleu_3', 'Bleu_4', 'METEOR', 'ROUGE_L', 'CIDEr', 'SPICE']
  const out: Record<string, number> = {}
  for (const k of order) if (k in s) out[k] = s[k] as number
  return out
}

/** Reads the files, scores, writes per-sample scores atomically if asked, and returns the report. */
export async function evaluateCaptionFiles(opts: EvaluateCaptionsOptions): Promise<EvaluateCaptionsResult> {
  const [preds, refs, predSha256, refSha256] = await Promise.all([
    readCaptionPredictions(opts.pred), readCaptionReferences(opts.ref), sha256File(opts.pred), sha256File(opts.ref),
  ])
  const r = await evaluateCaptions(preds, refs, { ...opts, predFile: opts.pred })
  const result: EvaluateCaptionsResult = {
    pred: opts.pred, ref: opts.ref, refSha256, predSha256, tokenize: opts.tokenize ?? true,
    images: r.ids.length, missingPredictions: r.missing.length, missingExamples: r.missing.slice(0, 5),
    scores: r.scores, notComputed: r.notComputed,
  }
  if (opts.perSample !== undefined) {
    await writePerSampleScores(opts.perSample, r.ids, r.perSample, preds)
    result.perSampleFile = opts.perSample
  }
  return result
}

/** Writes per-sample scores atomically: `.jsonl` one object per line, anything else a JSON array. */
export async function writePerSampleScores(
  file: string, ids: readonly string[], perSample: Record<string, Record<string, number>>, preds: CaptionPredictions,
): Promise<void> {
  const rows = ids.map((id) => ({ image_id: preds.ids.get(id), ...orderScores(perSample[id] ?? {}) }))
  const text = extname(file) === '.jsonl'
    ? rows.map((row) => JSON.stringify(row)).join('\n') + (rows.length > 0 ? '\n' : '')
    : `${JSON.stringify(rows, null, 1)}\n`
  await writeFileAtomic(file, text)
}
