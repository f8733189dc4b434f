// The Pix2Cap reader's report: the common SourceReport (records/source-report.ts) with Pix2Cap's issue kinds and how
// the file was read (passes, top-level key order).
import { addSourceIssue, emptySourceCounts, type SourceIssue, type SourceReport } from '../../records/index.js'

export type { DroppedRegion } from '../../records/index.js'

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
export interface Pix2CapIssue extends SourceIssue {
  kind: Pix2CapIssueKind
}

/** The full reader report. */
export interface Pix2CapReport extends SourceReport {
  /** Passes over the file: 1 when images and categories precede annotations, else 2. */
  passes: number
  /** Top-level keys in file order. */
  topLevelKeys: string[]
  issues: Pix2CapIssue[]
}

/** A fresh, empty report. */
export function emptyReport(file: string, split: string): Pix2CapReport {
  return { file, split, passes: 0, bytesRead: 0, topLevelKeys: [], counts: emptySourceCounts(), issues: [], errors: 0, warnings: 0, complete: false }
}

/** Appends an issue and bumps the error/warning count. The message is `file: path: detail`. */
export function addIssue(report: Pix2CapReport, issue: Omit<Pix2CapIssue, 'message' | 'file'> & { file?: string }): Pix2CapIssue {
  return addSourceIssue(report, issue)
}
