// On-disk shapes of ViP-Bench (HF dataset mucai/ViP-Bench; reference/vipbench.md §1).
import { z } from 'zod'

/** One entry of vip-bench-meta-data.json, keyed `v1_{n}`. `capability` is multi-label. */
export const RawVipMeta = z.looseObject({
  image_source: z.string(),
  image: z.string(),
  question: z.string(),
  answer: z.string(),
  capability: z.array(z.string()).min(1),
})
export type RawVipMeta = z.infer<typeof RawVipMeta>

export const RawVipMetaFile = z.record(z.string().regex(/^v1_\d+$/, 'keys look like "v1_<n>"'), RawVipMeta)
export type RawVipMetaFile = z.infer<typeof RawVipMetaFile>

/** One line of {split}/questions.jsonl (fields beyond these are kept but unverified: vipbench.md §1). */
export const RawVipQuestion = z.looseObject({
  question_id: z.number().int().nonnegative(),
  image: z.string(),
  text: z.string(),
  category: z.string().optional(),
})
export type RawVipQuestion = z.infer<typeof RawVipQuestion>

/** A LabelMe-style shape in source_image/{stem}.json: a rectangle (2 corners) or a polygon (bounding box taken). */
const RawLabelMeShape = z.looseObject({
  label: z.string(),
  points: z.array(z.tuple([z.number(), z.number()])).min(2),
  shape_type: z.string().default('polygon'),
})
export const RawLabelMe = z.looseObject({
  imagePath: z.string(),
  imageWidth: z.number().int().positive(),
  imageHeight: z.number().int().positive(),
  shapes: z.array(RawLabelMeShape),
})
export type RawLabelMe = z.infer<typeof RawLabelMe>

/** The grading input: `{"v1_{question_id}": answer_text}` (ViP-LLaVA scripts/convert_vipbench_for_eval.py). */
export const RawVipAnswers = z.record(z.string(), z.string())

/** The resumable grade file: per id, one entry per run (ViP-LLaVA's `-grade-{n}runs.json` layout). */
export const RawGradeFile = z.record(
  z.string(),
  z.object({ model: z.array(z.string()), content: z.array(z.string()), score: z.array(z.number()) }),
)
export type RawGradeFile = z.infer<typeof RawGradeFile>
