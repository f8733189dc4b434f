// `pixcap card <corpus>`: writes the dataset card README.md and its pictures (assets/card/*.png) into the corpus.
// The corpus must match its manifest first (io/corpus/verify-corpus.ts): a card describes a corpus that exists.
// Rows are streamed shard by shard to count; only the first row is kept, for the example.
import { readFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { PixcapError } from '../errors.js'
import { embeddedImageFields } from '../formats/embedded-image.js'
import { pixcapVersion } from '../util/pixcap-version.js'
import type { FieldSpec } from '../records/field-spec.js'
import { FORMATS } from '../formats/registry.js'
import { renderExamplePicture, svgToPng, type ExamplePhoto, type ExampleRegion } from '../io/png/card-pictures.js'
import type { ManifestFile } from '../io/corpus/manifest.js'
import { readRowFile, rowFilesOf, type PlainRow } from '../io/corpus/read-corpus-rows.js'
import { assertCorpusIntact, checkCorpus } from '../io/corpus/verify-corpus.js'
import { PIX2CAP_SOURCE } from '../sources/pix2cap/read-pix2cap.js'
import { writeFileAtomic } from '../util/atomic-write.js'
import type { ProgressSink } from '../util/progress.js'
import { cardFrontMatter, type CardSplit } from './card-front-matter.js'
import { cardBody, type CardPictures } from './card-markdown.js'
import { mergeCard } from './card-merge.js'
import { addRow, createCardStats, statsColumns, type CardStats } from './card-stats.js'
import { histogramBars, histogramSvg } from './histogram-svg.js'
import { creditsFor } from './source-credits.js'

/** The card's file name inside a corpus (the Hub reads README.md). */
export const CARD_FILE = 'README.md'
/** Where the card's pictures go, relative to the corpus root. */
const CARD_ASSETS_DIR = 'assets/card'

/** Options of {@link writeDatasetCard}. */
export interface WriteCardOptions {
  dir: string
  /** Where the example row's photo is; default: the manifest's `options.imagesDir`, when it still exists. */
  imagesDir?: string
  /** The id shown in the card's `load_dataset(...)`; default: the corpus folder's name. */
  repo?: string
  prettyName?: string
  onProgress?: ProgressSink
}

/** What was written. */
export interface WriteCardResult {
  card: string
  pictures: string[]
  splits: { name: string; rows: number; files: string[] }[]
  rows: number
  regions: number
  captions: number
  examplePhoto: boolean | null
}

/** Split name of a data file: `data/train-00000-of-00004.parquet` -> train, `jsonl/val.jsonl` -> val. */
function splitOfDataFile(file: string): string {
  const name = basename(file)
  return name.replace(/-\d{5}-of-\d{5}\.parquet$/, '').replace(/\.(parquet|jsonl)$/, '')
}

function shorten(value: unknown, depth = 0): unknown {
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`
  if (typeof value === 'string') return value.length > 200 ? `${value.slice(0, 200)}...` : value
  if (Array.isArray(value)) {
    const head = value.slice(0, 4).map((v) => shorten(v, depth + 1))
    return value.length > 4 ? [...head, `... ${value.length - 4} more`] : head
  }
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shorten(v, depth + 1)]))
  return value
}

/** One top-level key per line, each value on one line: readable without scrolling through every number. */
function compactJson(value: unknown): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return JSON.stringify(value)
  const entries = Object.entries(value).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`)
  return `{\n${entries.join(',\n')}\n}`
}

const isBox = (v: unknown): v is number[] => Array.isArray(v) && v.length === 4 && v.every((x) => typeof x === 'number' && Number.isFinite(x))

/** Regions to draw for a row: `regions[].bbox` (pixels, xywh), else `boxes` (normalised xyxy) scaled to the image. */
function exampleRegions(row: PlainRow, width: number, height: number): ExampleRegion[] {
  if (Array.isArray(row.regions)) {
    return row.regions.flatMap((r) => {
      const o = r as Record<string, unknown>
      return isBox(o?.bbox) ? [{ bbox: o.bbox as [number, number, number, number], category: typeof o.category === 'string' ? o.category : '' }] : []
    })
  }
  if (Array.isArray(row.boxes)) {
    return row.boxes.filter(isBox).map(([x1, y1, x2, y2]) => ({ bbox: [x1! * width, y1! * height, (x2! - x1!) * width, (y2! - y1!) * height], category: '' }))
  }
  return []
}

function examplePhoto(row: PlainRow, imagesDir: string | undefined, where: string): ExamplePhoto {
  const img = row.image
  if (typeof img === 'object' && img !== null && (img as { bytes?: unknown }).bytes instanceof Uint8Array) return { bytes: (img as { bytes: Uint8Array }).bytes }
  if (typeof img === 'string' && imagesDir) return { imagesDir, path: img, where: { file: where, path: ['image'] } }
  return null
}

