import { resolve } from 'node:path'
import { convertDataset, DEFAULT_SEED, type ConvertOptions, type ConvertResult } from '../../convert/convert-dataset.js'
import { GPT4ROI_MAX_REGIONS } from '../../instruct/gpt4roi-tokens.js'
import { FILTER_POLICY_FLAGS, FILTER_POLICY_OPTIONS, FILTER_POLICY_USAGE, filterPolicyFromFlags } from '../filter-policy-flags.js'
import { UsageError } from '../../errors.js'
import { FORMATS, type FormatName } from '../../formats/registry.js'
import { OUTPUT_FORMATS, type OutputFormat } from '../../io/corpus/corpus-sink.js'
import { MAX_SHARD_ROWS } from '../../io/corpus/shards.js'
import { TEXT_BOX_CONVENTIONS } from '../../formats/box-convention.js'
import { VIP_SHAPES } from '../../formats/vip-llava.js'
import { intFlag, parseCommandArgs, printJson, type CliIo, type Command, type OptionHelp } from '../command.js'
import { createProgressBar } from '../progress.js'
import { FROM_FLAG, FROM_OPTION, fromOption } from '../source-flag.js'

const usage =
  `pixcap convert <annotations.json> [--from NAME] --to ${Object.keys(FORMATS).join('|')} --out DIR [--panoptic-dir D [--no-verify-masks]] [--images-dir D] ` +
  `[--seed N (${DEFAULT_SEED})] [--max-regions N (${GPT4ROI_MAX_REGIONS})] [--templates FILE] [--format parquet,arrow,jsonl,json (format default)] [--split S] [--max-shard-rows N (${MAX_SHARD_ROWS})] ` +
  `[--shard-index i --num-shards n] [--embed-images] [--overwrite] [--resume] [--reject-invalid] ` +
  `[--boxes CONVENTION] [--task T] [--masks] [--image-root DIR] [--epochs N (1)] [--prompt-shapes a,b] ` +
  `${FILTER_POLICY_USAGE} [--json]`

/** Help for the flags that choose the model family's conventions (box convention, image paths, epochs, prompts). */
export const CONVERT_TARGET_OPTIONS: OptionHelp[] = [
  { flag: '--boxes CONVENTION', description: `box convention of text formats (llava, sharegpt): ${TEXT_BOX_CONVENTIONS.join(', ')}`, default: 'llava: llava-1.5, sharegpt: original-3dp' },
  { flag: '--task T', description: "what the samples ask: region_caption, referring, grounding (sharegpt: every region's box in the convention's answer syntax), grounded_dense (qwen-vl)", default: "the format's own" },
  { flag: '--masks', description: 'gpt4roi: add each region\'s COCO RLE mask (from --panoptic-dir) in a `masks` column, in <bbox> order' },
  { flag: '--image-root DIR', description: 'prefix written before every image path in rows: a folder the trainer resolves against (image_folder, media_dir) or an absolute path', default: 'none: paths relative to the images root' },
  { flag: '--epochs N', description: 'write N independent draws (templates, region order, chunks, prompt shapes) per image, as the upstream loaders draw each epoch', default: '1' },
  { flag: '--prompt-shapes LIST', description: `vip-llava: shapes to draw, comma-separated from ${Object.keys(VIP_SHAPES).map((k) => `"${k}"`).join(', ')}`, default: 'all five' },
]

