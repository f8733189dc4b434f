// mdetr final_*/finetune_* grounding files (RefCOCO, RefCOCO+, RefCOCOg, Flickr30k) -> canonical ImageRecords.
// mdetr lists one "image" per expression; pixcap joins the entries of one photo (same file_name) into one record,
// so an image is one image for split, dedup and contamination. Each box of each expression is a region:
//   - one box (RefCOCO family): caption = the whole expression (GPT4RoI's RefCOCOG answer is the expression);
//   - several boxes (Flickr30k sentences): caption = the phrase its tokens_positive spans pick from the sentence
//     (GPT4RoI flickr30k.py answers "which part of the description" with tokens_positive).
// imageId: `original_id` (the COCO id) when present, else the COCO id in the file name, else the first entry's id.
// imagePath: the part after the last `_` of file_name (`COCO_train2014_000000581857.jpg` -> `000000581857.jpg`),
// as GPT4RoI's refcoco.py resolves it under img_prefix (train2014 and train2017 share file names after the prefix).
// regionId: `<imageId>:<annotation id>` (mdetr annotation ids are unique per file).
import { basename } from 'node:path'
import { stat } from 'node:fs/promises'
import { PixcapError } from '../../errors.js'
import { readJsonFile } from '../../io/input/read-json.js'
import { checkRelativePath } from '../../io/input/safe-path.js'
import { addSourceIssue, regionIdOf, type DroppedRegion, type ImageId, type ImageRecord, type RegionRecord, type SourceEntry, type SourceReport } from '../../records/index.js'
import { checkRegionBox } from '../coco-region-captions/raw-schema.js'
import type { OpenSourceOptions, SourceReader } from '../source-reader.js'
import { onePassReader } from '../one-pass-reader.js'
import { RawMdetrFile, type RawMdetrAnnotation, type RawMdetrImage } from './raw-schema.js'

/** The `source` of every record this reader produces. */
export const MDETR_SOURCE = 'mdetr-grounding'

/** The image path GPT4RoI resolves under img_prefix: the last `_`-separated part of file_name. */
export function mdetrImagePath(fileName: string): string {
  return fileName.split('_').pop()!
}

/** The text of `caption` that `tokens_positive` spans pick, joined by a space; null when a span is out of range. */
export function phraseOf(caption: string, spans: readonly (readonly number[])[]): string | null {
  const parts: string[] = []
  for (const [s, e] of spans) {
    if (s === undefined || e === undefined || s < 0 || e > caption.length || e <= s) return null
    parts.push(caption.slice(s, e))
  }
  return parts.join(' ')
}

/** Opens an mdetr grounding file; nothing is read until iterated. */
export function readMdetr(options: OpenSourceOptions): SourceReader {
  return onePassReader(MDETR_SOURCE, options, readEntries)
}

const COCO_ID_IN_NAME = /(\d{12})\.(?:jpe?g|png)$/i

