// VCR (Visual Commonsense Reasoning, Zellers et al. 2019) as GPT4RoI's loader reads it (jshilong/GPT4RoI
// gpt4roi/datasets/vcr.py VCRDataset.load_annotations; stage-2 config gpt4roi/configs/stage2.py `vcr` entry:
// ann_file ./data/vcr/train.jsonl, img_prefix ./data/vcr/vcr1images). Two kinds of file:
//   train.jsonl, one annotation per line: { annot_id, img_id?, img_fn, metadata_fn, objects: [class name per object],
//     question_orig, answer_orig, rationale_orig, ... }; objects are referred to in the *_orig texts by their
//     1-based number ("Why is 1 looking at 2?");
//   <img_prefix>/<metadata_fn>, one per image: { boxes: [[x1, y1, x2, y2, score] per object], width, height, ... }.
// Only the keys pixcap reads are declared.
import { z } from 'zod'

/** One line of the annotation file. */
export const RawVcrAnnotation = z.looseObject({
  annot_id: z.string().min(1).optional(),
  img_id: z.string().min(1).optional(),
  img_fn: z.string().min(1),
  metadata_fn: z.string().min(1),
  objects: z.array(z.string()),
  question_orig: z.string(),
  answer_orig: z.string(),
  rationale_orig: z.string(),
})
export type RawVcrAnnotation = z.infer<typeof RawVcrAnnotation>

/** A per-image metadata file: detector boxes (xyxy + score, pixels) in object order, and the image size. */
export const RawVcrMetadata = z.looseObject({
  boxes: z.array(z.array(z.number()).min(4)),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
})
export type RawVcrMetadata = z.infer<typeof RawVcrMetadata>

const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string')
const optionalId = (v: unknown): boolean => v === undefined || (typeof v === 'string' && v !== '')

/**
 * A plain check that accepts a line exactly when {@link RawVcrAnnotation} would (zod only runs, to word the problem,
 * when this says no): most of a VCR read's time was zod's, on lines that are fine.
 */
export function isRawVcrAnnotation(v: unknown): v is RawVcrAnnotation {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  const o = v as Record<string, unknown>
  return (
    optionalId(o.annot_id) && optionalId(o.img_id) &&
    typeof o.img_fn === 'string' && o.img_fn !== '' && typeof o.metadata_fn === 'string' && o.metadata_fn !== '' &&
    isStringList(o.objects) && typeof o.question_orig === 'string' && typeof o.answer_orig === 'string' && typeof o.rationale_orig === 'string'
  )
}
