// `pixcap validate` as a library function: schema + join report (any registered source's reader), panoptic PNG checks
// (verifyMasks, the panopticapi sanity checks plus bbox/area; for sources with panoptic masks), and with `imagesDir` the photos: present, and of the size images[] says.
// Every problem is located by file + JSON path; nothing stops at the first one, except a file that cannot be parsed
// at all (truncated, wrong top-level type), which ends the report with that one fatal error.
import { basename } from 'node:path'
import sharp, { type Metadata } from 'sharp'
import type { ProgressSink } from '../util/progress.js'
import { OptionError, PixcapError, toJsonPath } from '../errors.js'
import { resolveInside } from '../io/safe-path.js'
import { verifyMasks, type MaskIssue } from '../io/verify-masks.js'
import type { ImageRecord } from '../records/index.js'
import { captionFindings } from './caption-checks.js'
import { openSource } from '../sources/open-source.js'
import type { SourceIssue } from '../records/index.js'

/** Options of validateSource. */
export interface ValidateSourceOptions {
  annotations: string
  /** A registered source name (sources/registry.ts); default: detected from the file's shape. */
  from?: string
  /** Folder of the panoptic PNGs (`annotations[].file_name` is relative to it); required by sources with panoptic masks. */
  panopticDir?: string
  /** Folder of the photos (`images[].file_name`); without it photos are not checked. */
  imagesDir?: string
  categories?: string
  split?: string
  /** PNG decodes in flight (verifyMasks). */
  concurrency?: number
  onProgress?: ProgressSink
}

/** Which check found an issue. */
export type ValidationStage = 'json' | 'join' | 'mask' | 'image' | 'caption'

/** One problem, with the file and JSON path that locate it. */
export interface ValidationIssue {
  stage: ValidationStage
  kind: string
  severity: 'error' | 'warning'
  file: string
  path: (string | number)[]
  imageId?: number | string
  segmentId?: number
  expected?: unknown
  found?: unknown
  /** `file: path: detail`. */
  message: string
}

/** The structured result; `ok` is false when there is any error. */
export interface ValidationReport {
  ok: boolean
  file: string
  /** The source that read the file. */
  source: string
  split: string
  errors: number
  warnings: number
  counts: { images: number; annotations: number; categories: number; segments: number; regions: number; masksChecked: number; imagesChecked: number }
  issuesByKind: Record<string, number>
  issues: ValidationIssue[]
}

const JOIN_KINDS = new Set(['duplicate_image_id', 'duplicate_annotation', 'duplicate_segment_id', 'annotation_without_image', 'image_without_annotation'])

/** Open photo checks at once (each reads only a file header). */
const IMAGE_CHECKS_IN_FLIGHT = 8

