// Fast checks for the hot raw shapes (167k segments per Pix2Cap-COCO train file): plain type guards that accept a
// value only when the zod schema in raw-schema.ts would accept it unchanged (each check is as strict or stricter).
// Zod runs only when a guard says no, so every error message still comes from the schema.
import type { JsonPath } from '../../errors.js'
import { parseWithProblems, type SchemaProblem } from '../../util/zod-issues.js'
import { RawAnnotationShell, RawImage, RawSegment } from './raw-schema.js'

type Parsed<T> = { ok: true; data: T } | { ok: false; problems: SchemaProblem[] }

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

// zod's .int() accepts safe integers only; z.number() rejects NaN and ±Infinity.
const isInt = (v: unknown): v is number => Number.isSafeInteger(v)
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
const isName = (v: unknown): v is string => typeof v === 'string' && v.length > 0

function isRawSegment(v: unknown): v is RawSegment {
  if (!isRecord(v)) return false
  const { id, category_id, iscrowd, bbox, area, description } = v
  if (!isInt(id) || !isInt(category_id) || (iscrowd !== 0 && iscrowd !== 1)) return false
  if (!Array.isArray(bbox) || bbox.length !== 4 || !isNum(bbox[0]) || !isNum(bbox[1]) || !isNum(bbox[2]) || !isNum(bbox[3])) return false
  if (!isNum(area) || area < 0) return false
  if (typeof description === 'string') return true
  if (!Array.isArray(description)) return false
  for (const d of description) if (typeof d !== 'string') return false
  return true
}

function isRawAnnotationShell(v: unknown): v is RawAnnotationShell {
  return isRecord(v) && isInt(v.image_id) && isName(v.file_name) && Array.isArray(v.segments_info)
}

function isRawImage(v: unknown): v is RawImage {
  return isRecord(v) && isInt(v.id) && isName(v.file_name) && isInt(v.width) && v.width > 0 && isInt(v.height) && v.height > 0
}

/** RawSegment: the value itself when it passes the guard, else zod's verdict. */
export function parseRawSegment(value: unknown, path: JsonPath | (() => JsonPath)): Parsed<RawSegment> {
  // `path` may be a function: it runs once per segment of the corpus, and the path is only needed to word a problem.
  return isRawSegment(value) ? { ok: true, data: value } : parseWithProblems(RawSegment, value, typeof path === 'function' ? path() : path)
}

/** RawAnnotationShell: the value itself when it passes the guard, else zod's verdict. */
export function parseRawAnnotationShell(value: unknown, path: JsonPath): Parsed<RawAnnotationShell> {
  return isRawAnnotationShell(value) ? { ok: true, data: value } : parseWithProblems(RawAnnotationShell, value, path)
}

/** RawImage: the value itself when it passes the guard, else zod's verdict. */
export function parseRawImage(value: unknown, path: JsonPath): Parsed<RawImage> {
  return isRawImage(value) ? { ok: true, data: value } : parseWithProblems(RawImage, value, path)
}
