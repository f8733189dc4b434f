import { dirname, join, resolve } from 'node:path'
import { UsageError } from '../../errors.js'
import { prepareVgRegionCaption } from '../../eval/vg-region-caption.js'
import { scoreVgRegionCaptions } from '../../eval/vg-score.js'
import { parseCommandArgs, printJson, type Command } from '../command.js'
import { parseMetricList, renderCaptionReport } from './eval-captions.js'

const PREPARE_USAGE = `pixcap eval vg-prepare --annotations test_caption.json --out questions.jsonl [--images-dir DIR]
    [--refs references.json] [--json]

  --annotations  GLaMM test_caption.json (one region per image, annotation id == image id) or GRiT test.json
                 (several regions per image; each is a question keyed by its annotation id); detected
  --images-dir   read each image's size from its header, as the upstream evaluation does (else the JSON's width/height)
  --refs         references for "pixcap eval captions" (default: references.json beside --out)`

/** `pixcap eval vg-prepare`: VG region-caption questions for the bridge plus the references file. */
export const evalVgPrepareCommand: Command = {
  name: 'eval vg-prepare',
  summary: 'write VG region-captioning questions (GPT4RoI protocol) and references',
  usage: PREPARE_USAGE,
  options: [
    { flag: '--annotations FILE', description: 'GLaMM/GRiT-format COCO test file (required)' },
    { flag: '--out FILE', description: 'questions JSONL to write (required)' },
    { flag: '--images-dir DIR', description: 'read image sizes from the photos, as upstream does', default: 'the JSON\'s width/height' },
    { flag: '--refs FILE', description: 'references for eval captions', default: 'references.json beside --out' },
    { flag: '--json', description: 'print the result (or the error) as JSON on stdout' },
  ],
  async run(rawArgs, io) {
    const { values } = parseCommandArgs({ name: 'eval vg-prepare', usage: PREPARE_USAGE }, rawArgs, {
      options: { annotations: { type: 'string' }, 'images-dir': { type: 'string' }, out: { type: 'string' }, refs: { type: 'string' }, json: { type: 'boolean' } },
    })
    if (!values.annotations) throw new UsageError('pixcap eval vg-prepare: --annotations is required', PREPARE_USAGE)
    if (!values.out) throw new UsageError('pixcap eval vg-prepare: --out is required', PREPARE_USAGE)
    const out = resolve(io.cwd, values.out)
    const result = await prepareVgRegionCaption({
      annotations: resolve(io.cwd, values.annotations), out,
      imagesDir: values['images-dir'] === undefined ? undefined : resolve(io.cwd, values['images-dir']),
      refsOut: values.refs === undefined ? join(dirname(out), 'references.json') : resolve(io.cwd, values.refs),
    })
    if (values.json) printJson(io, { ok: true, ...result })
    else {
      io.stdout.write(`${result.questions} questions (${result.layout} layout) -> ${result.out}\nreferences -> ${result.refsOut}\n` +
        `annotations sha256 ${result.annotationsSha256}\nsizes from ${result.sizeFrom}` +
        `${result.sizeMismatches ? ` (${result.sizeMismatches} differ from the JSON)` : ''}; ${result.boxesOutside} boxes reach outside their image; ` +
        `${result.unusedAnnotations} annotations not used (id is no image id)\n`)
    }
    return 0
  },
}

const SCORE_USAGE = `pixcap eval vg-score --pred RESULTS_DIR|results.json --ref references.json [--ckpt NAME] [--merged FILE]
    [--metrics ...] [--no-tokenize] [--per-sample FILE] [--meteor-jar JAR] [--spice-jar JAR] [--json]

  --pred   a directory of {ckpt}_vg_{rank}.json shards (other files are ignored) or one results file
  --ckpt   the checkpoint name when the directory holds shards of several`

/** `pixcap eval vg-score`: merge per-rank VG result shards and score them. */
export const evalVgScoreCommand: Command = {
  name: 'eval vg-score',
  summary: 'merge {ckpt}_vg_{rank}.json shards and score them like pycocoevalcap',
  usage: SCORE_USAGE,
  options: [
    { flag: '--pred DIR|FILE', description: 'a folder of {ckpt}_vg_{rank}.json shards, or one results file (required)' },
    { flag: '--ref FILE', description: 'references.json from vg-prepare (required)' },
    { flag: '--ckpt NAME', description: 'checkpoint name when the folder holds shards of several' },
    { flag: '--merged FILE', description: 'write the merged results here' },
    { flag: '--metrics LIST', description: 'comma-separated subset of the metrics', default: 'all' },
    { flag: '--no-tokenize', description: 'inputs are already tokenised (skip the PTB tokenizer approximation)' },
    { flag: '--per-sample FILE', description: 'write per-sample scores (.jsonl or .json)' },
    { flag: '--meteor-jar JAR', description: 'METEOR 1.5 jar, run with java from PATH', default: 'not computed' },
    { flag: '--spice-jar JAR', description: 'SPICE 1.0 jar, run with java from PATH', default: 'not computed' },
    { flag: '--spice-cache DIR', description: 'SPICE parse cache' },
    { flag: '--json', description: 'print the result (or the error) as JSON on stdout' },
  ],
  async run(rawArgs, io) {
    const { values } = parseCommandArgs({ name: 'eval vg-score', usage: SCORE_USAGE }, rawArgs, {
      options: {
        pred: { type: 'string' }, ref: { type: 'string' }, ckpt: { type: 'string' }, merged: { type: 'string' },
        metrics: { type: 'string' }, 'no-tokenize': { type: 'boolean' }, 'per-sample': { type: 'string' },
        'meteor-jar': { type: 'string' }, 'spice-jar': { type: 'string' }, 'spice-cache': { type: 'string' }, json: { type: 'boolean' },
      },
    })
    if (!values.pred) throw new UsageError('pixcap eval vg-score: --pred is required', SCORE_USAGE)
    if (!values.ref) throw new UsageError('pixcap eval vg-score: --ref is required', SCORE_USAGE)
    const at = (p: string | undefined): string | undefined => (p === undefined ? undefined : resolve(io.cwd, p))
    const result = await scoreVgRegionCaptions({
      pred: at(values.pred) as string, ref: at(values.ref) as string, ckpt: values.ckpt, merged: at(values.merged),
      metrics: parseMetricList(values.metrics), tokenize: !values['no-tokenize'], perSample: at(values['per-sample']),
      meteorJar: at(values['meteor-jar']), spiceJar: at(values['spice-jar']), spiceCache: at(values['spice-cache']),
      env: io.env, signal: io.signal,
    })
    if (values.json) printJson(io, { ok: true, ...result })
    else {
      io.stdout.write(`merged ${result.shards.length} shard(s)${result.ignoredFiles.length ? `, ignored ${result.ignoredFiles.length} other file(s)` : ''}` +
        `${result.duplicatesDropped ? `, dropped ${result.duplicatesDropped} duplicate caption(s) (first rank kept)` : ''}\n`)
      io.stdout.write(renderCaptionReport(result))
    }
    return 0
  },
}
