// `pixcap convert`: any registered source (sources/registry.ts) -> filtered regions -> a target format -> a corpus on disk
// (ARCHITECTURE.md "A corpus on disk"): data files, rejects.jsonl, sidecars, and manifest.json written LAST.
// Everything streams: the reader yields one image at a time, the filter and format work per image, the sinks write
// 1k-row batches. Same input + same seed -> byte-identical files (formats seed per image; writers are deterministic).
// On any failure every temporary file is removed and no manifest is written.
// Crash safety (issue 17): the folder is locked (`.pixcap-lock`, with the writer's pid and host) while it is written;
// the lock journals finished shards, so `--resume` after a crash keeps them (sha256-checked) and gives files
// byte-identical to an uninterrupted run; a dead writer's `.incomplete` files are swept; the old manifest of an
// --overwrite goes before its data; no output may be an input.
import { rm, rmdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { OptionError, PixcapError } from '../errors.js'
import { filterImages } from '../dataset/filter-images.js'
import { DEFAULT_FILTER_POLICY, type FilterPolicy } from '../dataset/filter-policy.js'
import { FORMATS, type FormatName } from '../formats/registry.js'
import type { FormatContext, TargetFormat } from '../formats/target-format.js'
import { loadTemplates } from '../instruct/load-templates.js'
import { GPT4ROI_MAX_REGIONS } from '../instruct/gpt4roi-tokens.js'
import type { Row } from '../io/corpus/arrow-batch.js'
import { openCorpusSink, type OutputFormat } from '../io/corpus/corpus-sink.js'
import { MANIFEST_FILE, writeManifest, type Manifest, type ManifestCounts, type ManifestFile } from '../io/corpus/manifest.js'
import { openRejectsWriter } from '../io/corpus/rejects-writer.js'
import { withRegionMasks } from '../io/png/region-masks.js'
import { deriveSeed } from '../util/rng.js'
import type { ShardLimits } from '../io/corpus/shards.js'
import { openSource } from '../sources/open-source.js'
import type { SplitSource } from '../sources/split-name.js'
import type { SourceReport } from '../records/source-report.js'
import { checkInputFile } from '../io/input/input-file.js'
import { prepareOutDir } from '../io/corpus/prepare-out-dir.js'
import { acquireCorpusLock, LOCK_FILE, type HeldCorpusLock } from '../io/corpus/corpus-lock.js'
import { refuseOutputsOverInputs, type InputLocation } from '../io/input/outputs-over-inputs.js'
import { CORPUS_DIRS } from '../io/corpus/prepare-out-dir.js'
import { failpoint } from '../util/failpoint.js'
import type { ImageRecord } from '../records/region-record.js'
import type { RejectRecord } from '../records/reject.js'
import { writeFileAtomic } from '../util/atomic-write.js'
import { sha256, sha256File } from '../util/sha256.js'
import { writeRowImages, type RowImageCounts } from './row-images.js'
import { embeddedImageFields } from '../formats/embedded-image.js'
import { pixcapVersion } from '../util/pixcap-version.js'
import { withMaskChecks, type MaskRejectCounts } from './mask-rejects.js'
import { conversationRows } from '../formats/image-conversation.js'
import { selectShard } from './select-shard.js'

/** Options of {@link convertDataset}. */
export interface ConvertOptions {
  /** The source's annotation file (Pix2Cap-COCO JSON, COCO region captions, ...). */
  annotations: string
  /** A registered source name (sources/registry.ts); default: detected from the file's shape. */
  from?: string
  panopticDir?: string
  imagesDir?: string
  to: FormatName
  outDir: string
  seed?: number
  /** Regions per sample (GPT4RoI: 15). */
  maxRegions?: number
  /** Template file; default: the bundled templates/pixcap-default.json. */
  templates?: string
  /** Row formats only; default parquet. */
  formats?: OutputFormat[]
  /** Split name; default from the file name (`*_train*`, `*_val*`), else `train`. */
  split?: string
  /** This run is job `index` of `count`. */
  shard?: { index: number; count: number }
  embedImages?: boolean
  /**
   * Check each image's panoptic PNG; disagreeing regions become rejects. Default: on whenever panopticDir is given
   * (a missing or disagreeing PNG must not pass unnoticed); false turns it off.
   */
  verifyMasks?: boolean
  /**
   * Problems the reader finds (invalid entries, duplicate ids, segments without an image) stop the conversion with
   * their list (default). True turns them into rejects, counted in the manifest and the summary.
   */
  rejectInvalid?: boolean
  /** Replace a corpus already in outDir (removing exactly the files its manifest lists); default: refuse. */
  overwrite?: boolean
  /**
   * Continue a conversion that died in outDir (same inputs and options): its finished shards are kept when their
   * sha256 matches, the rest is written again; the result is byte-identical to an uninterrupted run. Without an
   * interrupted conversion there, a normal conversion.
   */
  resume?: boolean
  filterPolicy?: FilterPolicy
  formatOptions?: Record<string, unknown>
  limits?: Partial<ShardLimits>
  /** Adds `createdAt` to the manifest (off by default so reruns compare byte-equal). */
  timestamp?: boolean
  /** Prefix for image paths in rows (a folder the trainer resolves against, or absolute); see FormatContext.imageRoot. */
  imageRoot?: string
  /**
   * Independent draws per image (templates, region order, chunks, prompt shapes), one after another: GPT4RoI's
   * loader draws anew each epoch, a static corpus fixes N draws. Draw 0 equals a single-epoch corpus; draw e uses
   * seed deriveSeed(seed, `epoch:e`) and ids `<imageId>-e<e>-<chunk>`. Default 1.
   */
  epochs?: number
}

/** Progress and outcome events; only the CLI draws them. */
export type ConvertEvent =
  | { kind: 'progress'; stage: 'images'; done: number; total?: number }
  | { kind: 'file'; file: ManifestFile }

/** What a conversion produced. */
export interface ConvertResult {
  outDir: string
  manifestPath: string
  manifest: Manifest
  reader: Pick<SourceReport, 'errors' | 'warnings'> & { source: string; rejectInvalid: boolean }
  /** Where the split name came from (`--split`, the file name, or the default `train`). */
  splitSource: SplitSource
  /** Files of a previous corpus removed by `overwrite`. */
  overwritten: string[]
  /** `.incomplete` files of an interrupted conversion that were removed. */
  swept: string[]
  /** With `resume`: shards of the interrupted conversion that were kept (not written again). */
  resumedShards: number
  /** The conversion that died in this folder, if one had. */
  deadWriter?: { pid: number; host: string; startedAt: string; command: string }
}

/** Reader problems listed in the error that stops a conversion. */
const LISTED_READER_ERRORS = 20

/** Passes the reader's entries on; at the end, stops with the list of reader errors unless they are accepted. */
async function* stopOnReaderErrors<T>(entries: AsyncIterable<T>, report: SourceReport, accept: boolean): AsyncGenerator<T> {
  yield* entries
  if (accept || report.errors === 0) return
  const errors = report.issues.filter((i) => i.severity === 'error')
  const list = errors.slice(0, LISTED_READER_ERRORS).map((i) => `  ${i.message}`)
  if (errors.length > LISTED_READER_ERRORS) list.push(`  ... and ${errors.length - LISTED_READER_ERRORS} more (pixcap validate lists them all)`)
  throw new PixcapError(
    'schema', report.file, [],
    `${errors.length} error${errors.length > 1 ? 's' : ''} in the input; nothing was written:\n${list.join('\n')}\n` +
      'Fix the input, or pass --reject-invalid to convert anyway with the affected regions counted as rejects',
  )
}

/** The seed when none is given. */
export const DEFAULT_SEED = 0

async function removeFiles(root: string, rel: readonly string[]): Promise<void> {
  for (const f of rel) await rm(join(root, f), { force: true })
}

async function inputEntry(role: string, path: string): Promise<Manifest['inputs'][number]> {
  return { role, path, bytes: (await stat(path)).size, sha256: await sha256File(path) }
}

function checkOptions(o: ConvertOptions, format: TargetFormat): void {
  if (o.shard) {
    const { index, count } = o.shard
    if (!Number.isInteger(count) || count < 1) throw new OptionError(`{shard.count} must be a positive integer, got ${count}`)
    if (!Number.isInteger(index) || index < 0 || index >= count) throw new OptionError(`{shard.index} must be in 0..${count - 1}, got ${index}`)
    if (format.kind === 'document') throw new OptionError(`{shard.index}/{shard.count} split row formats only; ${format.name} writes one JSON document per split`)
  }
  if (o.verifyMasks === true && !o.panopticDir) throw new OptionError('{verifyMasks} needs {panopticDir}')
  if (o.embedImages && !o.imagesDir) throw new OptionError('{embedImages} needs {imagesDir}')
  if (o.maxRegions !== undefined && (!Number.isInteger(o.maxRegions) || o.maxRegions < 1)) throw new OptionError(`{maxRegions} must be a positive integer, got ${o.maxRegions}`)
  if (o.epochs !== undefined && (!Number.isInteger(o.epochs) || o.epochs < 1)) throw new OptionError(`{epochs} must be a positive integer, got ${o.epochs}`)
  if (format.kind === 'document' && (o.epochs ?? 1) > 1) throw new OptionError(`{epochs} applies to row formats; ${format.name} writes one document that its loader samples itself`)
  if (format.kind === 'document' && o.imageRoot !== undefined) throw new OptionError(`{imageRoot} applies to row formats; ${format.name} keeps the source's file names`)
  if (o.imageRoot !== undefined && o.embedImages) throw new OptionError('{imageRoot} and {embedImages} exclude each other: embedded rows carry the image bytes, not a path')
}

/** The format's options with defaults, or a usage error that names the option and what the format takes. */
function parseFormatOptions(format: TargetFormat, raw: Record<string, unknown>): Record<string, unknown> {
  const parsed = format.options.safeParse(raw)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]!
  const keys = 'keys' in issue && Array.isArray(issue.keys) ? issue.keys.join(', ') : issue.path.map(String).join('.')
  const known = Object.keys(format.options.parse({}))
  throw new OptionError(`{to} ${format.name}: option ${keys}: ${issue.message}; ${format.name} takes ${known.join(', ') || 'no options'}`)
}

