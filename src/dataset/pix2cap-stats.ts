// `pixcap stats` as a library function: stream a Pix2Cap-COCO JSON through the stats accumulator.
import type { ProgressSink } from '../cli/progress.js'
import { readPix2Cap } from '../sources/pix2cap/read-pix2cap.js'
import { addImage, createStats, summarizeStats, type StatsSummary } from './stats.js'

/** Options of statsPix2Cap. */
export interface StatsPix2CapOptions {
  annotations: string
  categories?: string
  split?: string
  onProgress?: ProgressSink
}

/** Result of statsPix2Cap: the summary plus what the reader could not use (those segments are not in the stats). */
export interface StatsPix2CapResult {
  file: string
  split: string
  stats: StatsSummary
  reader: { errors: number; warnings: number; segments: number; droppedSegments: number }
}

/** Computes statistics of a Pix2Cap-COCO JSON (every valid segment, before any filter policy). */
export async function statsPix2Cap(options: StatsPix2CapOptions): Promise<StatsPix2CapResult> {
  const reader = readPix2Cap(options)
  const acc = createStats()
  for await (const record of reader.records()) addImage(acc, record)
  const r = reader.report
  return {
    file: options.annotations,
    split: reader.split,
    stats: summarizeStats(acc),
    reader: { errors: r.errors, warnings: r.warnings, segments: r.counts.segments, droppedSegments: r.counts.droppedSegments },
  }
}
