// The question and answer lines that cross the bridge, declared ONCE: here, in zod. `scripts/region-qa-schema.ts`
// writes them as JSON Schema to python-bridge/pixcap_bridge/schemas/region-qa.schema.json, which the bridge validates
// every line against (pixcap_bridge/region_qa.py); test/schemas/region-qa.test.ts fails when the file is stale.
//
// Questions: what `pixcap vipbench prepare` and `pixcap eval vg-prepare` write and the bridge's `infer` reads.
// Answers: what `infer` writes and `pixcap vipbench grade` reads; the field names are those of the answer lines of
// ViP-LLaVA's llava/eval/model_vqa.py (`question_id`, `prompt`, `text`, `model_id`, `metadata`; vipbench.md §3), so
// an answers file from either tool grades the same way.
import { z } from 'zod'

/** A question id: ViP-Bench ids are integers (graded as `v1_{id}`), VG ids are the test file's image/annotation ids. */
const QuestionId = z.union([z.number().int().nonnegative(), z.string().min(1)])

/** A normalised [x1, y1, x2, y2] box (divided by [W, H, W, H] of the original image; gpt4roi.md §3). */
const NormalisedBox = z.tuple([z.number(), z.number(), z.number(), z.number()])

/** One line of a questions file: the k-th `<bbox>` in `text` gets `boxes[k]` (gpt4roi.md §2). */
export const RegionQuestion = z.looseObject({
  question_id: QuestionId,
  /** Relative to the images root the recipe gives the bridge (no absolute path, no `..`). */
  image: z.string().min(1),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** The prompt; without `<image>` the bridge prefixes GPT4RoI's begin string. */
  text: z.string().min(1),
  boxes: z.array(NormalisedBox),
})
export type RegionQuestion = z.infer<typeof RegionQuestion>

/** One line of an answers file (ViP-LLaVA model_vqa.py's answer line, less its random `answer_id`). */
export const RegionAnswer = z.looseObject({
  question_id: QuestionId,
  /** The prompt as the model saw it (begin string included). */
  prompt: z.string(),
  /** The model's answer, cleaned of the `###` stop string and the `Assistant:` prefix. */
  text: z.string(),
  /** The checkpoint's base name. */
  model_id: z.string(),
  /** Decoding settings and the backend, so each answer says how it was produced. */
  metadata: z.record(z.string(), z.unknown()),
})
export type RegionAnswer = z.infer<typeof RegionAnswer>

/** The JSON Schema document the bridge loads: both line shapes under `$defs`. */
function regionQaJsonSchema(): Record<string, unknown> {
  const one = (s: z.ZodType) => {
    const { $schema: _drop, ...rest } = z.toJSONSchema(s, { target: 'draft-2020-12' }) as Record<string, unknown>
    return rest
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $comment: 'Generated from src/schemas/region-qa.ts by scripts/region-qa-schema.ts; do not edit.',
    $defs: { question: one(RegionQuestion), answer: one(RegionAnswer) },
  }
}

/** The file's text (stable: two-space JSON and a final newline). */
export function regionQaJsonSchemaText(): string {
  return `${JSON.stringify(regionQaJsonSchema(), null, 2)}\n`
}
