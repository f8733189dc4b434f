// COCO-style region captions -> canonical ImageRecords: one record per listed image that has annotations, regions in
// annotation order, regionId `<imageId>:<annotationId>`. Annotations are joined to images by `image_id`. The file
// is read whole (the VG test files are a few MB); a file that fails the schema stops with the JSON path, while
// problems of single entries (bad box, unknown image, duplicate id, missing size) become issues and dropped regions.
import { basename } from 'node:path'
import { stat } from 'node:fs/promises'
import { PixcapError } from '../../errors.js'
import { readJsonFile } from '../../io/input/read-json.js'
import { checkRelativePath } from '../../io/input/safe-path.js'
import { addSourceIssue, regionIdOf, type DroppedRegion, type ImageId, type ImageRecord, type RegionRecord, type SourceEntry, type SourceReport } from '../../records/index.js'
import type { OpenSourceOptions, SourceReader } from '../source-reader.js'
import { onePassReader } from '../one-pass-reader.js'
import { checkRegionBox, RawCocoRegionCaptions } from './raw-schema.js'

/** The `source` of every record this reader produces. */
export const COCO_REGION_CAPTIONS_SOURCE = 'coco-region-captions'

/** Category of regions in files without categories (VG regions have none). */
const UNCATEGORISED = { id: 0, name: 'region' } as const

/** Reads and validates the whole file (the one parse both the reader and the VG evaluation use). */
export function readCocoRegionCaptionsFile(file: string): Promise<RawCocoRegionCaptions> {
  return readJsonFile(file, RawCocoRegionCaptions)
}

/** Opens a COCO-style region-caption file; nothing is read until `entries()`/`records()` is iterated. */
export function readCocoRegionCaptions(options: OpenSourceOptions): SourceReader {
  return onePassReader(COCO_REGION_CAPTIONS_SOURCE, options, readEntries)
}

/** Integer ids become numbers, others strings (ImageId); annotation ids must be integers (they are segment ids). */
const imageIdOf = (id: number | string): ImageId => (typeof id === 'number' && Number.isInteger(id) ? id : String(id))

