// Visual Genome region captioning, prepared the way Pix2Cap's GPT4RoI evaluation runs it (gpt4roi.md §12):
// the GLaMM/GRiT-style COCO test file has ONE region per "image": the annotation whose id equals the image id
// (`ann = coco.anns[image_id]`), bbox [x, y, w, h] in pixels, reference = its `caption`. Each becomes a question for the
// bridge with the box as [x1, y1, x2, y2] divided by [W, H, W, H]; upstream divides by the image's actual size
// (PIL), so with --images-dir we read W and H from the image header, otherwise from the JSON.
// VG test variants differ (GRiT/ASM multi-region vs GLaMM single-region), so the file's sha256 is recorded.
import { access } from 'node:fs/promises'
import { z } from 'zod'
import { PixcapError } from '../errors.js'
import { readImageSize } from '../io/image-size.js'
import { readJsonFile } from '../io/read-json.js'
import { resolveInside } from '../io/safe-path.js'
import type { RegionQuestion } from '../schemas/region-qa.js'
import { openAtomic, writeFileAtomic } from '../util/atomic-write.js'
import { sha256File } from '../util/sha256.js'

/**
 * The question GPT4RoI's VG evaluation asks (gpt4roi.md §12: `\n` is a newline; the backticks are literal).
 * `<image>` and `<bbox>` are placeholders the bridge expands.
 */
export const VG_REGION_PROMPT = 'The <image> provides an overview of the picture.\nCan you give a description of the region mentioned by `region1 <bbox>`?'

const Id = z.union([z.number(), z.string()])
const BBox = z.array(z.number()).length(4)

/** The GLaMM/GRiT-format test file (only the keys we read). */
export const RawVgCaptionTest = z.looseObject({
  images: z.array(z.looseObject({ id: Id, file_name: z.string(), width: z.number().positive().optional(), height: z.number().positive().optional() })),
  annotations: z.array(z.looseObject({ id: Id, image_id: Id, bbox: z.unknown(), caption: z.string() })),
})

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
}

/** What prepareVgRegionCaption reports. */
export interface VgPrepareResult {
  annotations: string
  annotationsSha256: string
  questions: number
  out: string
  refsOut: string
  sizeFrom: 'image headers' | 'annotation file'
  /** Images whose header size differs from the JSON width/height (the header wins). */
  sizeMismatches: number
  /** Boxes reaching outside the image (kept as given; normalised coordinates then leave [0, 1]). */
  boxesOutside: number
  /** Annotations whose id is no image id: upstream never reads them. */
  unusedAnnotations: number
}

/** Checks a COCO xywh box; returns it or throws with the JSON path. */
function checkBox(value: unknown, file: string, path: (string | number)[]): [number, number, number, number] {
  const r = BBox.safeParse(value)
  if (!r.success) {
    const got = Array.isArray(value) ? `${value.length} value${value.length === 1 ? '' : 's'}${value.every((v) => typeof v === 'number') ? '' : ' (not all numbers)'}` : JSON.stringify(value)
    throw new PixcapError('schema', file, path, `expected 4 numbers [x, y, w, h], got ${got}`)
  }
  const [x, y, w, h] = r.data as [number, number, number, number]
  if (![x, y, w, h].every(Number.isFinite) || w <= 0 || h <= 0) {
    throw new PixcapError('schema', file, path, `box [${x}, ${y}, ${w}, ${h}] needs finite numbers and positive width and height; is it [x1, y1, x2, y2] with x2 < x1?`)
  }
  return [x, y, w, h]
}

/** Reads the test file and writes questions.jsonl and the references file (both atomically). */
export async function prepareVgRegionCaption(opts: VgPrepareOptions): Promise<VgPrepareResult> {
  const file = opts.annotations
  const [data, annotationsSha256] = await Promise.all([readJsonFile(file, RawVgCaptionTest), sha256File(file)])
  const annById = new Map<string, number>()
  data.annotations.forEach((a, i) => annById.set(String(a.id), i))
  const imageIds = new Set(data.images.map((img) => String(img.id)))
  const result: VgPrepareResult = {
    annotations: file, annotationsSha256, questions: 0, out: opts.out, refsOut: opts.refsOut,
    sizeFrom: opts.imagesDir ? 'image headers' : 'annotation file', sizeMismatches: 0, boxesOutside: 0,
    unusedAnnotations: [...annById.keys()].filter((id) => !imageIds.has(id)).length,
  }
  const refs = { info: { description: 'VG region-caption references written by pixcap eval vg-prepare', annotations: file, annotations_sha256: annotationsSha256 }, images: [] as { id: string | number }[], annotations: [] as { id: number; image_id: string | number; caption: string }[] }
  const sink = await openAtomic(opts.out)
  try {
    for (const [i, img] of data.images.entries()) {
      const a = annById.get(String(img.id))
      if (a === undefined) {
        throw new PixcapError('schema', file, ['images', i, 'id'], `no annotation has id ${JSON.stringify(img.id)}; this format needs one region per image with annotation id == image id (GLaMM test_caption.json)`)
      }
      const ann = data.annotations[a] as (typeof data.annotations)[number]
      if (String(ann.image_id) !== String(img.id)) {
        throw new PixcapError('schema', file, ['annotations', a, 'image_id'], `annotation ${JSON.stringify(ann.id)} belongs to image ${JSON.stringify(ann.image_id)}, but the single-region format needs image_id == id`)
      }
      const [x, y, w, h] = checkBox(ann.bbox, file, ['annotations', a, 'bbox'])
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
      if (x < 0 || y < 0 || x + w > width || y + h > height) result.boxesOutside++
      const q: VgQuestion = {
        question_id: img.id, image: img.file_name, width, height, text: VG_REGION_PROMPT,
        boxes: [[x / width, y / height, (x + w) / width, (y + h) / height]],
      }
      await sink.write(`${JSON.stringify(q)}\n`)
      refs.images.push({ id: img.id })
      refs.annotations.push({ id: refs.annotations.length, image_id: img.id, caption: ann.caption })
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
