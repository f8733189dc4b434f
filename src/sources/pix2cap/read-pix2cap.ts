// Pix2Cap-COCO reader: a COCO-panoptic JSON whose segments carry `description` (reference/pix2cap.md §2) -> canonical
// ImageRecords, one per annotated image, regions in `segments_info` order.
// - Annotations are JOINED TO IMAGES BY `image_id`, never by list position: GPT4RoI's DENSECOCO loader zips the two
//   lists by index and silently mislabels images when their order differs (pix2cap.md §3).
// - Segment ids are unique only within an image, so regionId = `<imageId>:<segmentId>` (pix2cap.md §3).
// - images are kept in a compact typed-array table (image-table.ts: memory must not grow with the corpus), categories
//   in a Map; annotations stream one element at a time. COCO panoptic files put `categories` after `annotations`: a streamed file's categories are then read from its end first
//   (io/json-last-member.ts), so one pass suffices; when that is not possible the file is read in two passes (the
//   second skips all but annotations).
// - Nothing vanishes: a bad segment becomes an issue in the report and a DroppedRegion the filter turns into a reject.
import { basename } from 'node:path'
import { readFile } from 'node:fs/promises'
import { PixcapError } from '../../errors.js'
import { checkRelativePath } from '../../io/input/safe-path.js'
import { streamJsonObject, type MemberMode } from '../../io/input/json-array-stream.js'
import { jsonObjectEvents, parseJsonObjectFile } from '../../io/input/json-object-file.js'
import { readLastMember } from '../../io/input/json-last-member.js'
import type { ProgressSink } from '../../util/progress.js'
import type { ImageRecord } from '../../records/index.js'
import { parseWithProblems } from '../../util/zod-issues.js'
import { RawCategoriesFile, RawCategory } from './raw-schema.js'
import { parseRawImage } from './raw-guards.js'
import { addIssue, emptyReport, type Pix2CapReport } from './report.js'
import { mapAnnotation, type CategoryInfo, type SourceImage } from './map-annotation.js'
import { ImageTable } from './image-table.js'
import { onePassReader } from '../one-pass-reader.js'
import type { SourceReader } from '../source-reader.js'

export type { SourceImage } from './map-annotation.js'

export { splitFromFileName } from '../split-name.js'

/** The `source` of every record this reader produces. */
export const PIX2CAP_SOURCE = 'pix2cap-coco'

/** Options of readPix2Cap. */
export interface ReadPix2CapOptions {
  /** Path of the Pix2Cap JSON (pix2cap_coco_{train,val}.json). */
  annotations: string
  /** Separate categories JSON (a list, or an object with `categories`); replaces the file's own categories. */
  categories?: string
  /** Split name; default from the file name (`*_val*` -> val, `*_train*` -> train), else `train`. */
  split?: string
  /** Read chunk size in bytes when streaming (tests use tiny chunks). */
  chunkSize?: number
  /**
   * Files up to this size are read whole and JSON.parsed once for both passes (default WHOLE_FILE_MAX_BYTES,
   * 4 MiB); larger or malformed files stream. 0 always streams (tests cover both paths).
   */
  wholeFileMaxBytes?: number
  onProgress?: ProgressSink
}

/** A reader: iterate `entries()` or `records()` once; `report` is complete after iteration. */
export interface Pix2CapReader extends SourceReader {
  report: Pix2CapReport
  /** Every annotation with its dropped segments (what the filter consumes). */
  entries(): AsyncGenerator<SourceImage>
  /** Only the canonical records. */
  records(): AsyncGenerator<ImageRecord>
}

/** Opens a Pix2Cap-COCO JSON for streaming; nothing is read until `entries()`/`records()` is iterated. */
export function readPix2Cap(options: ReadPix2CapOptions): Pix2CapReader {
  return onePassReader(PIX2CAP_SOURCE, options, (o, _split, report) => readEntries(o, report), emptyReport)
}