/** Validates a source file (against its panoptic PNGs when it has them, and its photos); returns every problem found. */
export async function validateSource(options: ValidateSourceOptions): Promise<ValidationReport> {
  const file = options.annotations
  const originFile = basename(file)
  const { definition, reader } = await openSource(options)
  if (definition.panopticMasks && options.panopticDir === undefined) throw new OptionError(['panopticDir'], `panopticDir: ${definition.name} files are checked against their panoptic PNGs; give their folder`)
  const issues: ValidationIssue[] = []
  // Photo checks finish in any order; their issues are kept per image and reported in input order after the mask
  // issues, so a report never depends on which file read finished first.
  const photoIssues: ValidationIssue[][] = []
  const counts = { masksChecked: 0, imagesChecked: 0 }
  const toIssue = (issue: Omit<ValidationIssue, 'message'> & { detail: string }): ValidationIssue => {
    const { detail, ...rest } = issue
    return { ...rest, message: `${rest.file}: ${rest.path.length > 0 ? `${toJsonPath(rest.path)}: ` : ''}${detail}` }
  }
  const add = (issue: Omit<ValidationIssue, 'message'> & { detail: string }): void => {
    issues.push(toIssue(issue))
  }
  // The reader reports segments it could not use; the PNG will still hold their ids, which is not a second problem.
  const droppedIds = new Map<string, Set<number>>()

  const imageChecks: Promise<void>[] = []
  const checkPhoto = async (record: ImageRecord, entryPath: readonly (string | number)[]): Promise<void> => {
    const found: ValidationIssue[] = []
    photoIssues.push(found)
    const add = (issue: Omit<ValidationIssue, 'message'> & { detail: string }): void => {
      found.push(toIssue(issue))
    }
    const imagesDir = options.imagesDir!
    const path = [...entryPath, 'file_name']
    let abs: string
    try {
      abs = resolveInside(imagesDir, record.imagePath, { file, path })
    } catch (err) {
      if (!(err instanceof PixcapError)) throw err
      add({ stage: 'image', kind: 'path_escape', severity: 'error', file, path, imageId: record.imageId, detail: err.detail })
      return
    }
    counts.imagesChecked++
    let meta: Metadata
    try {
      meta = await sharp(abs).metadata()
    } catch (err) {
      const missing = (err as Error).message.includes('missing') || (err as NodeJS.ErrnoException).code === 'ENOENT'
      add({
        stage: 'image', kind: missing ? 'image_missing' : 'image_unreadable', severity: 'error', file, path, imageId: record.imageId,
        expected: abs, detail: missing ? `image ${record.imageId}: photo ${abs} does not exist` : `image ${record.imageId}: cannot read photo ${abs}: ${(err as Error).message}`,
      })
      return
    }
    if (meta.width !== record.width || meta.height !== record.height) {
      add({
        stage: 'image', kind: 'image_size_mismatch', severity: 'error', file, path, imageId: record.imageId,
        expected: [record.width, record.height], found: [meta.width, meta.height],
        detail: `image ${record.imageId}: images[] says ${record.width}x${record.height}, photo ${abs} is ${meta.width}x${meta.height}`,
      })
    }
  }

  async function* recordsWithSideChecks(): AsyncGenerator<ImageRecord> {
    for await (const entry of reader.entries()) {
      const ids = entry.dropped.flatMap((d) => (d.segmentId !== undefined ? [d.segmentId] : []))
      if (ids.length > 0) droppedIds.set(String(entry.imageId), new Set(ids))
      if (!entry.record) continue
      addCaptionWarnings(entry.record)
      if (options.imagesDir !== undefined) {
        imageChecks.push(checkPhoto(entry.record, entry.imageEntryPath ?? entry.record.origin?.path ?? []))
        if (imageChecks.length >= IMAGE_CHECKS_IN_FLIGHT) await imageChecks.shift()
      }
      yield entry.record
    }
  }

  // Captions a person would flag are warnings (dataset/caption-checks.ts); convert's filter policy can drop them.
  // Listed after every error, so the first issue shown is the most serious one.
  const captionIssues: ValidationIssue[] = []
  const addCaptionWarnings = (record: ImageRecord): void => {
    for (const r of record.regions) {
      r.captions.forEach((caption, i) => {
        for (const f of captionFindings(caption)) {
          const base = r.origin?.path ?? []
          const path = [...base, 'description', ...(r.captions.length > 1 ? [i] : [])]
          captionIssues.push(toIssue({ stage: 'caption', kind: `caption_${f.kind}`, severity: 'warning', file, path, imageId: record.imageId, segmentId: r.segmentId, detail: `image ${record.imageId}, segment ${r.segmentId}: ${f.detail}` }))
        }
      })
    }
  }

  let fatal: PixcapError | null = null
  try {
    if (options.panopticDir !== undefined && definition.panopticMasks) {
      for await (const check of verifyMasks(recordsWithSideChecks(), {
        panopticDir: options.panopticDir,
        ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      })) {
        counts.masksChecked++
        for (const m of check.issues) addMaskIssue(m)
      }
    } else {
      for await (const _ of recordsWithSideChecks()) void _
    }
    await Promise.all(imageChecks)
  } catch (err) {
    if (!(err instanceof PixcapError)) throw err
    await Promise.allSettled(imageChecks)
    fatal = err
  }

  function addMaskIssue(m: MaskIssue): void {
    if (m.kind === 'id_not_in_json' && m.segmentId !== undefined && droppedIds.get(String(m.imageId))?.has(m.segmentId)) return
    const { message: _message, imageId, segmentId, expected, found, kind, path } = m
    const detail = _message.startsWith(`${toJsonPath(path)}: `) ? _message.slice(toJsonPath(path).length + 2) : _message
    add({
      stage: 'mask', kind, severity: 'error', file: m.file === originFile ? file : m.file, path, imageId,
      ...(segmentId !== undefined ? { segmentId } : {}), ...(expected !== undefined ? { expected } : {}), ...(found !== undefined ? { found } : {}),
      detail: segmentId !== undefined && !detail.includes(`${segmentId}`) ? `image ${imageId}, segment ${segmentId}: ${detail}` : `image ${imageId}: ${detail}`,
    })
  }

  const readerIssues: ValidationIssue[] = reader.report.issues.map((i: SourceIssue) => ({
    stage: JOIN_KINDS.has(i.kind) ? 'join' : 'json',
    kind: i.kind,
    severity: i.severity,
    file: i.file,
    path: i.path,
    ...(i.imageId !== undefined ? { imageId: i.imageId } : {}),
    ...(i.segmentId !== undefined ? { segmentId: i.segmentId } : {}),
    message: i.message,
  }))
  const all = [...readerIssues, ...issues, ...photoIssues.flat()]
  if (fatal) all.push({ stage: 'json', kind: fatal.code, severity: 'error', file: fatal.file, path: [...fatal.path], message: fatal.message })
  all.push(...captionIssues)
  const issuesByKind: Record<string, number> = {}
  for (const i of all) issuesByKind[i.kind] = (issuesByKind[i.kind] ?? 0) + 1
  const errors = all.filter((i) => i.severity === 'error').length
  const c = reader.report.counts
  return {
    ok: errors === 0,
    file,
    source: reader.source,
    split: reader.split,
    errors,
    warnings: all.length - errors,
    counts: { images: c.images, annotations: c.annotations, categories: c.categories, segments: c.segments, regions: c.regions, ...counts },
    issuesByKind,
    issues: all,
  }
}
