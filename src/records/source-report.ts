// A source reader's report: every problem found while reading, located by file + JSON path, and counts. It is
// filled as entries are read and is complete when iteration ends (`complete: true`). Sources add their own fields
// (e.g. the Pix2Cap reader's passes and top-level keys) by extending it.
import { toJsonPath } from '../errors.js'
import type { ImageId } from './region-record.js'

/** One problem, located by file and JSON path. `kind` is a source's stable code (`invalid_segment`, `path_escape`, ...). */
export interface SourceIssue {
  kind: string
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

/** Counts gathered while reading. */
export interface SourceCounts {
  /** Entries in the source's image list. */
  images: number
  /** Annotation entries (Pix2Cap: one per image; COCO region captions: one per region). */
  annotations: number
  categories: number
  /** Region entries read (Pix2Cap: entries of all `segments_info` lists). */
  segments: number
  /** Region entries that became regions. */
  regions: number
  /** Region entries dropped by the reader (invalid, duplicate id, no image). */
  droppedSegments: number
  /** Image records yielded. */
  records: number
}

/** What every reader reports. */
export interface SourceReport {
  file: string
  split: string
  bytesRead: number
  counts: SourceCounts
  issues: SourceIssue[]
  errors: number
  warnings: number
  complete: boolean
}

/** Fresh, zeroed counts. */
export function emptySourceCounts(): SourceCounts {
  return { images: 0, annotations: 0, categories: 0, segments: 0, regions: 0, droppedSegments: 0, records: 0 }
}

/** Appends an issue and bumps the error/warning count. The message is `file: path: detail`. */
export function addSourceIssue<I extends SourceIssue>(report: { file: string; issues: I[]; errors: number; warnings: number }, issue: Omit<I, 'message' | 'file'> & { file?: string }): I {
  const file = issue.file ?? report.file
  const full = { ...issue, file, message: `${file}: ${toJsonPath(issue.path)}: ${issue.detail}` } as I
  report.issues.push(full)
  if (full.severity === 'error') report.errors++
  else report.warnings++
  return full
}
