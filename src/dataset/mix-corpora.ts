// `pixcap mix`: one training corpus from several corpora of the same row format, each part sampled to a target by
// weight (share of a total) or by an explicit count: down-sampling draws rows without replacement; up-sampling
// repeats every row floor(target / rows) times and draws the remainder without replacement. Seeded per part
// (deriveSeed(seed, "part:<i>")), so a part's draw does not depend on the other parts.
// Anchors: LLaMA-Factory `mix_strategy` (concat / interleave_under / interleave_over) with `interleave_probs`, HF
// `datasets.interleave_datasets(probabilities, stopping_strategy)`. pixcap writes the drawn rows part after part
// (concat order) into one split; trainers shuffle (HF Trainer's sampler, GPT4RoI's ConcatDataset + sampler), and a
// fixed order keeps the output byte-identical for a seed. GPT4RoI's own `ratio` key only sub-samples (<1) and no
// shipped config uses it (reference/gpt4roi.md §1).
// The manifest records, per part: its manifest's sha256, weight, share, target, and rows/regions in, out, dropped
// (down-sampled, each in rejects.jsonl) and repeated, with regions in + repeated = out + dropped per part.
import { PixcapError, UsageError } from '../errors.js'
import type { Manifest } from '../io/corpus/manifest.js'
import type { PlainRow } from '../io/corpus/read-corpus-rows.js'
import { createRng, deriveSeed } from '../util/rng.js'
import { CURATION_COLUMNS, openCorpusSource, readCorpusRows, rowImageKey, rowRegions, rowRejectImageId, rowSource, type CorpusSource } from './corpus-source.js'
import { corpusInput, openDerivedCorpus } from './derived-corpus.js'
import { splitSizes } from './split-corpus.js'

/** One part as given: a corpus folder with a weight or a target count. */
export interface MixPart {
  dir: string
  weight?: number
  count?: number
}

/** Per-part counts. */
export interface MixCounts {
  in: number
  out: number
  dropped: number
  repeated: number
}

/** What the manifest records per part. */
export interface MixPartRecord {
  path: string
  manifestSha256: string
  format: string
  weight: number | null
  share: number
  target: number
  rows: MixCounts
  regions: MixCounts
}

/** Options of {@link mixCorpora}. */
export interface MixCorporaOptions {
  parts: MixPart[]
  outDir: string
  seed: number
  /** Total rows when parts have weights (default: the parts' rows summed). */
  total?: number
  /** Split name of the result (default train). */
  split?: string
  overwrite?: boolean
  onProgress?: (e: { kind: 'progress'; stage: string; done: number; total?: number }) => void
}

/** Pure: how many times each of `rows` source rows is drawn to reach `target`. */
export function drawMultiplicities(rows: number, target: number, seed: number): Uint32Array {
  const mult = new Uint32Array(rows)
  if (rows === 0) return mult
  const full = Math.floor(target / rows)
  mult.fill(full)
  const rest = target - full * rows
  const picked = createRng(seed).shuffle(Array.from({ length: rows }, (_, i) => i)).slice(0, rest)
  for (const i of picked) mult[i]!++
  return mult
}

