// On-disk shapes of COCO-panoptic GT and prediction JSON as the evaluator reads them (STYLE.md §4), and the reads
// that validate them (io/input/read-json.ts: PixcapErrors with the file and JSON path). Fields follow panopticapi (`evaluation.py`
// @ 7bb4655) and Pix2Cap (reference/pix2cap.md §2: GT `description`, prediction `caption`; `score` is ours, for mAP).
import { z } from 'zod'
import { readJsonFile, validateJson, type SchemaGuard } from '../io/input/read-json.js'

const Id = z.number().int().nonnegative()
/** `iscrowd` / `isthing` are 0/1 in COCO; panopticapi tests `== 1`, which Python's True also passes. */
const Flag = z.union([z.number(), z.boolean()])
const ImageId = z.union([z.number(), z.string()])
const Caption = z.union([z.string(), z.array(z.string())])

export const RawPanopticCategory = z.looseObject({ id: Id, name: z.string(), isthing: Flag.optional() })
export type RawPanopticCategory = z.infer<typeof RawPanopticCategory>

export const RawGtSegment = z.looseObject({
  id: Id,
  category_id: Id,
  iscrowd: Flag.optional(),
  area: z.number().nonnegative(),
  description: Caption.optional(),
})
export type RawGtSegment = z.infer<typeof RawGtSegment>

export const RawGtAnnotation = z.looseObject({ image_id: ImageId, file_name: z.string(), segments_info: z.array(RawGtSegment) })
export type RawGtAnnotation = z.infer<typeof RawGtAnnotation>

export const RawPanopticGt = z.looseObject({ annotations: z.array(RawGtAnnotation), categories: z.array(RawPanopticCategory) })
export type RawPanopticGt = z.infer<typeof RawPanopticGt>

export const RawPredSegment = z.looseObject({
  id: Id,
  category_id: Id,
  caption: Caption.optional(),
  /** Detection confidence for the dense-caption mAP (absent: see DEFAULT_DETECTION_SCORE). */
  score: z.number().finite().optional(),
})
export type RawPredSegment = z.infer<typeof RawPredSegment>

export const RawPredAnnotation = z.looseObject({ image_id: ImageId, file_name: z.string(), segments_info: z.array(RawPredSegment) })
export type RawPredAnnotation = z.infer<typeof RawPredAnnotation>

export const RawPanopticPred = z.looseObject({ annotations: z.array(RawPredAnnotation) })
export type RawPanopticPred = z.infer<typeof RawPanopticPred>

/** True when a 0/1 flag is set (`== 1` in panopticapi). */
export function flagSet(v: number | boolean | undefined): boolean {
  return v === 1 || v === true
}

/** Validates parsed JSON against `schema`; the error names the file, the JSON path of the first issue, and how many more. */
function parseAt<T extends z.ZodType>(schema: T, value: unknown, file: string): z.infer<T> {
  return validateJson(schema, value, file)
}

/** Reads and validates a JSON file (a guard, when given, spares zod the walk over a valid file). */
export function readJsonAt<T extends z.ZodType>(schema: T, file: string, guard?: SchemaGuard<T>): Promise<z.infer<T>> {
  return readJsonFile(file, schema, guard)
}

// Plain type guards for the schemas above (a COCO val file has ~5,000 annotations and ~100,000 segments): each accepts
// a value only where its schema would accept it unchanged, so zod runs only on a file with a problem and words it.
// The schemas are loose (unknown keys kept), so a value that passes is exactly what zod would return.
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
// zod's .int() accepts safe integers only; z.number() rejects NaN and ±Infinity.
const isId = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0
const isFlag = (v: unknown): boolean => typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))
const isImageId = (v: unknown): boolean => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))
const isCaption = (v: unknown): boolean => typeof v === 'string' || (Array.isArray(v) && v.every((s) => typeof s === 'string'))
const everyOf = (v: unknown, ok: (x: unknown) => boolean): boolean => {
  if (!Array.isArray(v)) return false
  for (const x of v) if (!ok(x)) return false
  return true
}

export const isRawPanopticCategory = (v: unknown): v is RawPanopticCategory =>
  isRecord(v) && isId(v.id) && typeof v.name === 'string' && (v.isthing === undefined || isFlag(v.isthing))

export const isRawGtSegment = (v: unknown): v is RawGtSegment =>
  isRecord(v) && isId(v.id) && isId(v.category_id) && (v.iscrowd === undefined || isFlag(v.iscrowd)) &&
  typeof v.area === 'number' && Number.isFinite(v.area) && v.area >= 0 && (v.description === undefined || isCaption(v.description))

export const isRawGtAnnotation = (v: unknown): v is RawGtAnnotation =>
  isRecord(v) && isImageId(v.image_id) && typeof v.file_name === 'string' && everyOf(v.segments_info, isRawGtSegment)

export const isRawPanopticGt: SchemaGuard<typeof RawPanopticGt> = (v: unknown): v is RawPanopticGt =>
  isRecord(v) && everyOf(v.annotations, isRawGtAnnotation) && everyOf(v.categories, isRawPanopticCategory)

export const isRawPredSegment = (v: unknown): v is RawPredSegment =>
  isRecord(v) && isId(v.id) && isId(v.category_id) && (v.caption === undefined || isCaption(v.caption)) &&
  (v.score === undefined || (typeof v.score === 'number' && Number.isFinite(v.score)))

export const isRawPredAnnotation = (v: unknown): v is RawPredAnnotation =>
  isRecord(v) && isImageId(v.image_id) && typeof v.file_name === 'string' && everyOf(v.segments_info, isRawPredSegment)

export const isRawPanopticPred: SchemaGuard<typeof RawPanopticPred> = (v: unknown): v is RawPanopticPred =>
  isRecord(v) && everyOf(v.annotations, isRawPredAnnotation)