/** Every flag of `convert`, as `--help` lists it. */
export const CONVERT_OPTIONS: OptionHelp[] = [
  FROM_OPTION,
  { flag: '--to FORMAT', description: `target format: ${Object.keys(FORMATS).join(', ')} (required)` },
  { flag: '--out DIR', description: 'output folder for the corpus (required)' },
  { flag: '--panoptic-dir D', description: 'panoptic PNG folder; each image\'s masks are checked against the JSON' },
  { flag: '--no-verify-masks', description: 'with --panoptic-dir, skip the pixel checks (missing PNGs then go unnoticed)' },
  { flag: '--images-dir D', description: 'photo folder (needed by --embed-images, and by the llava-instruct source for image sizes; vcr reads its metadata there, default vcr1images/ beside the file)' },
  { flag: '--seed N', description: 'seed for template choice and region order', default: String(DEFAULT_SEED) },
  { flag: '--max-regions N', description: 'regions per sample', default: String(GPT4ROI_MAX_REGIONS) },
  { flag: '--templates FILE', description: 'instruction template file', default: 'templates/pixcap-default.json' },
  { flag: '--format LIST', description: 'comma-separated: parquet, arrow, jsonl, json (one JSON array)', default: "the format's own (parquet; json for llava, qwen-vl, osprey, vip-llava)" },
  { flag: '--split S', description: 'split name in file names and the manifest', default: 'from the file name (*_train, *_val), else train' },
  { flag: '--max-shard-rows N', description: 'rows per Parquet/Arrow shard file (a shard also ends at 500 MB of Arrow data, as datasets\' push_to_hub does); a crash loses at most the shard being written', default: String(MAX_SHARD_ROWS) },
  { flag: '--shard-index i', description: 'this job\'s index in a cluster array job (with --num-shards)' },
  { flag: '--num-shards n', description: 'number of jobs in the array job (then pixcap merge-manifests)' },
  { flag: '--embed-images', description: 'store each photo\'s bytes in the rows (needs --images-dir)' },
  { flag: '--overwrite', description: 'replace a corpus already in --out, removing exactly the files its manifest lists' },
  { flag: '--resume', description: 'continue a conversion that died in --out (same inputs and options): its finished shards are kept after a sha256 check, the rest is written again, byte-identical to an uninterrupted run; with nothing to resume, a normal conversion', default: 'off: a dead conversion\'s leftovers are refused until --resume or --overwrite' },
  { flag: '--reject-invalid', description: 'turn input errors (invalid entries, duplicate ids) into counted rejects instead of stopping' },
  ...CONVERT_TARGET_OPTIONS,
  ...FILTER_POLICY_OPTIONS,
  { flag: '--json', description: 'print the result (or the error) as JSON on stdout' },
]

function positiveFlag(name: string, value: string): number {
  const n = intFlag(name, value, 1, usage)
  if (n < 1) throw new UsageError(`--${name} must be a positive integer, got ${value}`, usage)
  return n
}

