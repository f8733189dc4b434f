// COCO instances -> canonical ImageRecords: one record per image with annotations, one region per instance, its
// caption the category name (GPT4RoI coco_det's answer, reference/gpt4roi.md §5), regionId `<imageId>:<annotation
// id>`. Crowd instances stay regions with isCrowd (the filter policy drops them by default). Joined by image_id.
import { basename } from 'node:path'
import { stat } from 'node:fs/promises'
import { PixcapError } from '../../errors.js'
import { readJsonFile } from '../../io/input/read-json.js'
import { checkRelativePath } from '../../io/input/safe-path.js'
import { addSourceIssue, regionIdOf, type DroppedRegion, type ImageRecord, type RegionRecord, type SourceEntry, type SourceReport } from '../../records/index.js'
import { checkRegionBox } from '../coco-region-captions/raw-schema.js'
import type { OpenSourceOptions, SourceReader } from '../source-reader.js'
import { onePassReader } from '../one-pass-reader.js'
import { RawCocoInstancesFile } from './raw-schema.js'

/** The `source` of every record this reader produces. */
export const COCO_INSTANCES_SOURCE = 'coco-instances'

/** Opens a COCO instances file; nothing is read until iterated. */
export function readCocoInstances(options: OpenSourceOptions): SourceReader {
  return onePassReader(COCO_INSTANCES_SOURCE, options, readEntries)
}

async function* readEntries(options: OpenSourceOptions, split: string, report: SourceReport): AsyncGenerator<SourceEntry> {
  const file = options.annotations
  const originFile = basename(file)
  const data = await readJsonFile(file, RawCocoInstancesFile)
  report.bytesRead = (await stat(file)).size
  const c = report.counts
  c.images = data.images.length
  c.annotations = data.annotations.length
  c.categories = data.categories.length
  const categories = new Map(data.categories.map((cat) => [cat.id, cat.name]))
  type Slot = { index: number; imagePath?: string; width: number; height: number; problem?: string; regions: RegionRecord[]; dropped: DroppedRegion[] }
  const images = new Map<number, Slot>()
  data.images.forEach((img, index) => {
    const path = ['images', index]
    if (images.has(img.id)) {
      addSourceIssue(report, { kind: 'duplicate_image_id', severity: 'error', path: [...path, 'id'], imageId: img.id, detail: `image id ${img.id} already used by images[${images.get(img.id)!.index}]; keeping the first` })
      return
    }
    const slot: Slot = { index, width: img.width, height: img.height, regions: [], dropped: [] }
    try {
      slot.imagePath = checkRelativePath(img.file_name, { file, path: [...path, 'file_name'] })
    } catch (err) {
      if (!(err instanceof PixcapError)) throw err
      addSourceIssue(report, { kind: 'path_escape', severity: 'error', path: [...err.path], imageId: img.id, detail: err.detail })
      slot.problem = `images[${index}].file_name ${err.detail}`
    }
    images.set(img.id, slot)
  })
  const orphans: DroppedRegion[] = []
  const seenIds = new Map<number, number>()
  for (const [a, ann] of data.annotations.entries()) {
    c.segments++
    const path = ['annotations', a]
    const slot = images.get(ann.image_id)
    const ids = { segmentId: ann.id, regionId: regionIdOf(ann.image_id, ann.id) }
    options.onProgress?.({ kind: 'progress', stage: 'annotations', done: a + 1, total: data.annotations.length })
    const drop = (reason: DroppedRegion['reason'], detail: string, at: (string | number)[] = path): void => {
      c.droppedSegments++
      const d: DroppedRegion = { imageId: ann.image_id, ...ids, reason, detail, origin: { file: originFile, path: at } }
      if (slot) slot.dropped.push(d)
      else orphans.push(d)
    }
    if (!slot) {
      const detail = `image_id ${ann.image_id} has no entry in images (${data.images.length} images); annotations are joined to images by image_id`
      addSourceIssue(report, { kind: 'annotation_without_image', severity: 'error', path: [...path, 'image_id'], imageId: ann.image_id, detail })
      drop('no_image', detail, [...path, 'image_id'])
      continue
    }
    const first = seenIds.get(ann.id)
    if (first !== undefined) {
      const detail = `annotation id ${ann.id} is already used by annotations[${first}]; ids must be unique`
      addSourceIssue(report, { kind: 'duplicate_annotation_id', severity: 'error', path: [...path, 'id'], imageId: ann.image_id, segmentId: ann.id, detail })
      drop('invalid', detail, [...path, 'id'])
      continue
    }
    seenIds.set(ann.id, a)
    if (slot.problem) {
      drop('invalid', slot.problem)
      continue
    }
    const category = categories.get(ann.category_id)
    if (category === undefined) {
      const detail = `category_id ${ann.category_id} is not in categories (${[...categories.keys()].slice(0, 8).join(', ')}${categories.size > 8 ? ', ...' : ''})`
      addSourceIssue(report, { kind: 'invalid_annotation', severity: 'error', path: [...path, 'category_id'], imageId: ann.image_id, segmentId: ann.id, detail })
      drop('invalid', detail, [...path, 'category_id'])
      continue
    }
    let bbox: [number, number, number, number]
    try {
      bbox = checkRegionBox(ann.bbox, file, [...path, 'bbox'])
    } catch (err) {
      if (!(err instanceof PixcapError)) throw err
      addSourceIssue(report, { kind: 'invalid_annotation', severity: 'error', path: [...err.path], imageId: ann.image_id, segmentId: ann.id, detail: err.detail })
      drop('invalid', `bbox: ${err.detail}`, [...err.path])
      continue
    }
    c.regions++
    slot.regions.push({ ...ids, categoryId: ann.category_id, category, isThing: true, isCrowd: ann.iscrowd === 1, bbox, area: ann.area ?? bbox[2] * bbox[3], captions: [category], origin: { file: originFile, path } })
  }
  for (const [imageId, slot] of images) {
    const path = ['images', slot.index]
    if (slot.problem || slot.regions.length === 0) {
      if (slot.dropped.length > 0) yield { imageId, record: null, dropped: slot.dropped, imageEntryPath: path }
      continue
    }
    c.records++
    const record: ImageRecord = { source: COCO_INSTANCES_SOURCE, split, imageId, imagePath: slot.imagePath!, width: slot.width, height: slot.height, regions: slot.regions, origin: { file: originFile, path } }
    yield { imageId, record, dropped: slot.dropped, imageEntryPath: path }
  }
  if (orphans.length > 0) yield { imageId: orphans[0]!.imageId, record: null, dropped: orphans }
  report.complete = true
}
