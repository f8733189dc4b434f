// A written corpus as the input of split / mix / dedup / contamination: its checked manifest, its row format's
// declared columns, and its rows in a fixed order (manifest file order, then row order), so every decision these
// commands take is a function of the row's position and the seed alone.
// What a row means to curation is read from its columns by name, never from the format's name (STYLE.md §7):
//   image:   `image` | `file_name` | `source_image` | `images[0]` (a path relative to the images root)
//   key:     the image path when present, else `image_id` (the unit split keeps together and dedup/contamination
//            report): in a mix, Pix2Cap-COCO and mdetr RefCOCOg rows of one COCO photo share `000000000139.jpg`,
//            while a VG image id 139 is another photo, so ids alone would join unrelated images
//   regions: `regions[]` (gpt4roi) or `annotation[]` (osprey); region-less rows (llava) count 0 regions.
import { PixcapError } from '../errors.js'
import { embeddedImageFields } from '../formats/embedded-image.js'
import type { FieldSpec } from '../records/field-spec.js'
import { FORMATS } from '../formats/registry.js'
import type { RowFormat } from '../formats/target-format.js'
import type { Manifest, ManifestFile } from '../io/corpus/manifest.js'
import { readRowFile, rowFilesOf, type PlainRow } from '../io/corpus/read-corpus-rows.js'
import { assertCorpusIntact, checkCorpus } from '../io/corpus/verify-corpus.js'

/** A checked corpus, ready to read. */
export interface CorpusSource {
  dir: string
  manifestFile: string
  manifest: Manifest
  manifestSha256: string
  format: RowFormat
  /** Column declarations its rows were written with (with embedded images when the corpus has them). */
  fields: FieldSpec[]
  /** Data files holding the rows (parquet, else jsonl), in manifest order. */
  rowFiles: ManifestFile[]
  /** Output kinds the corpus was written in (parquet, arrow, jsonl, json): derived corpora keep them. */
  outputs: ('parquet' | 'arrow' | 'jsonl' | 'json')[]
  rows: number
}

/** Opens a corpus for curation: checks it against its manifest and refuses document formats. */
export async function openCorpusSource(dir: string, action: string): Promise<CorpusSource> {
  const check = await checkCorpus(dir)
  assertCorpusIntact(check, action)
  const { manifest } = check
  const format = FORMATS[manifest.format.name as keyof typeof FORMATS]
  if (!format) throw new PixcapError('unsupported', check.manifestFile, ['format', 'name'], `unknown format "${manifest.format.name}"; known: ${Object.keys(FORMATS).join(', ')}`)
  if (format.kind !== 'rows') {
    throw new PixcapError('unsupported', check.manifestFile, ['format', 'name'], `${action} works on row corpora (parquet/jsonl); "${format.name}" is one JSON document per split; convert to a row format (e.g. --to gpt4roi) first`)
  }
  if (manifest.files.some((f) => f.kind === 'image')) {
    throw new PixcapError('unsupported', check.manifestFile, ['files'], `${action} cannot carry rendered images (files of kind "image", e.g. vip-llava renders); curate a corpus without them and render afterwards`)
  }
  const fields = manifest.options.embedImages === true ? embeddedImageFields(format.fields, format.name) : [...format.fields]
  const rowFiles = rowFilesOf(manifest.files)
  const kinds = new Set(manifest.files.map((f) => f.kind))
  const outputs = (['parquet', 'arrow', 'jsonl', 'json'] as const).filter((k) => kinds.has(k))
  return { dir, manifestFile: check.manifestFile, manifest, manifestSha256: check.manifestSha256, format, fields, rowFiles, outputs, rows: rowFiles.reduce((a, f) => a + f.rows, 0) }
}

/** Split name of a data file: `data/train-00000-of-00004.parquet` -> train, `jsonl/val.jsonl` -> val. */
export function splitOfRowFile(file: string): string {
  const name = file.slice(file.lastIndexOf('/') + 1)
  return name.replace(/-\d{5}-of-\d{5}\.parquet$/, '').replace(/\.(parquet|jsonl)$/, '')
}

/** One row with where it came from. */
export interface SourcedRow {
  /** Position in the corpus's row order (0-based). */
  index: number
  /** Split of the data file it was read from. */
  split: string
  row: PlainRow
}

/** Every row of the corpus, in its fixed order. `columns` limits what Parquet decodes. */
export async function* readCorpusRows(c: CorpusSource, o: { columns?: string[] } = {}): AsyncGenerator<SourcedRow> {
  let index = 0
  const declared = new Set(c.fields.map((f) => f.name))
  const columns = o.columns?.filter((name) => declared.has(name))
  for (const f of c.rowFiles) {
    const split = splitOfRowFile(f.file)
    for await (const row of readRowFile(c.dir, f, c.manifestFile, columns ? { columns } : {})) yield { index: index++, split, row }
  }
}

/** Columns curation reads in its first pass (whatever of them the format declares). */
export const CURATION_COLUMNS = ['id', 'image', 'file_name', 'source_image', 'images', 'image_id', 'regions', 'annotation', 'source']

/** The image path a row refers to (relative to the images root), or undefined for rows with embedded bytes only. */
export function rowImagePath(row: PlainRow): string | undefined {
  for (const key of ['image', 'file_name', 'source_image'] as const) {
    const v = row[key]
    if (typeof v === 'string' && v !== '') return v
    if (typeof v === 'object' && v !== null && typeof (v as { path?: unknown }).path === 'string') return (v as { path: string }).path
  }
  const images = row.images
  if (Array.isArray(images) && typeof images[0] === 'string') return images[0]
  return undefined
}

/** The unit that split keeps together: the image path, else `image_id`, else the row id. */
export function rowImageKey(row: PlainRow, index: number): string {
  const path = rowImagePath(row)
  if (path !== undefined) return path
  const id = row.image_id
  if (typeof id === 'string' || typeof id === 'number') return String(id)
  return typeof row.id === 'string' ? row.id : `row:${index}`
}

/** The id a reject names: the row's `image_id` when it has one, else its image key. */
export function rowRejectImageId(row: PlainRow, key: string): string {
  const id = row.image_id
  return typeof id === 'string' || typeof id === 'number' ? String(id) : key
}

/** A region as curation sees it. */
export interface RowRegion {
  regionId?: string
  caption?: string
  bbox?: number[]
}

/** The regions a row carries (`regions[]` or `annotation[]`); empty for image-level rows. */
export function rowRegions(row: PlainRow): RowRegion[] {
  const list = Array.isArray(row.regions) ? row.regions : Array.isArray(row.annotation) ? row.annotation : []
  return list.map((r) => {
    const o = (typeof r === 'object' && r !== null ? r : {}) as Record<string, unknown>
    return {
      ...(typeof o.region_id === 'string' ? { regionId: o.region_id } : {}),
      ...(typeof o.caption === 'string' ? { caption: o.caption } : {}),
      ...(Array.isArray(o.bbox) ? { bbox: o.bbox.map(Number) } : {}),
    }
  })
}

/** The source name written in a row, or the format's default. */
export function rowSource(row: PlainRow, fallback: string): string {
  return typeof row.source === 'string' && row.source !== '' ? row.source : fallback
}
