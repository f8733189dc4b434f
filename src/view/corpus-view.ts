// The corpus side of `pixcap view`: pages of samples from the Parquet files (src/io/corpus/parquet-pages.ts), filters whose
// matching row numbers are found by one scan and cached (a Uint32Array, not the rows), statistics from one scan, and
// the rejects with what is needed to draw them. Nothing here holds more than a couple of row groups.
import { createReadStream, existsSync } from 'node:fs'
import { basename, extname, join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { PixcapError } from '../errors.js'
import { readManifest, type Manifest } from '../io/corpus/manifest.js'
import { openParquetPager, type ParquetPager } from '../io/corpus/parquet-pages.js'
import { RejectRecord } from '../records/reject.js'
import { corpusStatsAccumulator, type CorpusStats } from './corpus-stats.js'
import { buildRejectIndex, type RejectIndex } from './reject-index.js'
import { filterColumns, filterKey, isEmptyFilter, matchesFilter, type SampleFilter } from './sample-filter.js'
import { toViewRow, type ViewRow } from './view-row.js'

/** Most rows one page request may ask for. */
const MAX_PAGE_ROWS = 200
/** Filters whose matches stay cached. */
const CACHED_FILTERS = 8
/** What a grid card needs: not the conversation, which is the costliest column to decode. */
const GRID_COLUMNS = ['id', 'image', 'image_id', 'width', 'height', 'regions']

/** One page of samples. */
interface SamplePage {
  total: number
  offset: number
  rows: ViewRow[]
}

/** One reject with where to draw it (null when the source annotations are not at hand). */
interface ViewReject extends RejectRecord {
  line: number
  image: { path: string; maskPath: string | null; width: number; height: number } | null
  bbox: [number, number, number, number] | null
}

/** Options of openCorpusView. */
export interface CorpusViewOptions {
  /** Corpus directory (with manifest.json and data/*.parquet). */
  dir: string
  /** Overrides the manifest's images root. */
  imagesDir?: string
  /** Overrides the manifest's panoptic root. */
  panopticDir?: string
}

/** What the app's header and sample page show about the corpus. */
interface CorpusInfo {
  dir: string
  name: string
  rows: number
  rowGroups: number
  files: string[]
  hasImages: boolean
  hasMasks: boolean
  manifest: Manifest
}

/** An opened corpus. */
export interface CorpusView {
  info: CorpusInfo
  /** Roots that files may be served from. */
  imagesDir: string | null
  panopticDir: string | null
  page(filter: SampleFilter, offset: number, limit: number): Promise<SamplePage>
  sample(index: number): Promise<ViewRow>
  stats(): Promise<CorpusStats>
  rejects(reason: string | null, offset: number, limit: number): Promise<{ total: number; byReason: Record<string, number>; rows: ViewReject[] }>
  /** Panoptic PNG of a row's image, relative to the panoptic root: the photo's stem + `.png` (pix2cap.md §2, densecoco.py). */
  maskPathOf(row: ViewRow): string | null
  pager: ParquetPager
  close(): Promise<void>
}

const optionPath = (manifest: Manifest, key: string): string | null => {
  const v = (manifest.options as Record<string, unknown>)[key]
  return typeof v === 'string' && v !== '' ? v : null
}

/** Opens a corpus directory written by `pixcap convert` (manifest + Parquet). */
export async function openCorpusView(o: CorpusViewOptions): Promise<CorpusView> {
  const dir = resolve(o.dir)
  const { file: manifestFile, manifest } = await readManifest(dir)
  const parquet = manifest.files.filter((f) => f.kind === 'parquet').map((f) => resolve(dir, f.file))
  if (parquet.length === 0) {
    throw new PixcapError('unsupported', manifestFile, ['files'], 'the corpus has no Parquet files; pixcap view pages Parquet (convert with --format parquet)')
  }
  for (const f of parquet) if (!existsSync(f)) throw new PixcapError('not_found', manifestFile, ['files'], `${f} is listed but missing`)
  const pager = await openParquetPager(parquet)
  const gridColumns = GRID_COLUMNS.filter((c) => pager.columns.includes(c))
  // Decoding a 10,000-row group takes seconds with hyparquet (it decodes whole column chunks), so the first group's
  // grid columns start decoding now, while the user opens the printed URL; the first page then comes from the cache.
  pager.readRows(0, 1, gridColumns).catch(() => {})
  const imagesDir = o.imagesDir ? resolve(o.imagesDir) : optionPath(manifest, 'imagesDir')
  const panopticDir = o.panopticDir ? resolve(o.panopticDir) : optionPath(manifest, 'panopticDir')
  const matches = new Map<string, Promise<Uint32Array>>()
  let stats: Promise<CorpusStats> | null = null
  let rejectIndex: Promise<RejectIndex> | null = null
  const rejectsFile = join(dir, 'rejects.jsonl')

  const findMatches = (filter: SampleFilter): Promise<Uint32Array> => {
    const key = filterKey(filter)
    const hit = matches.get(key)
    if (hit) return hit
    const pending = (async () => {
      let found = new Uint32Array(1024)
      let n = 0
      for await (const { ref, rows } of pager.scanGroups(filterColumns(filter))) {
        rows.forEach((raw, i) => {
          if (!matchesFilter(toViewRow(raw, ref.rowStart + i), filter)) return
          if (n === found.length) {
            const grown = new Uint32Array(found.length * 2)
            grown.set(found)
            found = grown
          }
          found[n++] = ref.rowStart + i
        })
      }
      return found.slice(0, n)
    })()
    pending.catch(() => matches.delete(key))
    matches.set(key, pending)
    while (matches.size > CACHED_FILTERS) matches.delete(matches.keys().next().value as string)
    return pending
  }

  const readRejects = async function* (): AsyncGenerator<{ line: number; reject: RejectRecord }> {
    if (!existsSync(rejectsFile)) return
    let line = 0
    for await (const text of createInterface({ input: createReadStream(rejectsFile), crlfDelay: Infinity })) {
      line++
      if (text.trim() === '') continue
      let value: unknown
      try {
        value = JSON.parse(text)
      } catch {
        throw new PixcapError('invalid_json', rejectsFile, [], `line ${line}: not JSON`)
      }
      const parsed = RejectRecord.safeParse(value)
      if (!parsed.success) throw new PixcapError('schema', rejectsFile, [], `line ${line}: ${parsed.error.issues[0]?.message ?? 'not a reject record'}`)
      yield { line, reject: parsed.data }
    }
  }

  const loadRejectIndex = (): Promise<RejectIndex> => {
    rejectIndex ??= (async () => {
      const ids = new Set<string>()
      for await (const { reject } of readRejects()) ids.add(String(reject.imageId))
      const input = (role: string) => manifest.inputs.find((i) => i.role === role)?.path ?? null
      const imagesDir = typeof manifest.options.imagesDir === 'string' ? manifest.options.imagesDir : null
      return buildRejectIndex({ annotations: input('annotations'), categories: input('categories'), imagesDir, imageIds: ids })
    })()
    return rejectIndex
  }

  return {
    info: {
      dir,
      name: basename(dir),
      rows: pager.totalRows,
      rowGroups: pager.groups.length,
      files: manifest.files.filter((f) => f.kind === 'parquet').map((f) => f.file),
      hasImages: imagesDir !== null,
      hasMasks: panopticDir !== null,
      manifest,
    },
    imagesDir,
    panopticDir,
    pager,
    async page(filter, offset, limit) {
      const lim = Math.min(MAX_PAGE_ROWS, Math.max(1, limit))
      const off = Math.max(0, offset)
      if (isEmptyFilter(filter)) {
        const rows = await pager.readRows(off, off + lim, gridColumns)
        return { total: pager.totalRows, offset: off, rows: rows.map((r, i) => toViewRow(r, off + i)) }
      }
      const found = await findMatches(filter)
      const rows: ViewRow[] = []
      for (const index of found.subarray(off, off + lim)) {
        const [raw] = await pager.readRows(index, index + 1, gridColumns)
        if (raw) rows.push(toViewRow(raw, index))
      }
      return { total: found.length, offset: off, rows }
    },
    async sample(index) {
      const [raw] = Number.isInteger(index) ? await pager.readRows(index, index + 1) : []
      if (!raw) throw new PixcapError('not_found', dir, [], `no sample ${index}; the corpus has ${pager.totalRows} rows`)
      return toViewRow(raw, index)
    },
    stats() {
      stats ??= (async () => {
        const acc = corpusStatsAccumulator()
        for await (const { ref, rows } of pager.scanGroups(['regions'])) rows.forEach((raw, i) => acc.add(toViewRow(raw, ref.rowStart + i)))
        return acc.result()
      })()
      return stats
    },
    async rejects(reason, offset, limit) {
      const lim = Math.min(MAX_PAGE_ROWS, Math.max(1, limit))
      const byReason: Record<string, number> = {}
      const picked: { line: number; reject: RejectRecord }[] = []
      let total = 0
      for await (const item of readRejects()) {
        byReason[item.reject.reason] = (byReason[item.reject.reason] ?? 0) + 1
        if (reason !== null && item.reject.reason !== reason) continue
        if (total >= offset && picked.length < lim) picked.push(item)
        total++
      }
      const index = picked.length > 0 ? await loadRejectIndex() : new Map()
      const rows = picked.map(({ line, reject }): ViewReject => {
        const img = index.get(String(reject.imageId))
        const bbox = img && reject.segmentId !== undefined ? (img.boxes.get(reject.segmentId) ?? null) : null
        return { ...reject, line, image: img ? { path: img.imagePath, maskPath: img.maskPath, width: img.width, height: img.height } : null, bbox }
      })
      return { total, byReason, rows }
    },
    maskPathOf(row) {
      if (!row.image) return null
      return `${basename(row.image, extname(row.image))}.png`
    },
    close: () => pager.close(),
  }
}
