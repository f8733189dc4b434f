// `pixcap dedup`: removes duplicate images and duplicate captions of the same region from a corpus.
//   images:   identical files (sha256 of the bytes), then near-identical ones (pHash within --radius bits; a
//             re-encoded or resized copy). Greedy in corpus order: an image is kept unless an identical file or a
//             kept image within the radius came before it, so a chain a~b~c never removes c for a it is far from.
//   captions: within each kept image, regions with the same pixel box are the same region; a later caption that is
//             identical (normalised) or near-identical (similarity >= --caption-similarity) to a kept one is removed.
// Every removal is a reject naming what it duplicates (`duplicateOf`: the kept image key or region id). Anchors:
// Data-Juicer `image_deduplicator` (exact pHash match only, no radius), NeMo Curator's exact/fuzzy dedup.
import { UsageError } from '../errors.js'
import { buildHammingIndex } from '../geometry/hamming-index.js'
import { fingerprintImages } from '../io/png/image-fingerprint.js'
import type { Manifest } from '../io/corpus/manifest.js'
import { resolveInside } from '../io/input/safe-path.js'
import { captionSimilarity, DEFAULT_CAPTION_SIMILARITY, normalizeCaption } from './caption-similarity.js'
import { CURATION_COLUMNS, openCorpusSource, readCorpusRows, rowImageKey, rowImagePath, rowRegions, rowRejectImageId, rowSource, splitOfRowFile } from './corpus-source.js'
import { corpusInput, openDerivedCorpus } from './derived-corpus.js'
import { dropRowRegions } from './drop-regions.js'

/** Default Hamming radius for near-identical images (of 64 pHash bits). */
export const DEFAULT_PHASH_RADIUS = 6

/** Options of {@link dedupCorpus}. */
export interface DedupCorpusOptions {
  dir: string
  outDir: string
  /** Folder the rows' image paths are relative to (needed for image dedup). */
  imagesDir?: string
  images?: boolean
  captions?: boolean
  radius?: number
  captionSimilarity?: number
  overwrite?: boolean
  concurrency?: number
  onProgress?: (e: { kind: 'progress'; stage: string; done: number; total?: number }) => void
}

/** One removed image and what it duplicates. */
export interface DuplicateImage {
  image: string
  duplicateOf: string
  how: 'sha256' | 'phash'
  distance: number
}

/** What {@link dedupCorpus} did. */
export interface DedupCorpusResult {
  manifestPath: string
  manifest: Manifest
  images: { in: number; identical: number; near: number; kept: number }
  captions: { in: number; identical: number; near: number }
  duplicates: DuplicateImage[]
}

