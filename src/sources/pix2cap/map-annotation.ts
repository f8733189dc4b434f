// Maps one raw `annotations[i]` element to a canonical ImageRecord plus the segments it could not use.
// Each segment is validated on its own: one bad segment is reported and dropped, the rest of the image survives.
import { PixcapError, toJsonPath, type JsonPath } from '../../errors.js'
import { checkRelativePath } from '../../io/input/safe-path.js'
import { regionIdOf, type DroppedRegion, type ImageId, type ImageRecord, type RegionRecord, type SourceEntry } from '../../records/index.js'
import type { SchemaProblem } from '../../util/zod-issues.js'
import { parseRawAnnotationShell, parseRawSegment } from './raw-guards.js'
import { addIssue, type Pix2CapReport } from './report.js'
import type { ImageTable } from './image-table.js'

/** What a region needs from its category. */
export interface CategoryInfo {
  name: string
  isThing: boolean
}

/** One annotation as read (the canonical SourceEntry of records/). */
export type SourceImage = SourceEntry

/** Lookups and sinks mapAnnotation needs. */
export interface AnnotationContext {
  file: string
  /** File name recorded in `origin` (the basename: records must not carry a user's absolute paths). */
  originFile: string
  source: string
  split: string
  /** Images by id, and the index of each one's first annotation (join by image_id; duplicates are errors). */
  images: ImageTable
  invalidImageIds: Set<number>
  categories: Map<number, CategoryInfo>
  report: Pix2CapReport
}

function intField(value: unknown, key: string): number | undefined {
  const v = typeof value === 'object' && value !== null ? Reflect.get(value, key) : undefined
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined
}

function relativeDetail(problems: SchemaProblem[], base: JsonPath): string {
  return problems.map((p) => `${p.path.length > base.length ? `${toJsonPath(p.path.slice(base.length))}: ` : ''}${p.detail}`).join('; ')
}