/** Checks that the inputs a format needs for its options were given. */
function checkNeeds(o: ConvertOptions, format: TargetFormat, options: Record<string, unknown>): { masks: boolean; images: boolean } {
  const needs = format.kind === 'rows' && format.needs ? format.needs(options) : {}
  if (needs.masks && !o.panopticDir) throw new OptionError(`{to} ${format.name} needs region masks: give {panopticDir}`)
  if (needs.images && !o.imagesDir) throw new OptionError(`{to} ${format.name} draws on the images: give {imagesDir}`)
  return { masks: needs.masks === true, images: needs.images === true }
}

/** The seed of draw `epoch` (draw 0 keeps the base seed, so a 1-epoch corpus is unchanged). */
function epochSeed(seed: number, epoch: number): number {
  return epoch === 0 ? seed : deriveSeed(seed, `epoch:${epoch}`)
}

/**
 * The data files a sidecar (e.g. LLaMA-Factory's dataset_info.json) should point at: one format's files, the most
 * widely readable one written (JSONL, then Parquet, then Arrow), since such tools load one file type per entry.
 */
export function sidecarDataKind(formats: readonly string[]): string {
  return ['jsonl', 'json', 'parquet', 'arrow'].find((k) => formats.includes(k)) ?? 'parquet'
}

