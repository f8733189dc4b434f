// Visual Genome region captioning, prepared the way Pix2Cap's GPT4RoI evaluation runs it (gpt4roi.md §12):
// GLaMM's test_caption.json has ONE region per "image": the annotation whose id equals the image id
// (`ann = coco.anns[image_id]`), bbox [x, y, w, h] in pixels, reference = its `caption`. GRiT's test.json (what
// GPT4RoI's paper used) has several regions per image; each becomes its own question keyed by the annotation id. Each becomes a question for the
// bridge with the box as [x1, y1, x2, y2] divided by [W, H, W, H]; upstream divides by the image's actual size
// (PIL), so with --images-dir we read W and H from the image header, otherwise from the JSON.
// VG test variants differ (GRiT/ASM multi-region vs GLaMM single-region), so the file's sha256 is recorded.
// The file is read by the registered `coco-region-captions` source (its schema, its box rule), the same reader that
// `pixcap convert --from coco-region-captions` uses; the layout join below is the evaluation's own.
import { access } from 'node:fs/promises'
import { PixcapError } from '../errors.js'
import { readImageSize } from '../io/image-size.js'
import { resolveInside } from '../io/safe-path.js'
import type { RegionQuestion } from '../schemas/region-qa.js'
import { readCocoRegionCaptionsFile } from '../sources/coco-region-captions/read-coco-region-captions.js'
import { checkRegionBox } from '../sources/coco-region-captions/raw-schema.js'
import { openAtomic, writeFileAtomic } from '../util/atomic-write.js'
import { sha256File } from '../util/sha256.js'

/**
 * The question GPT4RoI's VG evaluation asks (gpt4roi.md §12: `\n` is a newline; the backticks are literal).
 * `<image>` and `<bbox>` are placeholders the bridge expands.
 */
export const VG_REGION_PROMPT = 'The <image> provides an overview of the picture.\nCan you give a description of the region mentioned by `region1 <bbox>`?'

/** One bridge question (a line of questions.jsonl): the shared question line of src/schemas/region-qa.ts. */
export type VgQuestion = RegionQuestion

/** Options of prepareVgRegionCaption. */
export interface VgPrepareOptions {
  annotations: string
  /** Where the images are; W and H then come from the image headers (as upstream), and missing images are errors. */
  imagesDir?: string
  out: string
  /** References for `pixcap eval captions` (COCO captions format); default: beside `out`, `references.json`. */
  refsOut: string
  /** The test file's layout; default: detected (detectVgLayout). */
  layout?: VgTestLayout
}

/** What prepareVgRegionCaption reports. */
export interface VgPrepareResult {
  annotations: string
  annotationsSha256: string
  layout: VgTestLayout
  questions: number
  out: string
  refsOut: string
  sizeFrom: 'image headers' | 'annotation file'
  /** Images whose header size differs from the JSON width/height (the header wins). */
  sizeMismatches: number
  /** Boxes reaching outside the image (kept as given; normalised coordinates then leave [0, 1]). */
  boxesOutside: number
  /** glamm: annotations whose id is no image id (upstream never reads them); grit: annotations of no listed image. */
  unusedAnnotations: number
}

/**
 * The two VG test layouts (gpt4roi.md §12): `glamm` = GLaMM's test_caption.json, one region per "image" whose
 * annotation id equals the image id (Pix2Cap's evaluate_VG.sh); `grit` = GRiT's test.json, several regions per image
 * (what GPT4RoI's paper scored, GPT4RoI issue 28). Under `grit` each annotation is one question and one reference set,
 * keyed by the annotation id.
 */
export type VgTestLayout = 'glamm' | 'grit'

/**
 * `glamm` when every image has an annotation whose id is the image id (GLaMM's convention; GRiT's annotation ids are
 * 1..N and its image ids VG's, so they never all coincide); else `grit`. Pass the layout to force one.
 */
export function detectVgLayout(data: { images: { id: unknown }[]; annotations: { id: unknown; image_id: unknown }[] }): VgTestLayout {
  const ids = new Set(data.annotations.map((a) => String(a.id)))
  return data.images.length > 0 && data.images.every((img) => ids.has(String(img.id))) ? 'glamm' : 'grit'
}

