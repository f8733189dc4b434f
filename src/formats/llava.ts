// llava: LLaVA's instruction JSON records `{id, image, conversations}` (reference/formats.md §2), with the first human
// turn starting `<image>\n`. LLaVA's train.py `LazySupervisedDataset` json.loads ONE array (write `--format json`;
// it is this format's default) and opens `os.path.join(image_folder, image)`. LLaVA has no region token, so each
// region is written inline as `region{k} <box>` in a box convention (box-convention.ts; option `boxes`, default
// `llava-1.5`: normalised to the expand2square padded square, 2 decimals, LLaVA issues 606/822). Same questions,
// region order and captions as the gpt4roi format for the same seed.
import { z } from 'zod'
import type { ImageRecord } from '../records/region-record.js'
import { BOX_CONVENTIONS, TEXT_BOX_CONVENTIONS } from './box-convention.js'
import { conventionBox, renderTurns } from './box-text.js'
import { fieldsOf, type FieldSpec } from '../records/field-spec.js'
import { optionsParser } from './format-options.js'
import { samplesFor } from './region-samples.js'
import { conversationSample } from './image-conversation.js'
import { imageRef, type FormatContext, type FormatResult, type RowFormat } from './target-format.js'

/** `<image>\n` starts the first human turn (LLaVA docs/Finetune_Custom_Data.md, formats.md §2). */
export const LLAVA_IMAGE_PREFIX = '<image>\n'

/** One llava row. */
export const LlavaRow = z.object({
  id: z.string(),
  image: z.string(),
  conversations: z.array(z.object({ from: z.enum(['human', 'gpt']), value: z.string() })),
})
export type LlavaRow = z.infer<typeof LlavaRow>

/** llava options (the 224 filter is GPT4RoI's; off by default here). */
export const LlavaOptions = z
  .object({
    task: z.enum(['region_caption', 'referring']).default('region_caption'),
    dropSmall224: z.boolean().default(false),
    boxes: z.enum(TEXT_BOX_CONVENTIONS).default('llava-1.5'),
  })
  .strict()

const parseOptions = optionsParser('llava', LlavaOptions)

/** Columns, from the row schema (one truth: records/field-spec.ts fieldsOf). */
const fields: FieldSpec[] = fieldsOf(LlavaRow)

/** The llava target format. */
export const llava: RowFormat<LlavaRow> = {
  kind: 'rows',
  name: 'llava',
  summary:
    'LLaVA {id, image, conversations} (a JSON array by default): `<image>\\n` first, regions inline as `region{k} <box>` ' +
    'in the `boxes` convention (default llava-1.5: normalised to the padded square, 2 decimals)',
  defaultOutputs: ['json'],
  schema: LlavaRow,
  fields,
  options: LlavaOptions,
  fromImage(image: ImageRecord, ctx: FormatContext): FormatResult<LlavaRow> {
    const { boxes, ...opts } = parseOptions(ctx.options)
    const convention = BOX_CONVENTIONS[boxes]
    const { samples, rejects } = samplesFor(image, ctx, opts)
    const rows = samples.map((s) => ({ id: s.id, image: imageRef(ctx, s.image.imagePath), conversations: renderTurns(s, conventionBox(convention, s), LLAVA_IMAGE_PREFIX) }))
    return { rows, rejects }
  },
  // An image-level conversation keeps its own `<image>` where the source put it (LLaVA-Instruct-150k's is first or
  // last); `<bbox>` tokens (VCR) become inline boxes in the `boxes` convention.
  fromConversation(image, conversation, ctx) {
    const { boxes } = parseOptions(ctx.options)
    const s = conversationSample(image, conversation)
    return { id: s.id, image: imageRef(ctx, image.imagePath), conversations: renderTurns(s, conventionBox(BOX_CONVENTIONS[boxes], s), LLAVA_IMAGE_PREFIX) }
  },
}
