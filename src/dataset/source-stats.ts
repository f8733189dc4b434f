// `pixcap stats` as a library function: stream any registered source through the stats accumulator, and through the
// filter policy to show what it would keep and reject.
import type { ProgressSink } from '../util/progress.js'
import { openSource } from '../sources/open-source.js'
import type { ImageRecord, SourceEntry } from '../records/index.js'
import { captionFindings, type CaptionFindingKind } from './caption-checks.js'
import { filterImages, type FilterCounts } from './filter-images.js'
import { DEFAULT_FILTER_POLICY, type FilterPolicy } from './filter-policy.js'
import { addImage, createStats, summarizeStats, type StatsAccumulator, type StatsSummary } from './stats.js'

/** Options of statsSource. */
export interface StatsSourceOptions {
  annotations: string
  /** A registered source name (sources/registry.ts); default: detected from the file's shape. */
  from?: string
  categories?: string
  /** Photo folder, for sources that read sizes or metadata there (llava-instruct, vcr). */
  imagesDir?: string
  split?: string
  /** Policy whose effect is reported; default DEFAULT_FILTER_POLICY. */
  policy?: FilterPolicy
  onProgress?: ProgressSink
}

/** Result of statsSource: stats of every readable segment (before filtering), the reader's losses, the policy's effect. */
export interface StatsSourceResult {
  file: string
  /** The source that read the file. */
  source: string
  split: string
  stats: StatsSummary
  /** Image-level conversations read (LLaVA-Instruct, VCR), and the regions they refer to (not in `stats.regions`). */
  conversations: number
  conversationRegions: number
  reader: { errors: number; warnings: number; segments: number; droppedSegments: number }
  filter: { policy: FilterPolicy; counts: FilterCounts }
  /** Captions a person would flag (dataset/caption-checks.ts), by kind, with the first few as examples. */
  captionWarnings: CaptionWarnings
}

/** Caption findings of a stats pass. */
interface CaptionWarnings {
  counts: Partial<Record<CaptionFindingKind, number>>
  examples: { imageId: number | string; segmentId: number; kind: CaptionFindingKind; detail: string }[]
}

const CAPTION_EXAMPLES = 10

function noteCaptions(record: ImageRecord, w: CaptionWarnings): void {
  for (const r of record.regions) {
    for (const c of r.captions) {
      for (const f of captionFindings(c)) {
        w.counts[f.kind] = (w.counts[f.kind] ?? 0) + 1
        if (w.examples.length < CAPTION_EXAMPLES) w.examples.push({ imageId: record.imageId, segmentId: r.segmentId, kind: f.kind, detail: f.detail })
      }
    }
  }
}

async function* counted(entries: AsyncIterable<SourceEntry>, acc: StatsAccumulator, w: CaptionWarnings, talk: { conversations: number; regions: number }): AsyncGenerator<SourceEntry> {
  for await (const entry of entries) {
    for (const c of entry.record?.conversations ?? []) {
      talk.conversations++
      talk.regions += c.regions.length
    }
    if (entry.record) addImage(acc, entry.record)
    if (entry.record) noteCaptions(entry.record, w)
    yield entry
  }
}

/** Computes statistics of a source file (every valid region, before any filter policy) in one streaming pass. */
export async function statsSource(options: StatsSourceOptions): Promise<StatsSourceResult> {
  const { reader } = await openSource(options)
  const acc = createStats()
  const policy = options.policy ?? DEFAULT_FILTER_POLICY
  // Rejects are only counted here: a sink that drops them keeps memory flat.
  const captionWarnings: CaptionWarnings = { counts: {}, examples: [] }
  const talk = { conversations: 0, regions: 0 }
  const filtered = filterImages(counted(reader.entries(), acc, captionWarnings, talk), policy, { onReject: () => {} })
  for await (const _ of filtered) void _
  const r = reader.report
  return {
    file: options.annotations,
    source: reader.source,
    split: reader.split,
    stats: summarizeStats(acc),
    conversations: talk.conversations,
    conversationRegions: talk.regions,
    reader: { errors: r.errors, warnings: r.warnings, segments: r.counts.segments, droppedSegments: r.counts.droppedSegments },
    filter: { policy, counts: filtered.counts },
    captionWarnings,
  }
}
