// llava: LLaVA's instruction JSON records `{id, image, conversations}` (reference/formats.md §2), with the first human
// turn starting `<image>\n`. LLaVA has no region token, so each region is written inline as text:
// `region{k} [x1,y1,x2,y2]`, normalised xyxy [x/W, y/H, (x+w)/W, (y+h)/H] with 3 decimals, e.g.
// `[0.102,0.215,0.530,0.994]` (the Shikra / LLaVA eval-file convention, formats.md §5, §10). Same questions,
// region order and captions as the gpt4roi format for the same seed.
import { z } from 'zod'
import type { ImageRecord } from '../records/region-record.js'
import { textBox, renderTurns } from './box-text.js'
import { t, type FieldSpec } from './field-spec.js'
import { optionsParser } from './format-options.js'
import { conversationField, samplesFor } from './gpt4roi.js'
import type { FormatContext, FormatResult, RowFormat } from './target-format.js'

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
  .object({ task: z.enum(['region_caption', 'referring']).default('region_caption'), dropSmall224: z.boolean().default(false) })
  .strict()

const parseOptions = optionsParser('llava', LlavaOptions)

const fields: FieldSpec[] = [t.field('id', t.string()), t.field('image', t.string()), conversationField()]

/** The llava target format. */
export const llava: RowFormat<LlavaRow> = {
  kind: 'rows',
  name: 'llava',
  summary:
    'LLaVA {id, image, conversations}: `<image>\\n` first, regions inline as `region{k} [x1,y1,x2,y2]` ' +
    '(normalised xyxy of the original image, 3 decimals)',
  schema: LlavaRow,
  fields,
  options: LlavaOptions,
  fromImage(image: ImageRecord, ctx: FormatContext): FormatResult<LlavaRow> {
    const { samples, rejects } = samplesFor(image, ctx, parseOptions(ctx.options))
    const rows = samples.map((s) => ({ id: s.id, image: s.image.imagePath, conversations: renderTurns(s, textBox, LLAVA_IMAGE_PREFIX) }))
    return { rows, rejects }
  },
}
