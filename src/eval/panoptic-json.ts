// On-disk shapes of COCO-panoptic GT and prediction JSON as the evaluator reads them (STYLE.md §4), and the reads
// that validate them (io/read-json.ts: PixcapErrors with the file and JSON path). Fields follow panopticapi (`evaluation.py`
// @ 7bb4655) and Pix2Cap (reference/pix2cap.md §2: GT `description`, prediction `caption`; `score` is ours, for mAP).
import { z } from 'zod'
import { readJsonFile, validateJson } from '../io/read-json.js'

const Id = z.number().int().nonnegative()
/** `iscrowd` / `isthing` are 0/1 in COCO; panopticapi tests `== 1`, which Python's True also passes. */
const Flag = z.union([z.number(), z.boolean()])
const ImageId = z.union([z.number(), z.string()])
const Caption = z.union([z.string(), z.array(z.string())])

export const RawPanopticCategory = z.object({ id: Id, name: z.string(), isthing: Flag.optional() })
export type RawPanopticCategory = z.infer<typeof RawPanopticCategory>

export const RawGtSegment = z.object({
  id: Id,
  category_id: Id,
  iscrowd: Flag.optional(),
  area: z.number().nonnegative(),
  description: Caption.optional(),
})
export type RawGtSegment = z.infer<typeof RawGtSegment>

export const RawGtAnnotation = z.object({ image_id: ImageId, file_name: z.string(), segments_info: z.array(RawGtSegment) })
export type RawGtAnnotation = z.infer<typeof RawGtAnnotation>

export const RawPanopticGt = z.object({ annotations: z.array(RawGtAnnotation), categories: z.array(RawPanopticCategory) })
export type RawPanopticGt = z.infer<typeof RawPanopticGt>

export const RawPredSegment = z.object({
  id: Id,
  category_id: Id,
  caption: Caption.optional(),
  /** Detection confidence for the dense-caption mAP (absent: see DEFAULT_DETECTION_SCORE). */
  score: z.number().finite().optional(),
})
export type RawPredSegment = z.infer<typeof RawPredSegment>

export const RawPredAnnotation = z.object({ image_id: ImageId, file_name: z.string(), segments_info: z.array(RawPredSegment) })
export type RawPredAnnotation = z.infer<typeof RawPredAnnotation>

export const RawPanopticPred = z.object({ annotations: z.array(RawPredAnnotation) })
export type RawPanopticPred = z.infer<typeof RawPanopticPred>

/** True when a 0/1 flag is set (`== 1` in panopticapi). */
export function flagSet(v: number | boolean | undefined): boolean {
  return v === 1 || v === true
}

/** Validates parsed JSON against `schema`; the error names the file, the JSON path of the first issue, and how many more. */
export function parseAt<T extends z.ZodType>(schema: T, value: unknown, file: string): z.infer<T> {
  return validateJson(schema, value, file)
}

/** Reads and validates a JSON file. */
export function readJsonAt<T extends z.ZodType>(schema: T, file: string): Promise<z.infer<T>> {
  return readJsonFile(file, schema)
}