/** Parses `convert` argv into library options (paths resolved against `cwd`). */
export function parseConvertArgs(rawArgs: string[], cwd: string): ConvertOptions & { json: boolean } {
  const { values, positionals } = parseCommandArgs({ name: 'convert', usage }, rawArgs, {
    allowPositionals: true,
    options: {
      ...FROM_FLAG,
      to: { type: 'string' },
      out: { type: 'string' },
      'panoptic-dir': { type: 'string' },
      'images-dir': { type: 'string' },
      seed: { type: 'string' },
      'max-regions': { type: 'string' },
      templates: { type: 'string' },
      format: { type: 'string' },
      split: { type: 'string' },
      'max-shard-rows': { type: 'string' },
      'shard-index': { type: 'string' },
      'num-shards': { type: 'string' },
      'embed-images': { type: 'boolean' },
      'verify-masks': { type: 'boolean' },
      'no-verify-masks': { type: 'boolean' },
      overwrite: { type: 'boolean' },
      resume: { type: 'boolean' },
      'reject-invalid': { type: 'boolean' },
      boxes: { type: 'string' },
      task: { type: 'string' },
      masks: { type: 'boolean' },
      'image-root': { type: 'string' },
      epochs: { type: 'string' },
      'prompt-shapes': { type: 'string' },
      json: { type: 'boolean' },
      ...FILTER_POLICY_FLAGS,
    },
  })
  if (positionals.length !== 1) throw new UsageError(`pixcap convert: expected one annotations file, got ${positionals.length}`, usage)
  if (values.to === undefined) throw new UsageError('pixcap convert: --to is required', usage)
  if (!(values.to in FORMATS)) throw new UsageError(`--to must be one of ${Object.keys(FORMATS).join(', ')}, got "${values.to}"`, usage)
  if (values.out === undefined) throw new UsageError('pixcap convert: --out is required', usage)
  const formats = values.format === undefined ? undefined : values.format.split(',').map((s) => s.trim()).filter((s) => s !== '')
  for (const f of formats ?? []) {
    if (!(OUTPUT_FORMATS as readonly string[]).includes(f)) throw new UsageError(`--format takes ${OUTPUT_FORMATS.join(', ')} (comma-separated), got "${f}"`, usage)
  }
  if ((values['shard-index'] === undefined) !== (values['num-shards'] === undefined)) {
    throw new UsageError('--shard-index and --num-shards go together', usage)
  }
  if (values['verify-masks'] && values['no-verify-masks']) throw new UsageError('--verify-masks and --no-verify-masks contradict each other', usage)
  if (values['no-verify-masks'] && values['panoptic-dir'] === undefined) throw new UsageError('--no-verify-masks goes with --panoptic-dir', usage)
  const formatOptions: Record<string, unknown> = {}
  if (values.boxes !== undefined) {
    if (!(TEXT_BOX_CONVENTIONS as readonly string[]).includes(values.boxes)) throw new UsageError(`--boxes takes ${TEXT_BOX_CONVENTIONS.join(', ')}, got "${values.boxes}"`, usage)
    formatOptions.boxes = values.boxes
  }
  if (values.task !== undefined) formatOptions.task = values.task
  if (values.masks === true) formatOptions.masks = true
  if (values['prompt-shapes'] !== undefined) formatOptions.shapes = values['prompt-shapes'].split(',').map((s) => s.trim()).filter((s) => s !== '')
  const seed = values.seed === undefined ? undefined : intFlag('seed', values.seed, DEFAULT_SEED, usage)
  if (seed !== undefined && (seed < 0 || seed > 0xffffffff)) throw new UsageError(`--seed must be in 0..4294967295, got ${seed}`, usage)
  const abs = (p: string | undefined) => (p === undefined ? undefined : resolve(cwd, p))
  return {
    annotations: resolve(cwd, positionals[0]!),
    ...fromOption(values.from, usage),
    to: values.to as FormatName,
    outDir: resolve(cwd, values.out),
    ...(values['panoptic-dir'] !== undefined ? { panopticDir: abs(values['panoptic-dir']) } : {}),
    ...(values['images-dir'] !== undefined ? { imagesDir: abs(values['images-dir']) } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(values['max-regions'] !== undefined ? { maxRegions: intFlag('max-regions', values['max-regions'], GPT4ROI_MAX_REGIONS, usage) } : {}),
    ...(values.templates !== undefined ? { templates: abs(values.templates) } : {}),
    ...(formats !== undefined ? { formats: formats as OutputFormat[] } : {}),
    ...(values['image-root'] !== undefined ? { imageRoot: values['image-root'] } : {}),
    ...(values.epochs !== undefined ? { epochs: intFlag('epochs', values.epochs, 1, usage) } : {}),
    ...(Object.keys(formatOptions).length > 0 ? { formatOptions } : {}),
    ...(values.split !== undefined ? { split: values.split } : {}),
    ...(values['max-shard-rows'] !== undefined ? { limits: { maxRowsPerShard: positiveFlag('max-shard-rows', values['max-shard-rows']) } } : {}),
    ...(values['num-shards'] !== undefined
      ? { shard: { index: intFlag('shard-index', values['shard-index'], 0, usage), count: intFlag('num-shards', values['num-shards'], 1, usage) } }
      : {}),
    embedImages: values['embed-images'] === true,
    ...(values['no-verify-masks'] ? { verifyMasks: false } : values['verify-masks'] ? { verifyMasks: true } : {}),
    overwrite: values.overwrite === true,
    ...(values.resume ? { resume: true } : {}),
    rejectInvalid: values['reject-invalid'] === true,
    filterPolicy: filterPolicyFromFlags(values),
    json: values.json === true,
  }
}

/** The short human summary of a conversion (also used by `pixcap demo`). */
export function renderConvertSummary(r: ConvertResult): string {
  const c = r.manifest.counts
  const reasons = Object.entries(c.rejectedByReason)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')
  const splitFrom = { option: '--split', 'file name': 'from the file name', default: 'default; --split names another' }[r.splitSource]
  const lines = [
    ...(r.deadWriter ? [`an interrupted ${r.deadWriter.command} (pid ${r.deadWriter.pid} on ${r.deadWriter.host}, started ${r.deadWriter.startedAt}) had died in this folder`] : []),
    ...(r.swept.length > 0 ? [`swept ${r.swept.length} temporary file${r.swept.length === 1 ? '' : 's'} it left (${r.swept.slice(0, 3).join(', ')}${r.swept.length > 3 ? ', ...' : ''})`] : []),
    ...(r.resumedShards > 0 ? [`resumed: kept its ${r.resumedShards} finished shard${r.resumedShards === 1 ? '' : 's'} (sha256 checked), wrote the rest`] : []),
    ...(r.overwritten.length > 0 ? [`replaced the previous corpus: ${r.overwritten.length - 1} files its manifest listed, and the manifest`] : []),
    `${r.manifest.format.name} corpus in ${r.outDir} (split ${r.manifest.split} (${splitFrom}), seed ${r.manifest.seed}${r.manifest.shard ? `, shard ${r.manifest.shard.index} of ${r.manifest.shard.count}` : ''})`,
    `images    ${c.images.in} in, ${c.images.kept} kept, ${c.images.dropped} with no region left`,
    `regions   ${c.regions.in} in, ${c.regions.kept} kept, ${c.regions.inSamples} in samples, ${c.regions.rejected} rejected${reasons ? ` (${reasons})` : ''}`,
    `samples   ${c.samples}`,
    'files',
    ...r.manifest.files.map((f) => `  ${f.file.padEnd(40)} ${String(f.rows).padStart(8)} rows ${String(f.bytes).padStart(11)} bytes`),
    `  manifest.json`,
  ]
  if (r.reader.errors > 0) lines.push(`reader: ${r.reader.errors} input errors turned into rejects (--reject-invalid); see rejects.jsonl, or run pixcap validate`)
  if (r.reader.warnings > 0) lines.push(`reader: ${r.reader.warnings} warnings (run pixcap validate for details)`)
  if (!r.manifest.options.verifyMasks) lines.push('masks: not checked against the panoptic PNGs (give --panoptic-dir to check them)')
  return `${lines.join('\n')}\n`
}

/** Runs a conversion with a progress bar on a TTY and prints the summary or JSON. */
export async function runConvertAndReport(options: ConvertOptions, json: boolean, io: CliIo): Promise<ConvertResult> {
  const bar = createProgressBar(io, json)
  try {
    return await convertDataset(options, (e) => {
      if (e.kind === 'progress') bar(e)
    })
  } finally {
    bar.finish()
  }
}

/** `pixcap convert`: any registered source -> a target format on disk (Parquet / Arrow / JSONL, rejects, manifest). */
export const convertCommand: Command = {
  name: 'convert',
  summary: `convert a dataset (Pix2Cap-COCO, COCO region captions, ...) into a training corpus (${Object.keys(FORMATS).join(', ')})`,
  usage,
  options: CONVERT_OPTIONS,
  async run(rawArgs, io) {
    const { json, ...options } = parseConvertArgs(rawArgs, io.cwd)
    const result = await runConvertAndReport(options, json, io)
    if (json) printJson(io, { ok: true, outDir: result.outDir, split: result.manifest.split, splitSource: result.splitSource, overwritten: result.overwritten, swept: result.swept, resumedShards: result.resumedShards, ...(result.deadWriter ? { deadWriter: result.deadWriter } : {}), manifest: result.manifest, reader: result.reader })
    else io.stdout.write(renderConvertSummary(result))
    return 0
  },
}