/** Maps `annotations[index]`; returns null only when not even an image id can be read. */
export function mapAnnotation(value: unknown, index: number, ctx: AnnotationContext): SourceImage | null {
  const { report } = ctx
  const annPath: JsonPath = ['annotations', index]
  const segOrigin = (j: number) => ({ file: ctx.originFile, path: ['annotations', index, 'segments_info', j] })
  const dropAll = (imageId: ImageId, segments: unknown[], reason: DroppedRegion['reason'], detail: string): DroppedRegion[] => {
    const out = segments.map((s, j): DroppedRegion => {
      const segmentId = intField(s, 'id')
      return {
        imageId,
        ...(segmentId !== undefined ? { segmentId, regionId: regionIdOf(imageId, segmentId) } : {}),
        reason,
        detail,
        origin: segOrigin(j),
      }
    })
    report.counts.droppedSegments += out.length
    return out
  }

  const shell = parseRawAnnotationShell(value, annPath)
  if (!shell.ok) {
    for (const p of shell.problems) addIssue(report, { kind: 'invalid_annotation', severity: 'error', path: p.path, detail: p.detail })
    const imageId = intField(value, 'image_id')
    const segs = typeof value === 'object' && value !== null ? Reflect.get(value, 'segments_info') : undefined
    if (imageId === undefined) return null
    const list: unknown[] = Array.isArray(segs) ? segs : []
    report.counts.segments += list.length
    return { imageId, record: null, dropped: dropAll(imageId, list, 'invalid', `annotations[${index}] is invalid: ${relativeDetail(shell.problems, annPath)}`) }
  }

  const ann = shell.data
  const imageId = ann.image_id
  report.counts.segments += ann.segments_info.length
  const image = ctx.images.get(imageId)
  if (!image) {
    const detail = ctx.invalidImageIds.has(imageId)
      ? `image_id ${imageId} refers to an invalid images entry (reported above)`
      : `image_id ${imageId} has no entry in images (${ctx.images.size} images); annotations are joined to images by image_id`
    addIssue(report, { kind: 'annotation_without_image', severity: 'error', path: [...annPath, 'image_id'], imageId, detail })
    return { imageId, record: null, dropped: dropAll(imageId, ann.segments_info, 'no_image', detail) }
  }
  const prior = ctx.images.annotationOf(imageId)
  if (prior !== undefined) {
    const detail = `a second annotation for image ${imageId} (the first is annotations[${prior}]); its segments are dropped`
    addIssue(report, { kind: 'duplicate_annotation', severity: 'error', path: [...annPath, 'image_id'], imageId, detail })
    return { imageId, record: null, dropped: dropAll(imageId, ann.segments_info, 'invalid', detail) }
  }
  ctx.images.setAnnotation(imageId, index)

  let maskPath: string
  try {
    maskPath = checkRelativePath(ann.file_name, { file: ctx.file, path: [...annPath, 'file_name'] })
  } catch (err) {
    if (!(err instanceof PixcapError)) throw err
    addIssue(report, { kind: 'path_escape', severity: 'error', path: [...err.path], imageId, detail: err.detail })
    return { imageId, record: null, dropped: dropAll(imageId, ann.segments_info, 'invalid', `file_name ${err.detail}`) }
  }

  const regions: RegionRecord[] = []
  const dropped: DroppedRegion[] = []
  const firstIndexOf = new Map<number, number>()
  const drop = (j: number, segmentId: number | undefined, detail: string): void => {
    dropped.push({
      imageId,
      ...(segmentId !== undefined ? { segmentId, regionId: regionIdOf(imageId, segmentId) } : {}),
      reason: 'invalid',
      detail,
      origin: segOrigin(j),
    })
  }
  ann.segments_info.forEach((raw, j) => {
    // Built only to word a problem: this runs once per segment of the corpus.
    const segPath = (): JsonPath => [...annPath, 'segments_info', j]
    const parsed = parseRawSegment(raw, segPath)
    if (!parsed.ok) {
      const segmentId = intField(raw, 'id')
      for (const p of parsed.problems) {
        addIssue(report, { kind: 'invalid_segment', severity: 'error', path: p.path, imageId, ...(segmentId !== undefined ? { segmentId } : {}), detail: p.detail })
      }
      drop(j, segmentId, relativeDetail(parsed.problems, segPath()))
      return
    }
    const seg = parsed.data
    const category = ctx.categories.get(seg.category_id)
    if (!category) {
      const detail = `category_id ${seg.category_id} is not in categories (${ctx.categories.size} known)`
      addIssue(report, { kind: 'invalid_segment', severity: 'error', path: [...segPath(), 'category_id'], imageId, segmentId: seg.id, detail })
      drop(j, seg.id, detail)
      return
    }
    const first = firstIndexOf.get(seg.id)
    if (first !== undefined) {
      const detail = `segment id ${seg.id} is already used by segments_info[${first}] of image ${imageId}; ids must be unique within an image`
      addIssue(report, { kind: 'duplicate_segment_id', severity: 'error', path: [...segPath(), 'id'], imageId, segmentId: seg.id, detail })
      drop(j, seg.id, detail)
      return
    }
    firstIndexOf.set(seg.id, j)
    regions.push({
      regionId: regionIdOf(imageId, seg.id),
      segmentId: seg.id,
      categoryId: seg.category_id,
      category: category.name,
      isThing: category.isThing,
      isCrowd: seg.iscrowd === 1,
      bbox: [seg.bbox[0]!, seg.bbox[1]!, seg.bbox[2]!, seg.bbox[3]!],
      area: seg.area,
      // A list holds alternative captions (pix2cap.md §2): keep them all, in order.
      captions: typeof seg.description === 'string' ? [seg.description] : [...seg.description],
      origin: segOrigin(j),
    })
  })
  report.counts.regions += regions.length
  report.counts.droppedSegments += dropped.length
  report.counts.records++
  const record: ImageRecord = {
    source: ctx.source,
    split: ctx.split,
    imageId,
    imagePath: image.imagePath,
    maskPath,
    width: image.width,
    height: image.height,
    regions,
    origin: { file: ctx.originFile, path: annPath.slice() },
  }
  return { imageId, record, dropped, imageEntryPath: ['images', image.index] }
}