/** Runs a conversion, yielding progress events; returns the result (with the written manifest). */
export async function* convertDatasetIter(o: ConvertOptions): AsyncGenerator<ConvertEvent, ConvertResult> {
  const format: TargetFormat | undefined = (FORMATS as Record<string, TargetFormat>)[o.to]
  if (!format) throw new OptionError(`{to} must be one of ${Object.keys(FORMATS).join(', ')}, got "${o.to}"`)
  checkOptions(o, format)
  await checkInputFile(o.annotations, 'the annotations file')
  const verify = o.verifyMasks ?? o.panopticDir !== undefined
  const seed = o.seed ?? DEFAULT_SEED
  const policy = o.filterPolicy ?? DEFAULT_FILTER_POLICY
  const loaded = await loadTemplates(o.templates)
  const { definition, reader } = await openSource({ annotations: o.annotations, ...(o.from !== undefined ? { from: o.from } : {}), ...(o.split ? { split: o.split } : {}), ...(o.imagesDir !== undefined ? { imagesDir: o.imagesDir } : {}) })
  if (o.panopticDir !== undefined && !definition.panopticMasks) throw new OptionError(`{panopticDir}: source ${definition.name} has no panoptic masks to check or read`)
  const split = reader.split
  const formatOptions = parseFormatOptions(format, o.formatOptions ?? {})
  const needs = checkNeeds(o, format, formatOptions)
  const epochs = o.epochs ?? 1
  const ctx: FormatContext = {
    seed,
    templates: loaded.templates,
    maxRegions: o.maxRegions ?? GPT4ROI_MAX_REGIONS,
    split,
    options: formatOptions,
    ...(o.imageRoot !== undefined ? { imageRoot: o.imageRoot } : {}),
  }
  const epochCtx = Array.from({ length: epochs }, (_, e): FormatContext => (e === 0 ? ctx : { ...ctx, seed: epochSeed(seed, e), epoch: e }))
  const defaultOutputs = (format.kind === 'rows' ? format.defaultOutputs : undefined) ?? ['parquet']
  const formats: OutputFormat[] = format.kind === 'rows' ? [...new Set<OutputFormat>(o.formats ?? (defaultOutputs as OutputFormat[]))] : []
  const inputs = [await inputEntry('annotations', o.annotations)]
  const manifestOptions = {
    /** The registered source that read the annotations (detected or --from). */
    source: reader.source,
    maxRegions: ctx.maxRegions,
    formats,
    embedImages: o.embedImages === true,
    verifyMasks: verify,
    panopticDir: o.panopticDir ?? null,
    imagesDir: o.imagesDir ?? null,
    limits: o.limits ?? {},
    epochs,
    imageRoot: o.imageRoot ?? null,
  }
  const version = await pixcapVersion()
  const inputLocations: InputLocation[] = [
    { role: `the ${reader.source} annotations file`, path: o.annotations, kind: 'file' },
    { role: 'the templates file', path: loaded.file, kind: 'file' },
    ...(o.panopticDir ? [{ role: 'the panoptic PNG folder (--panoptic-dir)', path: o.panopticDir, kind: 'dir' as const }] : []),
    ...(o.imagesDir ? [{ role: 'the images folder (--images-dir)', path: o.imagesDir, kind: 'dir' as const }] : []),
  ]
  const sidecarName = reader.source.replace(/-/g, '_')
  const sidecarNames = format.kind === 'rows' && format.sidecars ? format.sidecars({ name: sidecarName, splits: [] }).map((f) => f.path) : []
  await refuseOutputsOverInputs(inputLocations, {
    root: o.outDir,
    files: [MANIFEST_FILE, 'rejects.jsonl', LOCK_FILE, ...sidecarNames, ...(format.kind === 'document' ? [format.fileName(split)] : [])],
    dirs: CORPUS_DIRS,
  })
  // Everything that shapes the bytes written: a resumed run must match the interrupted one in all of it.
  const key = sha256(JSON.stringify({ version, format: format.name, formatOptions, split, seed, inputs, templates: loaded.sha256, policy, manifestOptions, shard: o.shard ?? null }))
  const acquired = await acquireCorpusLock(o.outDir, { command: 'convert', key })
  const lock: HeldCorpusLock = acquired.lock
  // A failure before any data is written leaves the folder as it was (and removes it when the lock created it).
  const giveUp = async (): Promise<void> => {
    // A dead writer's journal is kept for a later --resume, unless a manifest says its corpus is whole anyway.
    const whole = await stat(join(o.outDir, MANIFEST_FILE)).then(() => true, () => false)
    if (acquired.dead && !whole) await lock.handBack()
    else await lock.release()
    if (acquired.createdDir) await rmdir(o.outDir).catch(() => {})
  }
  let prepared
  try {
    await failpoint('lock-taken')
    prepared = await prepareOutDir(o.outDir, {
      overwrite: o.overwrite === true,
      ...(o.resume ? { resumeKey: key } : {}),
      lock,
      ...(acquired.dead ? { dead: acquired.dead } : {}),
      inputs: inputLocations,
    })
    await lock.update({ removing: [] })
  } catch (err) {
    await giveUp()
    throw err
  }
  const overwritten = prepared.removed
  const resumed = prepared.resumed
  let rejects
  try {
    rejects = await openRejectsWriter(join(o.outDir, 'rejects.jsonl'))
  } catch (err) {
    await giveUp()
    throw err
  }
  let conversationRejects = 0
  const onReject = (r: RejectRecord) => {
    if (r.conversationId !== undefined) conversationRejects++
    return rejects.write(r)
  }
  const filtered = filterImages(selectShard(stopOnReaderErrors(reader.entries(), reader.report, o.rejectInvalid === true), o.shard), policy, { onReject })
  const maskCounts: MaskRejectCounts = { regions: 0, images: 0 }
  const verified = verify ? withMaskChecks(filtered, o.panopticDir!, onReject, maskCounts) : filtered
  const checked = needs.masks ? withRegionMasks(verified, o.panopticDir!) : verified
  const tally: RowImageCounts = { imagesDone: 0, regionsInSamples: 0, conversationsInSamples: 0, samples: 0 }
  const files: ManifestFile[] = []
  const renderedFiles: string[] = []
  // Final names this run renames into place (journaled in the lock before the renames), removed again on failure.
  let committing: string[] = []
  const commitNext = async (names: readonly string[]): Promise<void> => {
    committing = [...new Set([...committing, ...names])]
    await lock.update({ committing })
  }
  const cleanups: (() => Promise<void>)[] = [() => lock.release(), () => removeFiles(o.outDir, committing), () => rejects.abort(), () => removeFiles(o.outDir, renderedFiles)]
  // The image count is known once the `images` list has been read (before annotations); a job sees only its share.
  const progress = (): ConvertEvent => {
    const total = reader.report.counts.images
    return { kind: 'progress', stage: 'images', done: tally.imagesDone, ...(total > 0 && !o.shard ? { total } : {}) }
  }

  try {
    if (format.kind === 'rows') {
      const fields = o.embedImages ? embeddedImageFields(format.fields, format.name) : format.fields
      const journal = [...(resumed?.shards ?? [])]
      const sink = await openCorpusSink({
        outDir: o.outDir, split, fields, formats, embedImages: o.embedImages === true, ...(o.limits ? { limits: o.limits } : {}), ...(o.shard ? { job: o.shard } : {}),
        ...(resumed ? { resume: resumed } : {}),
        onShardFinished: async (shard, batches) => {
          journal.push(shard)
          await lock.update({ shards: journal, batches: [...batches] })
        },
        beforeCommit: (names) => commitNext([...names, 'rejects.jsonl']),
      })
      cleanups.push(() => sink.abort())
      const target = {
        format, epochCtx, sink, onReject, outDir: o.outDir, files, renderedFiles,
        ...(o.imagesDir !== undefined ? { imagesDir: o.imagesDir } : {}),
        ...(o.embedImages ? { embed: { where: o.annotations } } : {}),
      }
      for await (const _ of writeRowImages(checked, target, tally)) yield progress()
      for (const f of await sink.close()) files.push({ ...f, kind: f.file.split('.').pop()! })
      files.sort((a, b) => Number(a.kind === 'image') - Number(b.kind === 'image'))
      if (format.sidecars) {
        const primary = sidecarDataKind(formats)
        const sides = format.sidecars({ name: sidecarName, splits: [{ split, rows: tally.samples, files: files.filter((f) => f.kind === primary).map((f) => f.file) }] })
        await commitNext(sides.map((side) => side.path))
        for (const side of sides) {
          await writeFileAtomic(join(o.outDir, side.path), side.content)
          files.push({ file: side.path, kind: 'sidecar', rows: 0, bytes: Buffer.byteLength(side.content), sha256: sha256(side.content) })
        }
      }
    } else {
      const counted = (async function* (): AsyncGenerator<ImageRecord> {
        for await (const image of checked) {
          tally.imagesDone++
          for (const r of conversationRows(format, image, ctx).rejects) await onReject(r)
          yield image
        }
      })()
      const rel = format.fileName(split)
      await commitNext([rel, 'rejects.jsonl'])
      const result = await format.write(counted, ctx, join(o.outDir, rel))
      tally.regionsInSamples = result.regions
      tally.samples = result.images
      for (const r of result.rejects) await onReject(r)
      const abs = join(o.outDir, rel)
      files.push({ file: rel, kind: 'document', rows: result.images, bytes: (await stat(abs)).size, sha256: await sha256File(abs) })
    }
    yield progress()
    await rejects.close()
    files.push({ file: 'rejects.jsonl', kind: 'rejects', rows: rejects.counts.total, bytes: (await stat(rejects.path)).size, sha256: await sha256File(rejects.path) })
  } catch (err) {
    for (const c of cleanups.reverse()) await c().catch(() => {})
    throw err
  }

  const fc = filtered.counts
  const counts: ManifestCounts = {
    images: { in: fc.imagesIn, kept: fc.imagesKept - maskCounts.images, dropped: fc.imagesDropped + maskCounts.images },
    regions: { in: fc.regionsIn, kept: fc.regionsKept - maskCounts.regions, inSamples: tally.regionsInSamples, rejected: rejects.counts.total - conversationRejects },
    ...(fc.conversationsIn > 0 ? { conversations: { in: fc.conversationsIn, inSamples: tally.conversationsInSamples, rejected: conversationRejects } } : {}),
    rejectedByReason: { ...rejects.counts.byReason },
    samples: tally.samples,
  }
  const manifest: Manifest = {
    manifestVersion: 1,
    pixcap: { version },
    command: 'convert',
    ...(o.timestamp ? { createdAt: new Date().toISOString() } : {}),
    format: { name: format.name, kind: format.kind, options: formatOptions },
    split,
    seed,
    inputs,
    templates: { file: loaded.file, sha256: loaded.sha256 },
    filterPolicy: { ...policy },
    options: manifestOptions,
    shard: o.shard ?? null,
    counts,
    files,
  }
  for (const file of files) yield { kind: 'file', file }
  let manifestPath: string
  try {
    await failpoint('before-manifest')
    manifestPath = await writeManifest(o.outDir, manifest)
  } catch (err) {
    // The files are whole but do not make a valid corpus: none of them may stay under a final name without a manifest.
    for (const c of cleanups.reverse()) await c().catch(() => {})
    if (err instanceof PixcapError && err.code === 'invariant') {
      throw new PixcapError('invariant', join(o.outDir, MANIFEST_FILE), err.path, `${err.detail}; the corpus is not valid, and the files written were removed`)
    }
    throw err
  }
  await failpoint('manifest-written')
  await lock.release()
  return {
    outDir: o.outDir,
    manifestPath,
    manifest,
    reader: { source: reader.source, errors: reader.report.errors, warnings: reader.report.warnings, rejectInvalid: o.rejectInvalid === true },
    splitSource: reader.splitSource,
    overwritten,
    swept: prepared.swept,
    resumedShards: resumed?.shards.length ?? 0,
    ...(prepared.deadWriter ? { deadWriter: prepared.deadWriter } : {}),
  }
}

/** Runs a conversion to the end; `onEvent` sees progress. */
export async function convertDataset(o: ConvertOptions, onEvent: (e: ConvertEvent) => void = () => {}): Promise<ConvertResult> {
  const it = convertDatasetIter(o)
  for (;;) {
    const next = await it.next()
    if (next.done) return next.value
    onEvent(next.value)
  }
}
