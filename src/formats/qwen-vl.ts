// qwen-vl: Qwen-VL fine-tuning records `{id, conversations: [{from: 'user'|'assistant', value}]}` whose first user
// turn starts `Picture 1: <img>path</img>\n` (reference/formats.md §7, QwenLM/Qwen-VL README finetuning section).
// Regions: `<ref>phrase</ref><box>(x1,y1),(x2,y2)</box>`, xyxy of the original image as integers on [0, 1000)
// (floor(v * 1000), far edge 1.0 -> 999). Not Qwen2.5-VL, which wants pixels of the resized image (formats.md §7).
//
// Tasks:
// - grounded_dense (default): the Pix2Cap task in Qwen's grounding syntax. The user asks a `dense` template; the
//   answer lists every usable region as `<ref>caption</ref><box>...</box>`, one per line, top-to-bottom then
//   left-to-right (a reading order the model can learn). One sample per image: the question asks for every region,
//   so the answer is not capped at maxRegions.
// - region_caption: the gpt4roi conversation with each `<bbox>` written as `<box>...</box>`.
import { z } from 'zod'
import { PixcapError } from '../errors.js'
import type { ImageRecord } from '../records/region-record.js'
import { chooseCaption, imageRng, normaliseBox, sampleId, usableRegions } from '../instruct/region-selection.js'
import { qwenBox, qwenCoord, renderTurns } from './box-text.js'
import { fieldsOf, type FieldSpec } from '../records/field-spec.js'
import { optionsParser } from './format-options.js'
import { samplesFor } from './region-samples.js'
import { conversationSample } from './image-conversation.js'
import { imageRef, type FormatContext, type FormatResult, type RowFormat } from './target-format.js'

/** `Picture 1: <img>path</img>\n`, Qwen-VL's image reference (formats.md §7). */
export function qwenPicturePrefix(path: string): string {
  return `Picture 1: <img>${path}</img>\n`
}

/** One qwen-vl row. */
export const QwenVlRow = z.object({
  id: z.string(),
  conversations: z.array(z.object({ from: z.enum(['user', 'assistant']), value: z.string() })),
  /** Template id of each user turn. */
  template_ids: z.array(z.string()),
})
export type QwenVlRow = z.infer<typeof QwenVlRow>

/** qwen-vl options. */
export const QwenVlOptions = z
  .object({ task: z.enum(['grounded_dense', 'region_caption']).default('grounded_dense'), dropSmall224: z.boolean().default(false) })
  .strict()

const parseOptions = optionsParser('qwen-vl', QwenVlOptions)

/** Columns, from the row schema (one truth: records/field-spec.ts fieldsOf). */
const fields: FieldSpec[] = fieldsOf(QwenVlRow)

function groundedDense(image: ImageRecord, ctx: FormatContext, dropSmall224: boolean): FormatResult<QwenVlRow> {
  const { kept, rejects } = usableRegions(image, { dropSmall224 })
  if (kept.length === 0) return { rows: [], rejects }
  if (ctx.templates.dense.length === 0) {
    throw new PixcapError('schema', ctx.templates.name, ['dense'], 'qwen-vl grounded_dense needs dense templates; add some or use task region_caption')
  }
  const rng = imageRng(ctx.seed, image)
  const tpl = rng.pick(ctx.templates.dense)
  const lines = kept
    .map((u) => ({ box: normaliseBox(u.region.bbox, image.width, image.height), caption: chooseCaption(rng, u.captions) }))
    .sort((a, b) => qwenCoord(a.box[1]) - qwenCoord(b.box[1]) || qwenCoord(a.box[0]) - qwenCoord(b.box[0]))
    .map((l) => `<ref>${l.caption}</ref>${qwenBox(l.box)}`)
  const row: QwenVlRow = {
    id: sampleId(image.imageId, 0, ctx.epoch ?? 0),
    conversations: [
      { from: 'user', value: qwenPicturePrefix(imageRef(ctx, image.imagePath)) + tpl.text },
      { from: 'assistant', value: lines.join('\n') },
    ],
    template_ids: [tpl.id],
  }
  return { rows: [row], rejects }
}

/** The qwen-vl target format. */
export const qwenVl: RowFormat<QwenVlRow> = {
  kind: 'rows',
  name: 'qwen-vl',
  summary:
    'Qwen-VL {id, conversations:[{from:user|assistant, value}]}: `Picture 1: <img>path</img>\\n`, regions as ' +
    '`<ref>caption</ref><box>(x1,y1),(x2,y2)</box>` with xyxy integers on [0,1000) of the original image',
  schema: QwenVlRow,
  fields,
  options: QwenVlOptions,
  // Qwen-VL's finetune.py json.loads ONE array (make_supervised_data_module), and `<img>path</img>` is opened
  // relative to the working directory, so `--image-root` should be absolute or relative to where training runs.
  defaultOutputs: ['json'],
  fromImage(image: ImageRecord, ctx: FormatContext): FormatResult<QwenVlRow> {
    const opts = parseOptions(ctx.options)
    if (opts.task === 'grounded_dense') return groundedDense(image, ctx, opts.dropSmall224)
    const { samples, rejects } = samplesFor(image, ctx, { task: 'region_caption', dropSmall224: opts.dropSmall224 })
    const rows = samples.map((s) => ({
      id: s.id,
      conversations: renderTurns(s, qwenBox, qwenPicturePrefix(imageRef(ctx, s.image.imagePath))).map((turn) => ({
        from: turn.from === 'human' ? ('user' as const) : ('assistant' as const),
        value: turn.value,
      })),
      template_ids: [...s.templateIds],
    }))
    return { rows, rejects }
  },
  // An image-level conversation: its `<image>` becomes the picture reference in place, `<bbox>` a `<box>`.
  fromConversation(image, conversation, ctx) {
    const s = conversationSample(image, conversation, qwenPicturePrefix(imageRef(ctx, image.imagePath)))
    const conversations = renderTurns(s, qwenBox, '').map((turn) => ({ from: turn.from === 'human' ? ('user' as const) : ('assistant' as const), value: turn.value }))
    return { id: s.id, conversations, template_ids: [] }
  },
}
