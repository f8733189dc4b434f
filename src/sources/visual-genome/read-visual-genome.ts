// Visual Genome region_descriptions.json -> canonical ImageRecords: one record per image entry with regions, each
// VG region a region (caption = its phrase, box = [x, y, width, height]), regionId `<imageId>:<region_id>`.
// Sizes come from image_data.json beside the file (VG ships both in one folder; a record needs its image size);
// the image path is the `VG_100K/<id>.jpg` or `VG_100K_2/<id>.jpg` part of image_data's url, as the VG archives
// unpack, else `<id>.jpg`. Both files are read whole (region_descriptions.json is ~700 MB for all of VG: read a
// subset file for a laptop). A region that fails its schema or has no positive size is dropped with the JSON path.
import { stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { PixcapError } from '../../errors.js'
import { readJsonFile } from '../../io/input/read-json.js'
import { addSourceIssue, regionIdOf, type DroppedRegion, type ImageRecord, type RegionRecord, type SourceEntry, type SourceReport } from '../../records/index.js'
import { parseWithProblems } from '../../util/zod-issues.js'
import type { OpenSourceOptions, SourceReader } from '../source-reader.js'
import { onePassReader } from '../one-pass-reader.js'
import { RawVgImageDataFile, RawVgRegion, RawVgRegionDescriptions, VG_IMAGE_DATA_FILE } from './raw-schema.js'

/** The `source` of every record this reader produces. */
export const VISUAL_GENOME_SOURCE = 'visual-genome'

/** VG regions have no category; they are all this one. */
const VG_REGION_CATEGORY = { id: 0, name: 'region' } as const

/** `VG_100K_2/1.jpg` from `https://cs.stanford.edu/people/rak248/VG_100K_2/1.jpg`; `<id>.jpg` without a url. */
export function vgImagePath(id: number, url: string | undefined): string {
  const m = url !== undefined ? /(VG_100K(?:_2)?\/[^/?#]+)$/.exec(url) : null
  return m ? m[1]! : `${id}.jpg`
}

/** Opens a VG region_descriptions.json; nothing is read until iterated. */
export function readVisualGenome(options: OpenSourceOptions): SourceReader {
  return onePassReader(VISUAL_GENOME_SOURCE, options, readEntries)
}

async function* readEntries(options: OpenSourceOptions, split: string, report: SourceReport): AsyncGenerator<SourceEntry> {
  const file = options.annotations
  const sizesFile = join(dirname(file), VG_IMAGE_DATA_FILE)
  const exists = await stat(sizesFile).then(() => true, () => false)
  if (!exists) throw new PixcapError('not_found', sizesFile, [], `Visual Genome region descriptions need ${VG_IMAGE_DATA_FILE} for the image sizes; put it beside ${basename(file)} (VG ships both in one folder)`)
  const data = await readJsonFile(file, RawVgRegionDescriptions)
  const sizes = await readJsonFile(sizesFile, RawVgImageDataFile)
  report.bytesRead = (await stat(file)).size
  const c = report.counts
  c.images = data.length
  c.annotations = data.length
  const sizeOf = new Map<number, { width: number; height: number; url?: string }>()
  sizes.forEach((s, i) => {
    const id = s.image_id ?? s.id
    if (id === undefined) {
      addSourceIssue(report, { file: sizesFile, kind: 'invalid_image', severity: 'error', path: [i], detail: 'has neither image_id nor id' })
      return
    }
    sizeOf.set(id, { width: s.width, height: s.height, ...(s.url !== undefined ? { url: s.url } : {}) })
  })
  const originFile = basename(file)
  const seen = new Map<number, number>()
  for (const [index, entry] of data.entries()) {
    const imageId = entry.id
    const path = [index]
    options.onProgress?.({ kind: 'progress', stage: 'images', done: index + 1, total: data.length })
    const regions: RegionRecord[] = []
    const dropped: DroppedRegion[] = []
    const size = sizeOf.get(imageId)
    const first = seen.get(imageId)
    let imageProblem: string | undefined
    if (first !== undefined) {
      imageProblem = `image id ${imageId} already listed at [${first}]; keeping the first`
      addSourceIssue(report, { kind: 'duplicate_image_id', severity: 'error', path: [...path, 'id'], imageId, detail: imageProblem })
    } else if (!size) {
      imageProblem = `image ${imageId} has no entry in ${VG_IMAGE_DATA_FILE} (no width/height)`
      addSourceIssue(report, { kind: 'invalid_image', severity: 'error', path: [...path, 'id'], imageId, detail: imageProblem })
    }
    seen.set(imageId, first ?? index)
    for (const [k, raw] of entry.regions.entries()) {
      c.segments++
      const rpath = [...path, 'regions', k]
      const origin = { file: originFile, path: rpath }
      const parsed = parseWithProblems(RawVgRegion, raw, rpath)
      const regionKey = parsed.ok ? parsed.data.region_id : undefined
      const ids = regionKey !== undefined ? { segmentId: regionKey, regionId: regionIdOf(imageId, regionKey) } : {}
      const drop = (detail: string, at = rpath): void => {
        c.droppedSegments++
        dropped.push({ imageId, ...ids, reason: 'invalid', detail, origin: { file: originFile, path: at } })
      }
      if (!parsed.ok) {
        // Every problem of the region is reported; the region is dropped once, with the first.
        for (const p of parsed.problems) addSourceIssue(report, { kind: 'invalid_region', severity: 'error', path: p.path, imageId, detail: p.detail })
        drop(parsed.problems.map((p) => p.detail).join('; '), parsed.problems[0]!.path)
        continue
      }
      if (imageProblem) {
        drop(imageProblem)
        continue
      }
      const r = parsed.data
      if (r.image_id !== undefined && r.image_id !== imageId) {
        const detail = `region's image_id ${r.image_id} differs from its image entry's id ${imageId}`
        addSourceIssue(report, { kind: 'invalid_region', severity: 'error', path: [...rpath, 'image_id'], imageId, segmentId: r.region_id, detail })
        drop(detail, [...rpath, 'image_id'])
        continue
      }
      if (!(r.width > 0 && r.height > 0)) {
        const detail = `box [${r.x}, ${r.y}, ${r.width}, ${r.height}] needs positive width and height`
        addSourceIssue(report, { kind: 'invalid_region', severity: 'error', path: rpath, imageId, segmentId: r.region_id, detail })
        drop(detail)
        continue
      }
      c.regions++
      regions.push({
        regionId: regionIdOf(imageId, r.region_id),
        segmentId: r.region_id,
        categoryId: VG_REGION_CATEGORY.id,
        category: VG_REGION_CATEGORY.name,
        isThing: true,
        isCrowd: false,
        bbox: [r.x, r.y, r.width, r.height],
        area: r.width * r.height,
        captions: [r.phrase],
        origin,
      })
    }
    if (imageProblem || regions.length === 0) {
      if (dropped.length > 0) yield { imageId, record: null, dropped, imageEntryPath: path }
      continue
    }
    c.records++
    const record: ImageRecord = { source: VISUAL_GENOME_SOURCE, split, imageId, imagePath: vgImagePath(imageId, size!.url), width: size!.width, height: size!.height, regions, origin: { file: originFile, path } }
    yield { imageId, record, dropped, imageEntryPath: path }
  }
  report.complete = true
}