/** Pure: each part's target row count (weights: largest-remainder shares of `total`; counts: as given). */
export function mixTargets(parts: readonly Pick<MixPart, 'weight' | 'count'>[], rows: readonly number[], total?: number): number[] {
  const byCount = parts.every((p) => p.count !== undefined)
  const byWeight = parts.every((p) => p.weight !== undefined)
  if (!byCount && !byWeight) throw new UsageError('give every part a weight (dir:0.3) or every part a count (dir=20000), not a mixture')
  if (byCount) {
    if (total !== undefined) throw new UsageError('--total applies to weights; parts with counts already fix the size')
    return parts.map((p) => {
      if (!Number.isInteger(p.count) || p.count! < 0) throw new UsageError(`a part's count must be a non-negative integer, got ${p.count}`)
      return p.count!
    })
  }
  for (const p of parts) if (!(p.weight! > 0)) throw new UsageError(`a part's weight must be > 0, got ${p.weight}`)
  const sum = parts.reduce((a, p) => a + p.weight!, 0)
  const n = total ?? rows.reduce((a, b) => a + b, 0)
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--total must be a non-negative integer, got ${total}`)
  return splitSizes(n, parts.map((p, i) => ({ name: String(i), ratio: p.weight! / sum })))
}

/** Parses `DIR:WEIGHT` or `DIR=COUNT`. */
export function parseMixPart(text: string): MixPart {
  const count = /^(.+)=(\d+)$/.exec(text)
  if (count) return { dir: count[1]!, count: Number(count[2]) }
  const weight = /^(.+):([0-9]*\.?[0-9]+(?:e-?\d+)?)$/.exec(text)
  if (weight) return { dir: weight[1]!, weight: Number(weight[2]) }
  throw new UsageError(`--part: expected DIR:WEIGHT (e.g. refcocog:0.3) or DIR=COUNT (e.g. vg=20000), got "${text}"`)
}

/** What {@link mixCorpora} wrote. */
export interface MixCorporaResult {
  manifestPath: string
  manifest: Manifest
  parts: MixPartRecord[]
}

const regionsOfRow = (row: PlainRow): number => rowRegions(row).length

/** Mixes the parts into one corpus in `outDir`. */
export async function mixCorpora(o: MixCorporaOptions): Promise<MixCorporaResult> {
  if (o.parts.length === 0) throw new UsageError('expected at least one --part')
  const split = o.split ?? 'train'
  const sources: CorpusSource[] = []
  for (const p of o.parts) sources.push(await openCorpusSource(p.dir, 'mix'))
  const first = sources[0]!
  for (const [i, s] of sources.entries()) {
    if (s.format.name !== first.format.name || JSON.stringify(s.fields) !== JSON.stringify(first.fields)) {
      throw new PixcapError('unsupported', s.manifestFile, ['format'], `part ${i + 1} is "${s.format.name}"${s.manifest.options.embedImages === true ? ' with embedded images' : ''} but part 1 is "${first.format.name}"${first.manifest.options.embedImages === true ? ' with embedded images' : ''}; one dataset needs one set of columns: convert every part to the same format`)
    }
  }
  const targets = mixTargets(o.parts, sources.map((s) => s.rows), o.total)
  const totalTarget = targets.reduce((a, b) => a + b, 0)
  const images = new Set<string>()
  const plans = sources.map((s, i) => drawMultiplicities(s.rows, targets[i]!, deriveSeed(o.seed, `part:${i}`)))
  // Pass 1: regions per row (for the "in" counts, which the manifest needs before any row is written).
  const records: MixPartRecord[] = []
  let regionsIn = 0
  for (const [i, s] of sources.entries()) {
    const mult = plans[i]!
    const rows: MixCounts = { in: s.rows, out: 0, dropped: 0, repeated: 0 }
    const regions: MixCounts = { in: 0, out: 0, dropped: 0, repeated: 0 }
    for await (const { index, row } of readCorpusRows(s, { columns: CURATION_COLUMNS })) {
      const m = mult[index]!
      const n = regionsOfRow(row)
      images.add(rowImageKey(row, index))
      regions.in += n
      rows.out += m
      regions.out += n * m
      if (m === 0) {
        rows.dropped++
        regions.dropped += n
      } else {
        rows.repeated += m - 1
        regions.repeated += n * (m - 1)
      }
    }
    regionsIn += regions.in + regions.repeated
    records.push({ path: o.parts[i]!.dir, manifestSha256: s.manifestSha256, format: s.format.name, weight: o.parts[i]!.weight ?? null, share: totalTarget > 0 ? targets[i]! / totalTarget : 0, target: targets[i]!, rows, regions })
  }
  const out = await openDerivedCorpus({
    outDir: o.outDir,
    overwrite: o.overwrite,
    template: first,
    command: 'mix',
    seed: o.seed,
    inputs: await Promise.all(sources.map((s, i) => corpusInput(s, `part${i + 1}`, o.parts[i]!.dir))),
    options: { mode: o.parts.every((p) => p.count !== undefined) ? 'counts' : 'weights', total: totalTarget, parts: records },
    splits: [split],
    imagesIn: images.size,
    regionsIn,
  })
  let done = 0
  try {
    for (const [i, s] of sources.entries()) {
      const mult = plans[i]!
      for await (const { index, row } of readCorpusRows(s)) {
        const m = mult[index]!
        if (m === 0) {
          const source = rowSource(row, s.format.name)
          const imageId = rowRejectImageId(row, rowImageKey(row, index))
          const regions = rowRegions(row)
          const detail = `part ${i + 1} (${o.parts[i]!.dir}) sampled down to ${targets[i]} of ${s.rows} rows`
          if (regions.length === 0) await out.reject({ source, imageId, reason: 'downsampled', detail })
          for (const [k, r] of regions.entries()) await out.reject({ source, imageId, regionId: r.regionId ?? `${imageId}:${k}`, reason: 'downsampled', detail })
        }
        for (let copy = 0; copy < m; copy++) {
          // Copies get their own id (`<id>~<copy>`), so ids stay unique in the mixed corpus.
          await out.write(split, copy > 0 && typeof row.id === 'string' ? { ...row, id: `${row.id}~${copy}` } : row)
        }
        o.onProgress?.({ kind: 'progress', stage: 'rows', done: ++done })
      }
    }
  } catch (err) {
    await out.abort()
    throw err
  }
  const { manifestPath, manifest } = await out.finish()
  return { manifestPath, manifest, parts: records }
}