/** Removes duplicates from the corpus at `dir` into `outDir`. */
export async function dedupCorpus(o: DedupCorpusOptions): Promise<DedupCorpusResult> {
  const doImages = o.images !== false
  const doCaptions = o.captions !== false
  const radius = o.radius ?? DEFAULT_PHASH_RADIUS
  const threshold = o.captionSimilarity ?? DEFAULT_CAPTION_SIMILARITY
  if (doImages && o.imagesDir === undefined) throw new UsageError('image dedup reads the images: pass --images-dir DIR (the folder the rows\' image paths are relative to), or --no-images')
  if (!Number.isInteger(radius) || radius < 0 || radius > 32) throw new UsageError(`--radius must be an integer in 0..32, got ${radius}`)
  if (!(threshold > 0 && threshold <= 1)) throw new UsageError(`--caption-similarity must be in (0, 1], got ${threshold}`)
  const source = await openCorpusSource(o.dir, 'dedup')

  // Pass 1: image keys and paths in order, each row's regions.
  const keys: string[] = []
  const pathOf = new Map<string, string | undefined>()
  const rowRegionList: { key: string; regions: ReturnType<typeof rowRegions> }[] = []
  let regionsIn = 0
  for await (const { index, row } of readCorpusRows(source, { columns: CURATION_COLUMNS })) {
    const key = rowImageKey(row, index)
    if (!pathOf.has(key)) {
      keys.push(key)
      pathOf.set(key, rowImagePath(row))
    }
    const regions = rowRegions(row)
    regionsIn += regions.length
    rowRegionList.push({ key, regions })
  }

  // Images: exact, then near, greedily in corpus order.
  const removedImage = new Map<string, DuplicateImage>()
  if (doImages && keys.length > 0) {
    const files = keys.map((k, i) => {
      const p = pathOf.get(k)
      if (p === undefined) throw new UsageError(`row image "${k}" has no image path (embedded bytes?); run dedup with --no-images`)
      return resolveInside(o.imagesDir!, p, { file: source.manifestFile, path: ['rows', i, 'image'] })
    })
    const prints = await fingerprintImages(files, { concurrency: o.concurrency, onDone: (done) => o.onProgress?.({ kind: 'progress', stage: 'images hashed', done, total: files.length }) })
    const hi = Uint32Array.from(prints, (p) => p.phash.hi)
    const lo = Uint32Array.from(prints, (p) => p.phash.lo)
    const index = buildHammingIndex(hi, lo)
    const firstBySha = new Map<string, number>()
    const kept = new Uint8Array(keys.length)
    for (let i = 0; i < keys.length; i++) {
      const same = firstBySha.get(prints[i]!.sha256)
      if (same !== undefined) {
        removedImage.set(keys[i]!, { image: keys[i]!, duplicateOf: keys[same]!, how: 'sha256', distance: 0 })
        continue
      }
      firstBySha.set(prints[i]!.sha256, i)
      let best = -1
      let bestD = Infinity
      index.query(prints[i]!.phash, radius, (j, d) => {
        if (j < i && kept[j] === 1 && (d < bestD || (d === bestD && j < best))) {
          best = j
          bestD = d
        }
      })
      if (best >= 0) removedImage.set(keys[i]!, { image: keys[i]!, duplicateOf: keys[best]!, how: 'phash', distance: bestD })
      else kept[i] = 1
    }
  }

  // Captions: per kept image, per pixel box. First identical captions (normalised) collapse onto their first
  // occurrence, then the survivors are compared for near-identity in corpus order; a removal always names a kept
  // region (an identical copy of a caption that was itself removed as near-identical names that one's keeper), so
  // the counts do not depend on the order the regions were shuffled into.
  type Hit = { duplicateOf: string; near: boolean; similarity: number; identicalTo?: string }
  const dropByRow = new Map<number, Map<number, Hit>>()
  let identical = 0
  let near = 0
  if (doCaptions) {
    const groups = new Map<string, { row: number; k: number; caption: string; norm: string; regionId: string }[]>()
    rowRegionList.forEach(({ key, regions }, rowIndex) => {
      if (removedImage.has(key)) return
      regions.forEach((r, k) => {
        if (r.caption === undefined || r.bbox === undefined) return
        const group = `${key}\u0000${r.bbox.map((v) => Math.round(v)).join(',')}`
        const list = groups.get(group) ?? []
        list.push({ row: rowIndex, k, caption: r.caption, norm: normalizeCaption(r.caption), regionId: r.regionId ?? `${key}:${rowIndex}:${k}` })
        groups.set(group, list)
      })
    })
    const drop = (row: number, k: number, hit: Hit): void => {
      const m = dropByRow.get(row) ?? new Map<number, Hit>()
      m.set(k, hit)
      dropByRow.set(row, m)
    }
    for (const list of groups.values()) {
      if (list.length < 2) continue
      const firstOfText = new Map<string, (typeof list)[number]>()
      const survivors: (typeof list)[number][] = []
      const copies: { c: (typeof list)[number]; of: (typeof list)[number] }[] = []
      for (const c of list) {
        const first = firstOfText.get(c.norm)
        if (first) copies.push({ c, of: first })
        else {
          firstOfText.set(c.norm, c)
          survivors.push(c)
        }
      }
      const keeperOf = new Map<string, { regionId: string; similarity: number }>()
      const kept: (typeof list)[number][] = []
      for (const c of survivors) {
        let best: { regionId: string; similarity: number } | undefined
        for (const k of kept) {
          const sim = captionSimilarity(k.caption, c.caption)
          if (sim >= threshold && (best === undefined || sim > best.similarity)) best = { regionId: k.regionId, similarity: sim }
        }
        if (best) {
          keeperOf.set(c.regionId, best)
          near++
          drop(c.row, c.k, { duplicateOf: best.regionId, near: true, similarity: best.similarity })
        } else kept.push(c)
      }
      for (const { c, of } of copies) {
        identical++
        drop(c.row, c.k, { duplicateOf: keeperOf.get(of.regionId)?.regionId ?? of.regionId, near: false, similarity: 1, identicalTo: of.regionId })
      }
    }
  }

  const out = await openDerivedCorpus({
    outDir: o.outDir,
    overwrite: o.overwrite,
    template: source,
    command: 'dedup',
    seed: source.manifest.seed,
    inputs: [await corpusInput(source, 'corpus', o.dir)],
    options: { images: doImages, captions: doCaptions, radius, captionSimilarity: threshold, hash: 'imagehash DCT pHash 8x8 (32x32 lanczos3, sharp) + sha256', imagesDir: o.imagesDir ?? null },
    splits: [...new Set(source.rowFiles.map((f) => splitOfRowFile(f.file)))],
    imagesIn: keys.length,
    regionsIn,
  })
  try {
    for await (const { index, split, row } of readCorpusRows(source)) {
      const key = rowImageKey(row, index)
      const src = rowSource(row, source.format.name)
      const regions = rowRegions(row)
      const dup = removedImage.get(key)
      if (dup) {
        const detail = dup.how === 'sha256' ? `identical file (sha256) to image ${dup.duplicateOf}` : `pHash within ${dup.distance} bits of image ${dup.duplicateOf} (radius ${radius})`
        const reason = dup.how === 'sha256' ? 'duplicate' : 'near_duplicate'
        if (regions.length === 0) await out.reject({ source: src, imageId: rowRejectImageId(row, key), reason, detail, duplicateOf: dup.duplicateOf })
        for (const [k, r] of regions.entries()) await out.reject({ source: src, imageId: rowRejectImageId(row, key), regionId: r.regionId ?? `${key}:${index}:${k}`, reason, detail, duplicateOf: dup.duplicateOf })
        continue
      }
      const drops = dropByRow.get(index)
      if (drops) {
        for (const [k, hit] of drops) {
          const r = regions[k]!
          await out.reject({
            source: src,
            imageId: rowRejectImageId(row, key),
            regionId: r.regionId ?? `${key}:${index}:${k}`,
            reason: hit.near ? 'near_duplicate' : 'duplicate',
            detail: hit.near
              ? `caption ${Math.round(hit.similarity * 100)}% similar to region ${hit.duplicateOf}'s (same box; threshold ${threshold})`
              : `same caption as region ${hit.identicalTo}${hit.identicalTo !== hit.duplicateOf ? `, itself a near-duplicate of region ${hit.duplicateOf}` : ''} (same box)`,
            duplicateOf: hit.duplicateOf,
          })
        }
        const kept = dropRowRegions(row, new Set(drops.keys()), { file: source.manifestFile, row: index })
        if (kept) await out.write(split, kept)
        continue
      }
      await out.write(split, row)
    }
  } catch (err) {
    await out.abort()
    throw err
  }
  const { manifestPath, manifest } = await out.finish()
  const dups = [...removedImage.values()]
  return {
    manifestPath,
    manifest,
    images: { in: keys.length, identical: dups.filter((d) => d.how === 'sha256').length, near: dups.filter((d) => d.how === 'phash').length, kept: keys.length - dups.length },
    captions: { in: regionsIn, identical, near },
    duplicates: dups,
  }
}
