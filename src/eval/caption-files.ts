// The two files `pixcap eval captions` reads:
// - results in COCO results format, `[{ "image_id": 42, "caption": "..." }]` (extra keys such as "score" allowed);
// - references COCO-style, `{ "images": [{ "id" }], "annotations": [{ "image_id", "caption" }] }`, or a plain map
//   `{ "<id>": ["ref 1", "ref 2"] }`.
// Ids are compared as strings (42 and "42" are the same image), as JSON object keys are.
import { z } from 'zod'
import { PixcapError } from '../errors.js'
import { readJsonFile, validateJson } from '../io/input/read-json.js'

const ImageId = z.union([z.number(), z.string()])

/** One entry of a COCO results file. */
export const RawCaptionResult = z.looseObject({ image_id: ImageId, caption: z.string() })
export type RawCaptionResult = z.infer<typeof RawCaptionResult>

/** A COCO captions file (only the keys we read). */
const RawCocoCaptions = z.looseObject({
  images: z.array(z.looseObject({ id: ImageId })).optional(),
  annotations: z.array(z.looseObject({ image_id: ImageId, caption: z.string() })),
})

/** A plain reference map `{ id: [captions] }`. */
const RawReferenceMap = z.record(z.string(), z.array(z.string()))

/** Hypotheses in file order, keyed by string id; `ids` keeps the original JSON value for reports. */
export interface CaptionPredictions {
  hyps: Map<string, string>
  ids: Map<string, string | number>
  /** Index of each id's entry in the results file, for error paths (absent for merged shards). */
  index?: Map<string, number>
}

/** References in the file's image order (images list first, then annotation order). */
export type CaptionReferences = Map<string, string[]>

/** Reads a COCO results file; duplicate image ids are an error (pycocoevalcap needs exactly one hypothesis). */
export async function readCaptionPredictions(file: string): Promise<CaptionPredictions> {
  const rows = await readJsonFile(file, z.array(RawCaptionResult))
  const hyps = new Map<string, string>()
  const ids = new Map<string, string | number>()
  const first = new Map<string, number>()
  rows.forEach((row, i) => {
    const key = String(row.image_id)
    const prev = first.get(key)
    if (prev !== undefined) {
      throw new PixcapError('schema', file, [i, 'image_id'],
        `image_id ${JSON.stringify(row.image_id)} already has a caption at [${prev}]; pycocoevalcap scores exactly one caption per image`)
    }
    first.set(key, i)
    hyps.set(key, row.caption)
    ids.set(key, row.image_id)
  })
  return { hyps, ids, index: first }
}

/** Reads COCO-style references or a plain `{id: [refs]}` map. */
export async function readCaptionReferences(file: string): Promise<CaptionReferences> {
  const json = await readJsonFile(file, z.unknown())
  const refs: CaptionReferences = new Map()
  if (json !== null && typeof json === 'object' && !Array.isArray(json) && 'annotations' in json) {
    const coco = validateJson(RawCocoCaptions, json, file)
    for (const img of coco.images ?? []) refs.set(String(img.id), [])
    for (const ann of coco.annotations) {
      const key = String(ann.image_id)
      const list = refs.get(key)
      if (list) list.push(ann.caption)
      else refs.set(key, [ann.caption])
    }
    return refs
  }
  if (Array.isArray(json)) {
    throw new PixcapError('schema', file, [], 'expected references as COCO captions ({"images", "annotations"}) or a map {"<id>": ["caption", ...]}, got an array; is this a results file?')
  }
  for (const [id, list] of Object.entries(validateJson(RawReferenceMap, json, file))) refs.set(id, list)
  return refs
}
