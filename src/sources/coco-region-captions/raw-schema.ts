// COCO-style region-caption files as stored on disk: `images` plus `annotations` that each carry one region's `bbox`
// ([x, y, w, h] pixels) and its `caption`. This is the shape of GRiT's and GLaMM's Visual Genome test files and of
// GPT4RoI's VG train.json (reference/gpt4roi.md §12; GPT4RoI gpt4roi/datasets/vg.py reads `caption` and `bbox` per
// annotation through pycocotools' COCO). Only the keys pixcap reads are declared; others pass through.
import { z } from 'zod'
import { PixcapError, type JsonPath } from '../../errors.js'

/** Image and annotation ids: integers in these files; strings are accepted where a file keys by name. */
export const RawRegionCaptionId = z.union([z.number(), z.string()])

/** One `images[]` entry. Width and height are optional: evaluation can read them from the image header instead. */
export const RawRegionCaptionImage = z.looseObject({
  id: RawRegionCaptionId,
  file_name: z.string(),
  width: z.number().positive().optional(),
  height: z.number().positive().optional(),
})
export type RawRegionCaptionImage = z.infer<typeof RawRegionCaptionImage>

/** One `annotations[]` entry: a region and its caption. `bbox` is checked by {@link checkRegionBox}. */
export const RawRegionCaptionAnnotation = z.looseObject({
  id: RawRegionCaptionId,
  image_id: RawRegionCaptionId,
  bbox: z.unknown(),
  caption: z.string(),
  category_id: z.number().int().optional(),
  area: z.number().nonnegative().optional(),
  iscrowd: z.union([z.literal(0), z.literal(1)]).optional(),
})
export type RawRegionCaptionAnnotation = z.infer<typeof RawRegionCaptionAnnotation>

/** The whole file. */
export const RawCocoRegionCaptions = z.looseObject({
  images: z.array(RawRegionCaptionImage),
  annotations: z.array(RawRegionCaptionAnnotation),
  categories: z.array(z.looseObject({ id: z.number().int(), name: z.string() })).optional(),
})
export type RawCocoRegionCaptions = z.infer<typeof RawCocoRegionCaptions>

const Box = z.array(z.number()).length(4)

/** Checks a COCO xywh box (4 finite numbers, positive width and height); returns it or throws with the JSON path. */
export function checkRegionBox(value: unknown, file: string, path: JsonPath): [number, number, number, number] {
  const r = Box.safeParse(value)
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
