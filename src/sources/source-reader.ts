// The source seam: every dataset pixcap reads (Pix2Cap-COCO, COCO-style region captions, ...) is a folder under
// sources/ that exports one SourceDefinition, listed in sources/registry.ts. Everything downstream (convert,
// validate, stats, preview, filter, curation) sees only this interface and the canonical records of records/.
import type { ImageRecord, SourceEntry, SourceReport } from '../records/index.js'
import type { ProgressSink } from '../util/progress.js'
import type { SourceProbe } from './source-probe.js'
import type { SplitSource } from './split-name.js'

/** What every source takes to open a file. */
export interface OpenSourceOptions {
  /** The source's annotation file. */
  annotations: string
  /** A separate categories file, for sources that take one (Pix2Cap-COCO). */
  categories?: string
  /** The images root, for sources that keep per-image files beside the photos (VCR's metadata JSON). */
  imagesDir?: string
  /** Split name; default from the file name (`*_val*` -> val, `*_train*` -> train), else `train`. */
  split?: string
  onProgress?: ProgressSink
}

/** An opened source: iterate `entries()` or `records()` once; `report` is complete after iteration. */
export interface SourceReader {
  /** The `source` of every record (the registry name). */
  source: string
  split: string
  /** Where the split name came from, so commands can print the choice. */
  splitSource: SplitSource
  report: SourceReport
  /** Every image with the regions the reader dropped (what the filter consumes, so nothing is lost). */
  entries(): AsyncGenerator<SourceEntry>
  /** Only the canonical records. */
  records(): AsyncGenerator<ImageRecord>
}

/** One registered source (STYLE.md §7: variants declare themselves; shared code never switches on names). */
export interface SourceDefinition {
  /** Registry name, also the `source` of its records and the value of `--from`. */
  name: string
  /** One line for `--help` and errors. */
  description: string
  /** Whether records carry `maskPath` (a panoptic PNG per image): mask checks and mask columns need it. */
  panopticMasks: boolean
  /** True when the file has this source's shape; must be false for every other registered source's files. */
  detect(probe: SourceProbe): Promise<boolean>
  /** Opens a file; nothing is read until the reader is iterated. */
  open(options: OpenSourceOptions): SourceReader
}