/** Writes README.md (merged with any existing one) and the pictures; returns what it wrote. */
export async function writeDatasetCard(o: WriteCardOptions): Promise<WriteCardResult> {
  const check = await checkCorpus(o.dir)
  assertCorpusIntact(check, 'write a card')
  const { manifest } = check
  const format = FORMATS[manifest.format.name as keyof typeof FORMATS]
  if (!format) throw new PixcapError('unsupported', check.manifestFile, ['format', 'name'], `unknown format "${manifest.format.name}"; known: ${Object.keys(FORMATS).join(', ')}`)
  let fields: FieldSpec[] | null = null
  if (format.kind === 'rows') fields = manifest.options.embedImages === true ? embeddedImageFields(format.fields, format.name) : [...format.fields]

  // Splits and their files, in the order the manifest lists them.
  const rowFiles = rowFilesOf(manifest.files)
  const bySplit = new Map<string, ManifestFile[]>()
  for (const f of rowFiles) bySplit.set(splitOfDataFile(f.file), [...(bySplit.get(splitOfDataFile(f.file)) ?? []), f])
  const total = createCardStats()
  const splits: (CardSplit & { stats: CardStats })[] = []
  const sources = new Set<string>()
  let example: PlainRow | null = null
  let done = 0
  const rowsTotal = rowFiles.reduce((a, f) => a + f.rows, 0)
  const wantedColumns = fields ? statsColumns(fields) : []
  const columns = wantedColumns.length > 0 ? wantedColumns : undefined
  for (const [name, files] of bySplit) {
    const stats = createCardStats()
    for (const f of files) {
      if (example === null) for await (const row of readRowFile(o.dir, f, check.manifestFile, { limit: 1 })) example = row
      for await (const row of readRowFile(o.dir, f, check.manifestFile, columns ? { columns } : {})) {
        addRow(stats, row)
        addRow(total, row)
        if (typeof row.source === 'string') sources.add(row.source)
        o.onProgress?.({ kind: 'progress', stage: 'rows', done: ++done, total: rowsTotal })
      }
    }
    splits.push({ name, rows: files.reduce((a, f) => a + f.rows, 0), files: files.map((f) => f.file), bytes: files.reduce((a, f) => a + f.bytes, 0), stats })
  }
  if (sources.size === 0) sources.add(PIX2CAP_SOURCE)
  const credits = creditsFor([...sources])

  // Pictures.
  const pictures: CardPictures = { wordsPerCaption: null, regionsPerRow: null, example: null }
  const written: string[] = []
  const writePicture = async (name: string, png: Buffer): Promise<string> => {
    const rel = `${CARD_ASSETS_DIR}/${name}`
    await writeFileAtomic(join(o.dir, rel), png)
    written.push(rel)
    return rel
  }
  if (total.wordsPerCaption.size > 0) {
    pictures.wordsPerCaption = await writePicture('words-per-caption.png', await svgToPng(histogramSvg({ title: 'Words per caption', xLabel: 'words', bars: histogramBars(total.wordsPerCaption) })))
  }
  if (total.regionsPerRow.size > 0) {
    pictures.regionsPerRow = await writePicture('regions-per-row.png', await svgToPng(histogramSvg({ title: 'Regions per row', xLabel: 'regions', bars: histogramBars(total.regionsPerRow) })))
  }
  let examplePhotoShown: boolean | null = null
  let cardExample = null
  if (example) {
    const id = typeof example.id === 'string' ? example.id : String(example.image_id ?? 'row 0')
    const width = typeof example.width === 'number' ? example.width : 0
    const height = typeof example.height === 'number' ? example.height : 0
    const imagesDir = o.imagesDir ?? (typeof manifest.options.imagesDir === 'string' ? manifest.options.imagesDir : undefined)
    let photo = false
    if (width > 0 && height > 0) {
      const rendered = await renderExamplePicture({ photo: examplePhoto(example, imagesDir, check.manifestFile), width, height, regions: exampleRegions(example, width, height) })
      pictures.example = await writePicture('example.png', rendered.png)
      photo = rendered.photo
      examplePhotoShown = photo
    }
    cardExample = { id, photo, json: compactJson(shorten(example)) }
  }

  const prettyName = o.prettyName ?? `${credits.map((c) => c.name).join(' + ')} ${manifest.format.name} (pixcap)`
  const { generated, defaults } = cardFrontMatter({ splits, fields, license: credits.length === 1 ? credits[0]!.license : 'other', prettyName, sourceIds: [...sources].sort() })
  const body = cardBody({
    prettyName,
    formatSummary: format.summary,
    loadId: o.repo ?? basename(o.dir),
    splits,
    total,
    manifest,
    manifestSha256: check.manifestSha256,
    pictures,
    example: cardExample,
    credits,
    pixcapVersion: await pixcapVersion(),
  })
  const cardPath = join(o.dir, CARD_FILE)
  const existing = await readFile(cardPath, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null
    throw new PixcapError('io', cardPath, [], `cannot read the existing card: ${err.message}`)
  })
  await writeFileAtomic(cardPath, mergeCard({ existing, file: cardPath, generated, defaults, block: body, manifestSha256: check.manifestSha256 }))
  return {
    card: cardPath,
    pictures: written,
    splits: splits.map((s) => ({ name: s.name, rows: s.rows, files: s.files })),
    rows: total.rows,
    regions: total.regions,
    captions: total.captions,
    examplePhoto: examplePhotoShown,
  }
}
