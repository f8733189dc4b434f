// On-disk shapes of COCO-panoptic GT and prediction JSON as the evaluator reads them (STYLE.md §4), and the parse
// that turns zod issues into PixcapErrors with the file and JSON path. Fields follow panopticapi (`evaluation.py`
// @ 7bb4655) and Pix2Cap (reference/pix2cap.md §2: GT `description`, prediction `caption`; `score` is ours, for mAP).
import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import { PixcapError } from '../errors.js'

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
  const r = schema.safeParse(value)
  if (r.success) return r.data
  const [first] = r.error.issues
  const more = r.error.issues.length - 1
  const path = (first?.path ?? []).filter((k): k is string | number => typeof k !== 'symbol')
  throw new PixcapError('schema', file, path, `${first?.message ?? 'invalid'}${more > 0 ? ` (and ${more} more issue(s))` : ''}`)
}

/** Reads and validates a JSON file. */
export async function readJsonAt<T extends z.ZodType>(schema: T, file: string): Promise<z.infer<T>> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    throw new PixcapError('io', file, [], `cannot read: ${(err as Error).message}`, { cause: err })
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new PixcapError('invalid_json', file, [], (err as Error).message, { cause: err })
  }
  return parseAt(schema, value, file)
}