/** Reads the test file and writes questions.jsonl and the references file (both atomically). */
export async function prepareVgRegionCaption(opts: VgPrepareOptions): Promise<VgPrepareResult> {
  const file = opts.annotations
  const [data, annotationsSha256] = await Promise.all([readCocoRegionCaptionsFile(file), sha256File(file)])
  const layout = opts.layout ?? detectVgLayout(data)
  const annById = new Map<string, number>()
  data.annotations.forEach((a, i) => annById.set(String(a.id), i))
  const imageIds = new Set(data.images.map((img) => String(img.id)))
  const result: VgPrepareResult = {
    annotations: file, annotationsSha256, layout, questions: 0, out: opts.out, refsOut: opts.refsOut,
    sizeFrom: opts.imagesDir ? 'image headers' : 'annotation file', sizeMismatches: 0, boxesOutside: 0,
    unusedAnnotations: layout === 'glamm' ? [...annById.keys()].filter((id) => !imageIds.has(id)).length : data.annotations.filter((a) => !imageIds.has(String(a.image_id))).length,
  }
  const refs = { info: { description: 'VG region-caption references written by pixcap eval vg-prepare', annotations: file, annotations_sha256: annotationsSha256, layout }, images: [] as { id: string | number }[], annotations: [] as { id: number; image_id: string | number; caption: string }[] }
  // Image size per image index, read once (header or JSON).
  const sizes = new Map<number, { width: number; height: number }>()
  const sizeOf = async (i: number): Promise<{ width: number; height: number }> => {
    const known = sizes.get(i)
    if (known) return known
    const img = data.images[i] as (typeof data.images)[number]
    let width = img.width
    let height = img.height
    if (opts.imagesDir !== undefined) {
      const path = resolveInside(opts.imagesDir, img.file_name, { file, path: ['images', i, 'file_name'] })
      await access(path).catch(() => {
        throw new PixcapError('not_found', file, ['images', i, 'file_name'], `${JSON.stringify(img.file_name)} not found under ${opts.imagesDir}`)
      })
      const size = await readImageSize(path)
      if ((width !== undefined && width !== size.width) || (height !== undefined && height !== size.height)) result.sizeMismatches++
      width = size.width
      height = size.height
    }
    if (width === undefined || height === undefined) {
      throw new PixcapError('schema', file, ['images', i], 'has no width/height; pass --images-dir to read the size from the image')
    }
    sizes.set(i, { width, height })
    return { width, height }
  }
  // (image index, annotation index, question id) in the order questions are written.
  const pairs: [number, number, string | number][] = []
  if (layout === 'glamm') {
    for (const [i, img] of data.images.entries()) {
      const a = annById.get(String(img.id))
      if (a === undefined) {
        throw new PixcapError('schema', file, ['images', i, 'id'], `no annotation has id ${JSON.stringify(img.id)}; this format needs one region per image with annotation id == image id (GLaMM test_caption.json)`)
      }
      const ann = data.annotations[a] as (typeof data.annotations)[number]
      if (String(ann.image_id) !== String(img.id)) {
        throw new PixcapError('schema', file, ['annotations', a, 'image_id'], `annotation ${JSON.stringify(ann.id)} belongs to image ${JSON.stringify(ann.image_id)}, but the single-region format needs image_id == id`)
      }
      pairs.push([i, a, img.id])
    }
  } else {
    const imageIndex = new Map(data.images.map((img, i) => [String(img.id), i]))
    const seen = new Set<string>()
    for (const [a, ann] of data.annotations.entries()) {
      if (seen.has(String(ann.id))) throw new PixcapError('schema', file, ['annotations', a, 'id'], `annotation id ${JSON.stringify(ann.id)} is used twice; GRiT's test.json has unique annotation ids (they key the results)`)
      seen.add(String(ann.id))
      const i = imageIndex.get(String(ann.image_id))
      if (i !== undefined) pairs.push([i, a, ann.id])
    }
  }
  const sink = await openAtomic(opts.out)
  try {
    for (const [i, a, questionId] of pairs) {
      const img = data.images[i] as (typeof data.images)[number]
      const ann = data.annotations[a] as (typeof data.annotations)[number]
      const [x, y, w, h] = checkRegionBox(ann.bbox, file, ['annotations', a, 'bbox'])
      const { width, height } = await sizeOf(i)
      if (x < 0 || y < 0 || x + w > width || y + h > height) result.boxesOutside++
      const q: VgQuestion = {
        question_id: questionId, image: img.file_name, width, height, text: VG_REGION_PROMPT,
        boxes: [[x / width, y / height, (x + w) / width, (y + h) / height]],
      }
      await sink.write(`${JSON.stringify(q)}\n`)
      refs.images.push({ id: questionId })
      refs.annotations.push({ id: refs.annotations.length, image_id: questionId, caption: ann.caption })
      result.questions++
    }
    await writeFileAtomic(opts.refsOut, `${JSON.stringify(refs)}\n`)
    await sink.commit()
  } catch (err) {
    await sink.abort()
    throw err
  }
  return result
}
