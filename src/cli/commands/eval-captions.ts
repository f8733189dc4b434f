import { resolve } from 'node:path'
import { UsageError } from '../../errors.js'
import { ALL_CAPTION_METRICS, evaluateCaptionFiles, type AnyCaptionMetric, type EvaluateCaptionsResult } from '../../eval/evaluate-captions.js'
import { parseCommandArgs, printJson, type CliIo, type Command } from '../command.js'

const USAGE = `pixcap eval captions --pred results.json --ref refs.json [--metrics ${ALL_CAPTION_METRICS.join(',')}]
    [--no-tokenize] [--per-sample FILE.jsonl|FILE.json] [--meteor-jar meteor-1.5.jar] [--spice-jar spice-1.0.jar]
    [--spice-cache DIR] [--json]

  --pred         COCO results: [{"image_id": ..., "caption": "..."}]
  --ref          COCO captions {"images", "annotations": [{"image_id", "caption"}]} or {"<id>": ["ref", ...]}
  --metrics      comma-separated subset (default: all); BLEU gives Bleu_1..Bleu_4
  --no-tokenize  inputs are already tokenised (skip the PTB tokenizer approximation)
  --meteor-jar, --spice-jar  run METEOR 1.5 / SPICE 1.0 with java from PATH; without them they are reported as not computed`

/** Parses `--metrics BLEU,ROUGE_L` (case-insensitive; ROUGE is accepted for ROUGE_L). */
export function parseMetricList(value: string | undefined): AnyCaptionMetric[] | undefined {
  if (value === undefined) return undefined
  const byLower = new Map<string, AnyCaptionMetric>(ALL_CAPTION_METRICS.map((m) => [m.toLowerCase(), m]))
  byLower.set('rouge', 'ROUGE_L')
  byLower.set('cider-d', 'CIDEr')
  const out: AnyCaptionMetric[] = []
  for (const raw of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = byLower.get(raw.toLowerCase())
    if (!m) throw new UsageError(`--metrics: unknown metric "${raw}"; expected some of ${ALL_CAPTION_METRICS.join(', ')}`, USAGE)
    if (!out.includes(m)) out.push(m)
  }
  if (out.length === 0) throw new UsageError('--metrics: expected at least one metric', USAGE)
  return out
}

/** Human-readable report: one line per metric, and why METEOR/SPICE were not computed. */
export function renderCaptionReport(r: EvaluateCaptionsResult): string {
  const lines = [`${r.images} images scored${r.missingPredictions > 0 ? `; ${r.missingPredictions} reference images have no prediction and were not scored (e.g. ${r.missingExamples.join(', ')})` : ''}; ${r.tokenize ? 'PTB-tokenized' : 'not tokenized'}`]
  for (const [k, v] of Object.entries(r.scores)) lines.push(`${k}: ${v}`)
  for (const [k, why] of Object.entries(r.notComputed)) lines.push(`${k}: not computed (${why})`)
  if (r.perSampleFile) lines.push(`per-sample scores: ${r.perSampleFile}`)
  return `${lines.join('\n')}\n`
}

/** `pixcap eval captions`: BLEU-1..4, ROUGE-L, CIDEr-D (and METEOR/SPICE with their jars) over a COCO results file. */
export const evalCaptionsCommand: Command = {
  name: 'eval captions',
  summary: 'score captions like pycocoevalcap (BLEU, ROUGE-L, CIDEr-D; METEOR/SPICE with their jars)',
  usage: USAGE,
  options: [
    { flag: '--pred FILE', description: 'COCO results [{"image_id", "caption"}] (required)' },
    { flag: '--ref FILE', description: 'COCO captions file or {"<id>": ["ref", ...]} (required)' },
    { flag: '--metrics LIST', description: 'comma-separated subset of the metrics', default: 'all' },
    { flag: '--no-tokenize', description: 'inputs are already tokenised (skip the PTB tokenizer approximation)' },
    { flag: '--per-sample FILE', description: 'write per-sample scores (.jsonl or .json)' },
    { flag: '--meteor-jar JAR', description: 'METEOR 1.5 jar, run with java from PATH', default: 'not computed' },
    { flag: '--spice-jar JAR', description: 'SPICE 1.0 jar, run with java from PATH', default: 'not computed' },
    { flag: '--spice-cache DIR', description: 'SPICE parse cache' },
    { flag: '--json', description: 'print the result (or the error) as JSON on stdout' },
  ],
  async run(rawArgs: string[], io: CliIo) {
    const { values } = parseCommandArgs({ name: 'eval captions', usage: USAGE }, rawArgs, {
      options: {
        pred: { type: 'string' }, ref: { type: 'string' }, metrics: { type: 'string' },
        'no-tokenize': { type: 'boolean' }, 'per-sample': { type: 'string' },
        'meteor-jar': { type: 'string' }, 'spice-jar': { type: 'string' }, 'spice-cache': { type: 'string' },
        json: { type: 'boolean' },
      },
    })
    if (!values.pred) throw new UsageError('pixcap eval captions: --pred is required', USAGE)
    if (!values.ref) throw new UsageError('pixcap eval captions: --ref is required', USAGE)
    const at = (p: string | undefined): string | undefined => (p === undefined ? undefined : resolve(io.cwd, p))
    const result = await evaluateCaptionFiles({
      pred: at(values.pred) as string, ref: at(values.ref) as string, metrics: parseMetricList(values.metrics),
      tokenize: !values['no-tokenize'], perSample: at(values['per-sample']),
      meteorJar: at(values['meteor-jar']), spiceJar: at(values['spice-jar']), spiceCache: at(values['spice-cache']),
      env: io.env, signal: io.signal,
    })
    if (values.json) printJson(io, { ok: true, ...result })
    else io.stdout.write(renderCaptionReport(result))
    return 0
  },
}
