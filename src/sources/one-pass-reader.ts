// The SourceReader shape that every whole-file reader shares: the split chosen from the file name (or given), a
// report that the reading fills in, and entries that may be read once (a reader is a single pass over its file;
// open the source again for a second pass).
import { emptySourceCounts, type SourceEntry, type SourceReport } from '../records/index.js'
import { chooseSplit } from './split-name.js'
import type { OpenSourceOptions, SourceReader } from './source-reader.js'

/** Reads the entries of `options.annotations` for `split`, filling in `report`. */
type ReadEntries<O extends OpenSourceOptions, R extends SourceReport> = (options: O, split: string, report: R) => AsyncGenerator<SourceEntry>

/** The report every source starts from; a source with more to say passes its own (e.g. pix2cap's read passes). */
const plainReport = (file: string, split: string): SourceReport => ({ file, split, bytesRead: 0, counts: emptySourceCounts(), issues: [], errors: 0, warnings: 0, complete: false })

/** A reader of `source` whose entries come from one call of `read`; nothing is read until they are iterated. */
export function onePassReader<O extends OpenSourceOptions>(source: string, options: O, read: ReadEntries<O, SourceReport>): SourceReader
export function onePassReader<O extends OpenSourceOptions, R extends SourceReport>(
  source: string,
  options: O,
  read: ReadEntries<O, R>,
  newReport: (file: string, split: string) => R,
): SourceReader & { report: R }
export function onePassReader<O extends OpenSourceOptions, R extends SourceReport>(
  source: string,
  options: O,
  read: ReadEntries<O, R>,
  newReport?: (file: string, split: string) => R,
): SourceReader & { report: R } {
  const { split, splitSource } = chooseSplit(options.annotations, options.split)
  const report = (newReport ?? plainReport)(options.annotations, split) as R
  let started = false
  const entries = async function* (): AsyncGenerator<SourceEntry> {
    if (started) throw new Error(`${source} reader: a reader can be iterated only once; open it again`)
    started = true
    yield* read(options, split, report)
  }
  return {
    source,
    split,
    splitSource,
    report,
    entries,
    async *records() {
      for await (const entry of entries()) if (entry.record) yield entry.record
    },
  }
}
