// `pixcap split`: cuts one corpus into named splits by image, seeded. Every row of an image goes to the same split
// (the unit is the row's image key, corpus-source.ts), so no image's regions are ever in two splits.
// Plan as data (STYLE.md §3): planImageSplit is pure and decides each image's split from the seed alone; the corpus
// is then streamed twice (keys, then rows), so memory holds the keys, not the rows.
// Split names follow the Hub: a name must match datasets' split-name pattern `^\w+(\.\w+)*$`
// (huggingface/datasets src/datasets/splits.py `_split_re`), and the Hub's aliases (val, valid, dev, eval, ...) are
// refused with the canonical name to use, so the dataset viewer and `load_dataset` show train/validation/test.
import { PixcapError, UsageError } from '../errors.js'
import type { Manifest } from '../io/corpus/manifest.js'
import { createRng } from '../util/rng.js'
import { CURATION_COLUMNS, openCorpusSource, readCorpusRows, rowImageKey, rowRegions } from './corpus-source.js'
import { corpusInput, openDerivedCorpus } from './derived-corpus.js'

/** datasets' split-name rule (splits.py `_split_re`). */
const SPLIT_NAME = /^\w+(\.\w+)*$/
/** Hub aliases (huggingface_hub / datasets data_files keywords) and the canonical split they mean. */
const SPLIT_ALIASES: Record<string, string> = { training: 'train', val: 'validation', valid: 'validation', dev: 'validation', testing: 'test', eval: 'test', evaluation: 'test' }

/** One requested split. */
export interface SplitRatio {
  name: string
  ratio: number
}

/** Checks split names and ratios (each > 0, summing to 1); throws a UsageError that says what to write instead. */
export function checkSplitRatios(ratios: readonly SplitRatio[]): void {
  if (ratios.length === 0) throw new UsageError('expected at least one split, e.g. --ratios train=0.9,validation=0.05,test=0.05')
  const seen = new Set<string>()
  for (const { name, ratio } of ratios) {
    if (!SPLIT_NAME.test(name)) throw new UsageError(`split name "${name}" is not a valid Hub split name (letters, digits, _ and inner dots: ^\\w+(\\.\\w+)*$)`)
    const canonical = SPLIT_ALIASES[name.toLowerCase()]
    if (canonical) throw new UsageError(`split name "${name}" is an alias; the Hub's canonical name is "${canonical}"`)
    if (seen.has(name)) throw new UsageError(`split "${name}" is named twice`)
    seen.add(name)
    if (!(ratio > 0)) throw new UsageError(`split "${name}": ratio must be > 0, got ${ratio}`)
  }
  const sum = ratios.reduce((a, r) => a + r.ratio, 0)
  if (Math.abs(sum - 1) > 1e-6) throw new UsageError(`split ratios must sum to 1, got ${Number(sum.toFixed(6))} (${ratios.map((r) => `${r.name}=${r.ratio}`).join(', ')})`)
}

/** Parses `train=0.9,validation=0.05,test=0.05`. */
export function parseSplitRatios(text: string): SplitRatio[] {
  return text.split(',').map((part) => {
    const m = /^([^=]+)=(.+)$/.exec(part.trim())
    if (!m) throw new UsageError(`--ratios: expected name=ratio, got "${part}"`)
    return { name: m[1]!.trim(), ratio: Number(m[2]) }
  })
}

/** How many of `n` images each split gets: floor(n * ratio), remainders to the largest fractions (ties: split order). */
export function splitSizes(n: number, ratios: readonly SplitRatio[]): number[] {
  const exact = ratios.map((r) => n * r.ratio)
  const sizes = exact.map(Math.floor)
  let left = n - sizes.reduce((a, b) => a + b, 0)
  const order = exact.map((e, i) => ({ i, frac: e - Math.floor(e) })).sort((a, b) => b.frac - a.frac || a.i - b.i)
  for (const { i } of order) {
    if (left <= 0) break
    sizes[i]!++
    left--
  }
  return sizes
}

/** Pure: the split index of each image key (keys in first-appearance order), from a seeded shuffle. */
export function planImageSplit(keys: readonly string[], ratios: readonly SplitRatio[], seed: number): Map<string, number> {
  const sizes = splitSizes(keys.length, ratios)
  const shuffled = createRng(seed).shuffle(keys)
  const plan = new Map<string, number>()
  let s = 0
  let used = 0
  for (const key of shuffled) {
    while (used >= sizes[s]! && s < sizes.length - 1) {
      s++
      used = 0
    }
    plan.set(key, s)
    used++
  }
  return plan
}

/** Options of {@link splitCorpus}. */
export interface SplitCorpusOptions {
  dir: string
  outDir: string
  ratios: SplitRatio[]
  seed: number
  overwrite?: boolean
  onProgress?: (e: { kind: 'progress'; stage: string; done: number; total?: number }) => void
}

/** What {@link splitCorpus} wrote. */
export interface SplitCorpusResult {
  manifestPath: string
  manifest: Manifest
  splits: { name: string; images: number; rows: number; regions: number }[]
}

/** Splits a corpus by image into `outDir`. */
export async function splitCorpus(o: SplitCorpusOptions): Promise<SplitCorpusResult> {
  checkSplitRatios(o.ratios)
  const source = await openCorpusSource(o.dir, 'split')
  const keys: string[] = []
  const seen = new Set<string>()
  let regionsIn = 0
  for await (const { index, row } of readCorpusRows(source, { columns: CURATION_COLUMNS })) {
    const key = rowImageKey(row, index)
    if (!seen.has(key)) {
      seen.add(key)
      keys.push(key)
    }
    regionsIn += rowRegions(row).length
  }
  if (keys.length === 0) throw new PixcapError('schema', source.manifestFile, ['files'], 'the corpus has no rows to split')
  const plan = planImageSplit(keys, o.ratios, o.seed)
  const names = o.ratios.map((r) => r.name)
  const out = await openDerivedCorpus({
    outDir: o.outDir,
    overwrite: o.overwrite,
    template: source,
    command: 'split',
    seed: o.seed,
    inputs: [await corpusInput(source, 'corpus', o.dir)],
    options: { ratios: Object.fromEntries(o.ratios.map((r) => [r.name, r.ratio])), unit: 'image', sourceRows: source.rows },
    splits: names,
    imagesIn: keys.length,
    regionsIn,
  })
  const stats = names.map((name) => ({ name, images: new Set<string>(), rows: 0, regions: 0 }))
  try {
    for await (const { index, row } of readCorpusRows(source)) {
      const key = rowImageKey(row, index)
      const s = stats[plan.get(key)!]!
      s.images.add(key)
      s.rows++
      s.regions += rowRegions(row).length
      await out.write(s.name, typeof row.split === 'string' ? { ...row, split: s.name } : row)
      o.onProgress?.({ kind: 'progress', stage: 'rows', done: index + 1, total: source.rows })
    }
  } catch (err) {
    await out.abort()
    throw err
  }
  const { manifestPath, manifest } = await out.finish()
  return { manifestPath, manifest, splits: stats.map((s) => ({ name: s.name, images: s.images.size, rows: s.rows, regions: s.regions })) }
}