async function* readEntries(options: OpenSourceOptions, split: string, report: SourceReport): AsyncGenerator<SourceEntry> {
  const file = options.annotations
  const originFile = basename(file)
  const data = await readJsonFile(file, RawMdetrFile)
  report.bytesRead = (await stat(file)).size
  const c = report.counts
  c.images = data.images.length
  c.annotations = data.annotations.length
  c.categories = data.categories?.length ?? 0
  const categories = new Map((data.categories ?? []).map((cat) => [cat.id, cat.name]))

  // Photos by file name, in first-appearance order; each keeps its expression entries.
  type Photo = { imageId: ImageId; imagePath: string; width: number; height: number; firstIndex: number; problem?: string; regions: RegionRecord[]; dropped: DroppedRegion[] }
  const photos = new Map<string, Photo>()
  const entryOf = new Map<number, { index: number; image: RawMdetrImage; photo: Photo }>()
  data.images.forEach((img, index) => {
    const path = ['images', index]
    if (entryOf.has(img.id)) {
      addSourceIssue(report, { kind: 'duplicate_image_id', severity: 'error', path: [...path, 'id'], imageId: img.id, detail: `image id ${img.id} already used by images[${entryOf.get(img.id)!.index}]; keeping the first` })
      return
    }
    let photo = photos.get(img.file_name)
    if (!photo) {
      const fromName = COCO_ID_IN_NAME.exec(img.file_name)
      const imageId: ImageId = img.original_id ?? (fromName ? Number(fromName[1]) : img.id)
      photo = { imageId, imagePath: '', width: img.width, height: img.height, firstIndex: index, regions: [], dropped: [] }
      try {
        photo.imagePath = checkRelativePath(mdetrImagePath(img.file_name), { file, path: [...path, 'file_name'] })
      } catch (err) {
        if (!(err instanceof PixcapError)) throw err
        addSourceIssue(report, { kind: 'path_escape', severity: 'error', path: [...err.path], imageId, detail: err.detail })
        photo.problem = `images[${index}].file_name ${err.detail}`
      }
      photos.set(img.file_name, photo)
    } else if (photo.width !== img.width || photo.height !== img.height) {
      addSourceIssue(report, { kind: 'invalid_image', severity: 'warning', path, imageId: photo.imageId, detail: `${img.file_name} is ${img.width}x${img.height} here but ${photo.width}x${photo.height} at images[${photo.firstIndex}]; keeping the first size` })
    }
    entryOf.set(img.id, { index, image: img, photo })
  })

  // Boxes per expression entry (the caption rule depends on how many boxes an entry has).
  const boxesOf = new Map<number, number>()
  for (const ann of data.annotations) boxesOf.set(ann.image_id, (boxesOf.get(ann.image_id) ?? 0) + 1)
  const orphans: DroppedRegion[] = []
  const seenIds = new Map<number, number>()
  for (const [a, ann] of data.annotations.entries()) {
    c.segments++
    const path = ['annotations', a]
    const origin = { file: originFile, path }
    const entry = entryOf.get(ann.image_id)
    options.onProgress?.({ kind: 'progress', stage: 'annotations', done: a + 1, total: data.annotations.length })
    const imageId: ImageId = entry?.photo.imageId ?? ann.image_id
    const ids = { segmentId: ann.id, regionId: regionIdOf(imageId, ann.id) }
    const drop = (reason: DroppedRegion['reason'], detail: string, at = path): void => {
      c.droppedSegments++
      const d: DroppedRegion = { imageId, ...ids, reason, detail, origin: { file: originFile, path: at } }
      if (entry) entry.photo.dropped.push(d)
      else orphans.push(d)
    }
    if (!entry) {
      const detail = `image_id ${ann.image_id} has no entry in images (${data.images.length} entries); annotations are joined to images by image_id`
      addSourceIssue(report, { kind: 'annotation_without_image', severity: 'error', path: [...path, 'image_id'], imageId, detail })
      drop('no_image', detail, [...path, 'image_id'])
      continue
    }
    const first = seenIds.get(ann.id)
    if (first !== undefined) {
      const detail = `annotation id ${ann.id} is already used by annotations[${first}]; ids must be unique`
      addSourceIssue(report, { kind: 'duplicate_annotation_id', severity: 'error', path: [...path, 'id'], imageId, segmentId: ann.id, detail })
      drop('invalid', detail, [...path, 'id'])
      continue
    }
    seenIds.set(ann.id, a)
    if (entry.photo.problem) {
      drop('invalid', entry.photo.problem)
      continue
    }
    let bbox: [number, number, number, number]
    try {
      bbox = checkRegionBox(ann.bbox, file, [...path, 'bbox'])
    } catch (err) {
      if (!(err instanceof PixcapError)) throw err
      addSourceIssue(report, { kind: 'invalid_annotation', severity: 'error', path: [...err.path], imageId, segmentId: ann.id, detail: err.detail })
      drop('invalid', `bbox: ${err.detail}`, [...err.path])
      continue
    }
    const caption = captionOf(entry.image, ann, boxesOf.get(ann.image_id) ?? 1)
    if (caption === null) {
      const detail = `tokens_positive ${JSON.stringify(ann.tokens_positive)} is outside the caption of images[${entry.index}] (${entry.image.caption.length} characters)`
      addSourceIssue(report, { kind: 'invalid_annotation', severity: 'error', path: [...path, 'tokens_positive'], imageId, segmentId: ann.id, detail })
      drop('invalid', detail, [...path, 'tokens_positive'])
      continue
    }
    c.regions++
    const categoryId = ann.category_id ?? 0
    entry.photo.regions.push({
      regionId: ids.regionId,
      segmentId: ann.id,
      categoryId,
      category: categories.get(categoryId) ?? 'object',
      isThing: true,
      isCrowd: ann.iscrowd === 1,
      bbox,
      area: ann.area ?? bbox[2] * bbox[3],
      captions: [caption],
      origin,
    })
  }

  for (const photo of photos.values()) {
    const path = ['images', photo.firstIndex]
    if (photo.problem || photo.regions.length === 0) {
      if (photo.dropped.length > 0) yield { imageId: photo.imageId, record: null, dropped: photo.dropped, imageEntryPath: path }
      else addSourceIssue(report, { kind: 'image_without_annotation', severity: 'warning', path, imageId: photo.imageId, detail: `${data.images[photo.firstIndex]!.file_name} has no annotation; it yields no record` })
      continue
    }
    c.records++
    const record: ImageRecord = { source: MDETR_SOURCE, split, imageId: photo.imageId, imagePath: photo.imagePath, width: photo.width, height: photo.height, regions: photo.regions, origin: { file: originFile, path } }
    yield { imageId: photo.imageId, record, dropped: photo.dropped, imageEntryPath: path }
  }
  if (orphans.length > 0) yield { imageId: orphans[0]!.imageId, record: null, dropped: orphans }
  report.complete = true
}

/** The expression for a single-box entry; the tokens_positive phrase for a box of a multi-box sentence. */
function captionOf(image: RawMdetrImage, ann: RawMdetrAnnotation, boxes: number): string | null {
  if (boxes === 1 || ann.tokens_positive === undefined || ann.tokens_positive.length === 0) return image.caption
  return phraseOf(image.caption, ann.tokens_positive)
}
