// `pixcap contamination`: which training images are also evaluation images, found three ways:
//   coco_id: the same COCO image id (from the file name, mdetr's `original_id`, VG's `coco_id`); COCO 2014 and 2017
//            share ids, so a RefCOCOg (train2014) image in a train2017-based corpus is found;
//   sha256:  the same file bytes;
//   phash:   pHash within --radius bits (a re-encoded, resized copy; src/geometry/phash.ts).
// Each corpus image and evaluation image pair is reported once, by the strongest way that found it (coco_id, then
// sha256, then phash). Output: contamination.json (counts per evaluation set, every pair), contamination.png (a
// contact sheet of the first pairs), and with --write-filtered a corpus without the contaminated images, every
// removed region a `contaminated` reject naming the evaluation image (`duplicateOf: <set>:<image>`).
// Why it matters: Pix2Cap's tracker asks about overlap with RefCOCOg val (geshang777/pix2cap#1), and VG and
// ViP-Bench images are COCO images too (reference/formats.md §13 "Split hygiene and leakage statements").
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { UsageError } from '../errors.js'
import { buildHammingIndex } from '../geometry/hamming-index.js'
import { hammingDistance } from '../geometry/phash.js'
import { writeContactSheet } from '../io/png/contact-sheet.js'
import { fingerprintImages, type ImageFingerprint } from '../io/png/image-fingerprint.js'
import type { Manifest } from '../io/corpus/manifest.js'
import { resolveInside } from '../io/input/safe-path.js'
import { writeFileAtomic } from '../util/atomic-write.js'
import { sha256File } from '../util/sha256.js'
import { CURATION_COLUMNS, openCorpusSource, readCorpusRows, rowImageKey, rowImagePath, rowRegions, rowRejectImageId, rowSource, splitOfRowFile } from './corpus-source.js'
import { DEFAULT_PHASH_RADIUS } from './dedup-corpus.js'
import { corpusInput, openDerivedCorpus } from './derived-corpus.js'
import { cocoIdOfFileName, readEvaluationSet, type EvaluationSet, type EvaluationSetSpec } from './evaluation-sets.js'

/** How a pair was found, strongest first. */
export type MatchMethod = 'coco_id' | 'sha256' | 'phash'

/** One training image that is also an evaluation image. */
export interface ContaminationPair {
  /** The corpus's image key and path. */
  image: string
  imagePath: string | null
  set: string
  evalImage: string
  how: MatchMethod
  /** pHash bits apart (computed whenever both sides were hashed). */
  distance: number | null
}

/** Counts for one evaluation set. */
export interface SetReport {
  name: string
  path: string
  kind: EvaluationSet['kind']
  images: number
  /** Ways this set could be matched (pixels are needed for sha256 and phash). */
  methods: MatchMethod[]
  /** Corpus images found, in total and by the strongest way. */
  contaminated: { images: number; coco_id: number; sha256: number; phash: number }
  pairs: number
}

/** Options of {@link findContamination}. */
export interface ContaminationOptions {
  dir: string
  against: EvaluationSetSpec[]
  /** Folder the corpus rows' image paths are relative to (needed for sha256 and phash). */
  imagesDir?: string
  radius?: number
  /** Where contamination.json and contamination.png go. */
  reportDir: string
  /** Pairs drawn on the contact sheet (default 48). */
  sheetPairs?: number
  /** Write the corpus without the contaminated images here. */
  writeFiltered?: string
  overwrite?: boolean
  concurrency?: number
  onProgress?: (e: { kind: 'progress'; stage: string; done: number; total?: number }) => void
}

/** What {@link findContamination} found and wrote. */
export interface ContaminationResult {
  corpus: { dir: string; images: number; contaminatedImages: number; contaminatedRegions: number }
  sets: SetReport[]
  pairs: ContaminationPair[]
  reportPath: string
  sheetPath: string | null
  filtered: { manifestPath: string; manifest: Manifest } | null
}

const STRENGTH: Record<MatchMethod, number> = { coco_id: 0, sha256: 1, phash: 2 }