async function* readEntries(options: OpenSourceOptions, split: string, report: SourceReport): AsyncGenerator<SourceEntry> {
  const file = options.annotations
  const originFile = basename(file)
  const data = await readCocoRegionCaptionsFile(file)
  report.bytesRead = (await stat(file)).size
  const c = report.counts
  c.images = data.images.length
  c.annotations = data.annotations.length
  c.categories = data.categories?.length ?? 0
  const categories = new Map((data.categories ?? []).map((cat) => [cat.id, cat.name]))
  const issue = (i: Omit<Parameters<typeof addSourceIssue>[1], 'file'>) => addSourceIssue(report, i)

  // Images by id; an unusable image keeps its slot so its annotations are dropped with the reason.
  const images = new Map<string, { index: number; imageId: ImageId; imagePath: string; width: number; height: number } | { index: number; imageId: ImageId; problem: string }>()
  data.images.forEach((img, index) => {
    const imageId = imageIdOf(img.id)
    const key = String(imageId)
    const path = ['images', index]
    const prior = images.get(key)
    if (prior) {
      issue({ kind: 'duplicate_image_id', severity: 'error', path: [...path, 'id'], imageId, detail: `image id ${JSON.stringify(img.id)} already used by images[${prior.index}]; keeping the first` })
      return
    }
    let imagePath: string
    try {
      imagePath = checkRelativePath(img.file_name, { file, path: [...path, 'file_name'] })
    } catch (err) {
      if (!(err instanceof PixcapError)) throw err
      issue({ kind: 'path_escape', severity: 'error', path: [...err.path], imageId, detail: err.detail })
      images.set(key, { index, imageId, problem: `images[${index}].file_name ${err.detail}` })
      return
    }
    if (img.width === undefined || img.height === undefined || !Number.isInteger(img.width) || !Number.isInteger(img.height)) {
      const detail = `has no integer width/height (${img.width ?? 'none'} x ${img.height ?? 'none'}); records need the image size`
      issue({ kind: 'invalid_image', severity: 'error', path, imageId, detail })
      images.set(key, { index, imageId, problem: `images[${index}] ${detail}` })
      return
    }
    images.set(key, { index, imageId, imagePath, width: img.width, height: img.height })
  })

  const regionsOf = new Map<string, { regions: RegionRecord[]; dropped: DroppedRegion[] }>()
  const orphans = new Map<string, DroppedRegion[]>()
  const seenIds = new Map<number, number>()
  for (const [a, ann] of data.annotations.entries()) {
    c.segments++
    const path = ['annotations', a]
    const origin = { file: originFile, path }
    const imageId = imageIdOf(ann.image_id)
    const key = String(imageId)
    const segmentId = typeof ann.id === 'number' && Number.isInteger(ann.id) ? ann.id : undefined
    const ids = segmentId !== undefined ? { segmentId, regionId: regionIdOf(imageId, segmentId) } : {}
    const image = images.get(key)
    options.onProgress?.({ kind: 'progress', stage: 'annotations', done: a + 1, total: data.annotations.length })
    const drop = (reason: DroppedRegion['reason'], detail: string): void => {
      c.droppedSegments++
      const d: DroppedRegion = { imageId, ...ids, reason, detail, origin }
      if (image) regionsOf.get(key)?.dropped.push(d) ?? regionsOf.set(key, { regions: [], dropped: [d] })
      else orphans.set(key, [...(orphans.get(key) ?? []), d])
    }
    if (!image) {
      const detail = `image_id ${JSON.stringify(ann.image_id)} has no entry in images (${data.images.length} images); annotations are joined to images by image_id`
      issue({ kind: 'annotation_without_image', severity: 'error', path: [...path, 'image_id'], imageId, detail })
      drop('no_image', detail)
      continue
    }
    if (segmentId === undefined) {
      const detail = `annotation id ${JSON.stringify(ann.id)} is not an integer; region ids are <imageId>:<annotationId>`
      issue({ kind: 'invalid_annotation', severity: 'error', path: [...path, 'id'], imageId, detail })
      drop('invalid', detail)
      continue
    }
    const first = seenIds.get(segmentId)
    if (first !== undefined) {
      const detail = `annotation id ${segmentId} is already used by annotations[${first}]; ids must be unique`
      issue({ kind: 'duplicate_annotation_id', severity: 'error', path: [...path, 'id'], imageId, segmentId, detail })
      drop('invalid', detail)
      continue
    }
    seenIds.set(segmentId, a)
    if ('problem' in image) {
      drop('invalid', image.problem)
      continue
    }
    let bbox: [number, number, number, number]
    try {
      bbox = checkRegionBox(ann.bbox, file, [...path, 'bbox'])
    } catch (err) {
      if (!(err instanceof PixcapError)) throw err
      issue({ kind: 'invalid_annotation', severity: 'error', path: [...err.path], imageId, segmentId, detail: err.detail })
      drop('invalid', `bbox: ${err.detail}`)
      continue
    }
    const categoryId = ann.category_id ?? UNCATEGORISED.id
    const region: RegionRecord = {
      regionId: regionIdOf(imageId, segmentId),
      segmentId,
      categoryId,
      category: categories.get(categoryId) ?? UNCATEGORISED.name,
      isThing: true,
      isCrowd: ann.iscrowd === 1,
      bbox,
      area: ann.area ?? bbox[2] * bbox[3],
      captions: [ann.caption],
      origin,
    }
    c.regions++
    const slot = regionsOf.get(key)
    if (slot) slot.regions.push(region)
    else regionsOf.set(key, { regions: [region], dropped: [] })
  }

  // Images in list order, then annotations of unknown images (no record; their regions are dropped, not lost).
  for (const [key, image] of images) {
    const slot = regionsOf.get(key)
    if (!slot) {
      issue({ kind: 'image_without_annotation', severity: 'warning', path: ['images', image.index], imageId: image.imageId, detail: `image ${JSON.stringify(image.imageId)} has no annotation; it yields no record` })
      continue
    }
    if ('problem' in image || slot.regions.length === 0) {
      yield { imageId: image.imageId, record: null, dropped: slot.dropped, imageEntryPath: ['images', image.index] }
      continue
    }
    c.records++
    const record: ImageRecord = {
      source: COCO_REGION_CAPTIONS_SOURCE, split, imageId: image.imageId, imagePath: image.imagePath,
      width: image.width, height: image.height, regions: slot.regions, origin: { file: originFile, path: ['images', image.index] },
    }
    yield { imageId: image.imageId, record, dropped: slot.dropped, imageEntryPath: ['images', image.index] }
  }
  for (const [, dropped] of orphans) yield { imageId: dropped[0]!.imageId, record: null, dropped }
  report.complete = true
}