async function* readEntries(options: ReadPix2CapOptions, report: Pix2CapReport): AsyncGenerator<SourceImage> {
  const file = options.annotations
  const originFile = basename(file)
  const images = new ImageTable()
  const invalidImageIds = new Set<number>()
  const categories = new Map<number, CategoryInfo>()
  const external = options.categories !== undefined
  if (options.categories !== undefined) await loadCategoriesFile(options.categories, categories, report)
  let annotationsDone = false
  let bytesBefore = 0

  const onImage = (value: unknown, index: number): void => {
    report.counts.images++
    const path = ['images', index]
    const parsed = parseRawImage(value, path)
    if (!parsed.ok) {
      for (const p of parsed.problems) addIssue(report, { kind: 'invalid_image', severity: 'error', path: p.path, detail: p.detail })
      const id = typeof value === 'object' && value !== null ? Reflect.get(value, 'id') : undefined
      if (Number.isInteger(id)) invalidImageIds.add(Number(id))
      return
    }
    const img = parsed.data
    const prior = images.get(img.id)
    if (prior) {
      addIssue(report, {
        kind: 'duplicate_image_id', severity: 'error', path: [...path, 'id'], imageId: img.id,
        detail: `image id ${img.id} already used by images[${prior.index}]; keeping the first`,
      })
      return
    }
    let imagePath: string
    try {
      imagePath = checkRelativePath(img.file_name, { file, path: [...path, 'file_name'] })
    } catch (err) {
      if (!(err instanceof PixcapError)) throw err
      addIssue(report, { kind: 'path_escape', severity: 'error', path: [...err.path], imageId: img.id, detail: err.detail })
      invalidImageIds.add(img.id)
      return
    }
    images.add(img.id, { index, imagePath, width: img.width, height: img.height })
  }

  const onCategory = (value: unknown, index: number): void => {
    report.counts.categories++
    const parsed = parseWithProblems(RawCategory, value, ['categories', index])
    if (!parsed.ok) {
      for (const p of parsed.problems) addIssue(report, { kind: 'invalid_category', severity: 'error', path: p.path, detail: p.detail })
      return
    }
    categories.set(parsed.data.id, { name: parsed.data.name, isThing: parsed.data.isthing === 1 })
  }

  const onAnnotation = (value: unknown, index: number): SourceImage | null => {
    report.counts.annotations++
    const entry = mapAnnotation(value, index, { file, originFile, source: PIX2CAP_SOURCE, split: report.split, images, invalidImageIds, categories, report })
    options.onProgress?.({ kind: 'progress', stage: 'annotations', done: report.counts.annotations })
    return entry
  }

  // Small enough files are parsed once and both passes walk the parsed object (same events, same order); an invalid
  // file is left to the streaming scanner, whose errors name the JSON path and byte offset.
  const whole = options.wholeFileMaxBytes === 0 ? undefined : await parseJsonObjectFile(file, options.wholeFileMaxBytes)
  // A file whose last member is `categories` (COCO panoptic order): read them first, from the end of the file when
  // streaming, so that annotations are mapped in the first pass; the forward pass then skips that member (the
  // scanner still checks its syntax). Both paths do the same, so they report the same passes and bytes.
  let categoriesFromTail = false
  if (!external) {
    const keys = whole ? Object.keys(whole.members) : []
    const last = whole ? { key: keys[keys.length - 1], value: whole.members[keys[keys.length - 1] ?? ''] } : await readLastMember(file)
    if (last?.key === 'categories' && Array.isArray(last.value)) {
      last.value.forEach((value, index) => onCategory(value, index))
      categoriesFromTail = true
    }
  }
  const pass = async function* (mode: (key: string) => MemberMode): AsyncGenerator<SourceImage> {
    report.passes++
    const streamOptions = { mode, chunkSize: options.chunkSize, label: file, onBytes: (n: number) => (report.bytesRead = bytesBefore + n) }
    for await (const event of whole ? jsonObjectEvents(whole, streamOptions) : streamJsonObject(file, streamOptions)) {
      if (event.kind === 'element') {
        if (event.key === 'images') onImage(event.value, event.index)
        else if (event.key === 'categories') onCategory(event.value, event.index)
        else if (event.key === 'annotations') {
          const entry = onAnnotation(event.value, event.index)
          if (entry) yield entry
        }
      } else if (event.kind === 'array_end' && event.key === 'annotations') {
        annotationsDone = true
      }
    }
    bytesBefore = report.bytesRead
  }

  // Pass 1: images and categories; annotations too when both came before them.
  // The scanner is sequential: when a key is reached, every earlier member has been fully scanned (its elements are
  // handled before any later event), so "seen before this key" is what decides whether annotations can stream now.
  const modeOne = (key: string): MemberMode => {
    const before = (k: string) => report.topLevelKeys.includes(k)
    report.topLevelKeys.push(key)
    if (key === 'images') return 'elements'
    if (key === 'categories') return external || categoriesFromTail ? 'skip' : 'elements'
    if (key === 'annotations') return before('images') && (external || categoriesFromTail || before('categories')) ? 'elements' : 'skip'
    return 'skip'
  }
  yield* pass(modeOne)
  const missing = ['images', 'annotations', ...(external ? [] : ['categories'])].filter((k) => !report.topLevelKeys.includes(k))
  if (missing.length > 0) {
    throw new PixcapError('schema', file, [], `expected top-level keys images, annotations and categories; missing ${missing.join(', ')} (found ${report.topLevelKeys.join(', ') || 'none'})`)
  }
  if (!annotationsDone) yield* pass((key) => (key === 'annotations' ? 'elements' : 'skip'))

  for (const { id, index } of images.withoutAnnotation()) {
    addIssue(report, {
      kind: 'image_without_annotation', severity: 'warning', path: ['images', index], imageId: id,
      detail: `image ${id} has no entry in annotations; it yields no record`,
    })
  }
  report.complete = true
}

async function loadCategoriesFile(path: string, into: Map<number, CategoryInfo>, report: Pix2CapReport): Promise<void> {
  // Category files are small (133 entries, ~13 kB): read whole.
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    throw new PixcapError('not_found', path, [], `cannot read the categories file: ${(err as Error).message}`, { cause: err })
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new PixcapError('invalid_json', path, [], (err as Error).message, { cause: err })
  }
  const parsed = parseWithProblems(RawCategoriesFile, json, [])
  if (!parsed.ok) throw new PixcapError('schema', path, [], parsed.problems[0]?.detail ?? 'invalid categories file')
  const list = Array.isArray(parsed.data) ? parsed.data : parsed.data.categories
  const base = Array.isArray(parsed.data) ? [] : ['categories']
  list.forEach((value, index) => {
    report.counts.categories++
    const cat = parseWithProblems(RawCategory, value, [...base, index])
    if (!cat.ok) {
      for (const p of cat.problems) addIssue(report, { kind: 'invalid_category', severity: 'error', file: path, path: p.path, detail: p.detail })
      return
    }
    into.set(cat.data.id, { name: cat.data.name, isThing: cat.data.isthing === 1 })
  })
}