/** Checks the corpus at `dir` against the evaluation sets. */
export async function findContamination(o: ContaminationOptions): Promise<ContaminationResult> {
  if (o.against.length === 0) throw new UsageError('name at least one evaluation set with --against')
  const radius = o.radius ?? DEFAULT_PHASH_RADIUS
  if (!Number.isInteger(radius) || radius < 0 || radius > 32) throw new UsageError(`--radius must be an integer in 0..32, got ${radius}`)
  const names = new Set<string>()
  for (const s of o.against) {
    if (names.has(s.name)) throw new UsageError(`evaluation set name "${s.name}" is used twice; name them: --against NAME=PATH`)
    names.add(s.name)
  }
  const source = await openCorpusSource(o.dir, 'check for contamination')
  const sets: EvaluationSet[] = []
  for (const spec of o.against) sets.push(await readEvaluationSet(spec))

  // The corpus's images, in order.
  const keys: string[] = []
  const pathOf = new Map<string, string | undefined>()
  const regionsOf = new Map<string, number>()
  let regionsIn = 0
  for await (const { index, row } of readCorpusRows(source, { columns: CURATION_COLUMNS })) {
    const key = rowImageKey(row, index)
    if (!pathOf.has(key)) {
      keys.push(key)
      pathOf.set(key, rowImagePath(row))
    }
    const n = rowRegions(row).length
    regionsOf.set(key, (regionsOf.get(key) ?? 0) + n)
    regionsIn += n
  }
  const keyIndex = new Map(keys.map((k, i) => [k, i]))
  const cocoIdOf = (key: string): number | undefined => {
    const p = pathOf.get(key)
    return p !== undefined ? cocoIdOfFileName(p) : undefined
  }

  // Pixels: corpus images (when --images-dir) and every evaluation image with a file.
  const anyPixels = sets.some((s) => s.images.some((i) => i.file !== undefined))
  let corpusPrints: ImageFingerprint[] | null = null
  if (anyPixels && o.imagesDir !== undefined) {
    const files = keys.map((k, i) => {
      const p = pathOf.get(k)
      if (p === undefined) throw new UsageError(`row image "${k}" has no image path; leave out --images-dir to match by COCO id only`)
      return resolveInside(o.imagesDir!, p, { file: source.manifestFile, path: ['rows', i, 'image'] })
    })
    corpusPrints = await fingerprintImages(files, { concurrency: o.concurrency, onDone: (done) => o.onProgress?.({ kind: 'progress', stage: 'corpus images hashed', done, total: files.length }) })
  }

  const best = new Map<string, ContaminationPair>() // `${corpusKey}\0${set}\0${evalImage}`
  const add = (p: ContaminationPair): void => {
    const id = `${p.image}\u0000${p.set}\u0000${p.evalImage}`
    const had = best.get(id)
    if (!had || STRENGTH[p.how] < STRENGTH[had.how]) best.set(id, { ...p, distance: p.distance ?? had?.distance ?? null })
  }
  const reports: SetReport[] = []
  for (const set of sets) {
    const methods: MatchMethod[] = ['coco_id']
    // COCO ids.
    const byCoco = new Map<number, string>()
    for (const img of set.images) if (img.cocoId !== undefined && !byCoco.has(img.cocoId)) byCoco.set(img.cocoId, img.name)
    for (const key of keys) {
      const id = cocoIdOf(key)
      const hit = id !== undefined ? byCoco.get(id) : undefined
      if (hit !== undefined) add({ image: key, imagePath: pathOf.get(key) ?? null, set: set.name, evalImage: hit, how: 'coco_id', distance: null })
    }
    // Bytes and pHash.
    const withFiles = set.images.filter((i) => i.file !== undefined)
    if (corpusPrints && withFiles.length > 0) {
      methods.push('sha256', 'phash')
      const prints = await fingerprintImages(withFiles.map((i) => i.file!), { concurrency: o.concurrency, onDone: (done) => o.onProgress?.({ kind: 'progress', stage: `${set.name} images hashed`, done, total: withFiles.length }) })
      const bySha = new Map<string, number>()
      prints.forEach((p, i) => bySha.has(p.sha256) || bySha.set(p.sha256, i))
      const index = buildHammingIndex(Uint32Array.from(prints, (p) => p.phash.hi), Uint32Array.from(prints, (p) => p.phash.lo))
      keys.forEach((key, k) => {
        const mine = corpusPrints![k]!
        const same = bySha.get(mine.sha256)
        if (same !== undefined) add({ image: key, imagePath: pathOf.get(key) ?? null, set: set.name, evalImage: withFiles[same]!.name, how: 'sha256', distance: 0 })
        index.query(mine.phash, radius, (j, d) => add({ image: key, imagePath: pathOf.get(key) ?? null, set: set.name, evalImage: withFiles[j]!.name, how: 'phash', distance: d }))
      })
      // Fill in the distance of coco_id pairs whose both sides were hashed (helps judge a COCO-id match).
      const printOf = new Map(withFiles.map((img, i) => [img.name, prints[i]!]))
      for (const p of best.values()) {
        if (p.set !== set.name || p.distance !== null) continue
        const theirs = printOf.get(p.evalImage)
        if (theirs) p.distance = hammingDistance(corpusPrints[keyIndex.get(p.image)!]!.phash, theirs.phash)
      }
    }
    const mine = [...best.values()].filter((p) => p.set === set.name)
    const strongest = new Map<string, MatchMethod>()
    for (const p of mine) {
      const had = strongest.get(p.image)
      if (!had || STRENGTH[p.how] < STRENGTH[had]) strongest.set(p.image, p.how)
    }
    const count = (m: MatchMethod): number => [...strongest.values()].filter((v) => v === m).length
    reports.push({ name: set.name, path: set.path, kind: set.kind, images: set.images.length, methods, contaminated: { images: strongest.size, coco_id: count('coco_id'), sha256: count('sha256'), phash: count('phash') }, pairs: mine.length })
  }

  const order = new Map(keys.map((k, i) => [k, i]))
  const setOrder = new Map(sets.map((s, i) => [s.name, i]))
  const pairs = [...best.values()].sort((a, b) => order.get(a.image)! - order.get(b.image)! || setOrder.get(a.set)! - setOrder.get(b.set)! || STRENGTH[a.how] - STRENGTH[b.how] || a.evalImage.localeCompare(b.evalImage))
  const hitBy = new Map<string, ContaminationPair>()
  for (const p of pairs) if (!hitBy.has(p.image)) hitBy.set(p.image, p)

  // The filtered corpus.
  let filtered: ContaminationResult['filtered'] = null
  const contaminatedRegions = [...hitBy.keys()].reduce((a, k) => a + (regionsOf.get(k) ?? 0), 0)
  if (o.writeFiltered !== undefined) {
    const setInputs = []
    for (const s of sets) if (s.kind === 'coco-json') setInputs.push({ role: `against:${s.name}`, path: s.path, bytes: (await stat(s.path)).size, sha256: await sha256File(s.path) })
    const out = await openDerivedCorpus({
      outDir: o.writeFiltered,
      overwrite: o.overwrite,
      template: source,
      command: 'contamination',
      seed: source.manifest.seed,
      inputs: [await corpusInput(source, 'corpus', o.dir), ...setInputs],
      options: { radius, against: sets.map((s) => ({ name: s.name, path: s.path, kind: s.kind, images: s.images.length })), imagesDir: o.imagesDir ?? null },
      splits: [...new Set(source.rowFiles.map((f) => splitOfRowFile(f.file)))],
      imagesIn: keys.length,
      regionsIn,
    })
    try {
      for await (const { index, split, row } of readCorpusRows(source)) {
        const key = rowImageKey(row, index)
        const hit = hitBy.get(key)
        if (!hit) {
          await out.write(split, row)
          continue
        }
        const regions = rowRegions(row)
        const detail = `${hit.how === 'coco_id' ? 'same COCO id as' : hit.how === 'sha256' ? 'identical file to' : `pHash within ${hit.distance} bits of`} ${hit.evalImage} in evaluation set ${hit.set}`
        const src = rowSource(row, source.format.name)
        if (regions.length === 0) await out.reject({ source: src, imageId: rowRejectImageId(row, key), reason: 'contaminated', detail, duplicateOf: `${hit.set}:${hit.evalImage}` })
        for (const [k, r] of regions.entries()) {
          await out.reject({ source: src, imageId: rowRejectImageId(row, key), regionId: r.regionId ?? `${key}:${index}:${k}`, reason: 'contaminated', detail, duplicateOf: `${hit.set}:${hit.evalImage}` })
        }
      }
    } catch (err) {
      await out.abort()
      throw err
    }
    filtered = await out.finish()
  }

  // Report and contact sheet.
  const evalFile = new Map(sets.flatMap((s) => s.images.map((i) => [`${s.name}\u0000${i.name}`, i.file] as const)))
  const fileOf = (p: ContaminationPair): string | undefined => evalFile.get(`${p.set}\u0000${p.evalImage}`)
  const sheetPairs = pairs.filter((p) => p.imagePath !== null && o.imagesDir !== undefined && fileOf(p) !== undefined).slice(0, o.sheetPairs ?? 48)
  let sheetPath: string | null = null
  if (sheetPairs.length > 0) {
    sheetPath = join(o.reportDir, 'contamination.png')
    await writeContactSheet(
      sheetPairs.map((p) => ({
        left: resolveInside(o.imagesDir!, p.imagePath!, { file: source.manifestFile, path: ['rows'] }),
        right: fileOf(p)!,
        label: `${p.imagePath} ~ ${p.set}:${p.evalImage} (${p.how}${p.distance !== null ? `, ${p.distance} bits` : ''})`,
      })),
      sheetPath,
    )
  }
  const result: ContaminationResult = {
    corpus: { dir: o.dir, images: keys.length, contaminatedImages: hitBy.size, contaminatedRegions },
    sets: reports,
    pairs,
    reportPath: join(o.reportDir, 'contamination.json'),
    sheetPath,
    filtered,
  }
  await writeFileAtomic(result.reportPath, `${JSON.stringify({ ...result, filtered: filtered ? { manifestPath: filtered.manifestPath, counts: filtered.manifest.counts } : null, radius }, null, 2)}\n`)
  return result
}
