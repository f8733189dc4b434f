// The reader's report: every problem found while reading a Pix2Cap-COCO JSON, with file + JSON path, and counts.
// It is filled as records are read and is complete when iteration ends (`complete: true`).
import { toJsonPath } from '../../errors.js'
import type { ImageId, Origin } from '../../records/index.js'

/** Problem kinds the reader reports. */
export type Pix2CapIssueKind =
  | 'invalid_image' // images[i] fails the schema
  | 'invalid_category'
  | 'invalid_annotation' // annotations[i] fails the schema (image_id, file_name, segments_info)
  | 'invalid_segment' // annotations[i].segments_info[j] fails the schema or names an unknown category
  | 'duplicate_image_id'
  | 'duplicate_annotation' // a second annotation for the same image_id
  | 'duplicate_segment_id' // segment ids must be unique within an image (pix2cap.md §3)
  | 'annotation_without_image'
  | 'image_without_annotation'
  | 'path_escape' // a file_name that is absolute or escapes its root

/** One problem, located by file and JSON path. */
export interface Pix2CapIssue {
  kind: Pix2CapIssueKind
  severity: 'error' | 'warning'
  file: string
  path: (string | number)[]
  imageId?: ImageId
  segmentId?: number
  /** What is wrong, without file and path: `expected 4 numbers [x, y, w, h], got 3`. */
  detail: string
  /** `file: path: detail`. */
  message: string
}

/** A segment the reader could not turn into a region; the filter turns it into a reject (reason `invalid`/`no_image`). */
export interface DroppedRegion {
  imageId: ImageId
  segmentId?: number
  regionId?: string
  reason: 'invalid' | 'no_image'
  detail: string
  origin: Origin
}

/** Counts gathered while reading. */
export interface Pix2CapCounts {
  /** Entries in `images`. */
  images: number
  annotations: number
  categories: number
  /** Entries in all `segments_info` lists. */
  segments: number
  /** Segments that became regions. */
  regions: number
  /** Segments dropped by the reader (invalid, duplicate id, no image). */
  droppedSegments: number
  /** Image records yielded. */
  records: number
}

/** The full reader report. */
export interface Pix2CapReport {
  file: string
  split: string
  /** Passes over the file: 1 when images and categories precede annotations, else 2. */
  passes: number
  bytesRead: number
  /** Top-level keys in file order. */
  topLevelKeys: string[]
  counts: Pix2CapCounts
  issues: Pix2CapIssue[]
  errors: number
  warnings: number
  complete: boolean
}

/** A fresh, empty report. */
export function emptyReport(file: string, split: string): Pix2CapReport {
  return {
    file,
    split,
    passes: 0,
    bytesRead: 0,
    topLevelKeys: [],
    counts: { images: 0, annotations: 0, categories: 0, segments: 0, regions: 0, droppedSegments: 0, records: 0 },
    issues: [],
    errors: 0,
    warnings: 0,
    complete: false,
  }
}

/** Appends an issue and bumps the error/warning count. The message is `file: path: detail`. */
export function addIssue(report: Pix2CapReport, issue: Omit<Pix2CapIssue, 'message' | 'file'> & { file?: string }): Pix2CapIssue {
  const file = issue.file ?? report.file
  const full: Pix2CapIssue = { ...issue, file, message: `${file}: ${toJsonPath(issue.path)}: ${issue.detail}` }
  report.issues.push(full)
  if (full.severity === 'error') report.errors++
  else report.warnings++
  return full
}
