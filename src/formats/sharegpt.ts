// sharegpt: LLaMA-Factory's multimodal sharegpt records `{messages: [{role, content}], images: [path]}` plus a
// `dataset_info.json` entry (reference/formats.md §3). Hard rule checked here: the number of `<image>` tokens in the
// messages equals images.length (LLaMA-Factory #6135), and `images` is a list (#5883).
// Regions are inline text as in llava, in the `boxes` convention (box-convention.ts; default `original-3dp`, the
// normalised xyxy with 3 decimals pixcap wrote before conventions existed). For Qwen2.5-VL / Qwen3-VL / InternVL
// trained through LLaMA-Factory pick `--boxes qwen2.5-vl|qwen3-vl|internvl`. Image paths are resolved by
// LLaMA-Factory against `media_dir` (default: dataset_dir), so `--image-root` should name the images folder relative
// to it, or be absolute.
import { z } from 'zod'
import { PixcapError } from '../errors.js'
import type { ImageRecord } from '../records/region-record.js'
import { countToken } from '../instruct/gpt4roi-conversation.js'
import { BOX_CONVENTIONS, TEXT_BOX_CONVENTIONS } from './box-convention.js'
import { conventionBox, renderTurns } from './box-text.js'
import { groundingSample } from './grounding.js'
import { fieldsOf, type FieldSpec } from '../records/field-spec.js'
import { optionsParser } from './format-options.js'
import { samplesFor } from './region-samples.js'
import { conversationSample } from './image-conversation.js'
import { imageRef, type CorpusSummary, type FormatContext, type FormatResult, type RowFormat, type SidecarFile } from './target-format.js'

/** LLaMA-Factory's image placeholder; its mllm_demo puts it at the start of the user turn (formats.md §3). */
export const SHAREGPT_IMAGE_TOKEN = '<image>'

/** One sharegpt row. */
export const SharegptRow = z.object({
  messages: z.array(z.object({ role: z.enum(['user', 'assistant']), content: z.string() })),
  images: z.array(z.string()),
})
export type SharegptRow = z.infer<typeof SharegptRow>

/** sharegpt options. */
export const SharegptOptions = z
  .object({
    /** grounding: one sample per image whose answer lists every region in the convention's answer syntax (grounding.ts). */
    task: z.enum(['region_caption', 'referring', 'grounding']).default('region_caption'),
    dropSmall224: z.boolean().default(false),
    boxes: z.enum(TEXT_BOX_CONVENTIONS).default('original-3dp'),
  })
  .strict()

const parseOptions = optionsParser('sharegpt', SharegptOptions)

/** Columns, from the row schema (one truth: records/field-spec.ts fieldsOf). */
const fields: FieldSpec[] = fieldsOf(SharegptRow)

/** Throws unless the `<image>` count in the messages equals images.length. */
export function checkImageCount(row: SharegptRow, where: { file: string; id: string }): void {
  const n = row.messages.reduce((acc, m) => acc + countToken(m.content, SHAREGPT_IMAGE_TOKEN), 0)
  if (n !== row.images.length) {
    throw new PixcapError('invariant', where.file, [], `sample ${where.id}: ${n} "<image>" tokens in messages but ${row.images.length} images; LLaMA-Factory requires them equal`)
  }
}

/**
 * The `file_name` of one split's dataset_info.json entry. LLaMA-Factory reads one path under its dataset_dir: a file,
 * or a folder whose files it all loads, all of one type (hiyouga/LLaMA-Factory src/llamafactory/data/loader.py `_load_single_dataset`). So: the split's single JSONL file,
 * else its only file, else the one folder holding its shards, if no other split has files there.
 */
function dataFileOf(split: CorpusSummary['splits'][number], all: CorpusSummary['splits']): string {
  const jsonl = split.files.filter((f) => f.endsWith('.jsonl'))
  if (jsonl.length === 1) return jsonl[0] as string
  if (split.files.length === 1) return split.files[0] as string
  const dirOf = (f: string): string => (f.includes('/') ? f.slice(0, f.lastIndexOf('/')) : '.')
  const dirs = new Set(split.files.map(dirOf))
  const [dir] = dirs
  const shared = all.some((o) => o.split !== split.split && o.files.some((f) => dirOf(f) === dir))
  if (dirs.size === 1 && dir !== undefined && dir !== '.' && !shared) return dir
  throw new PixcapError(
    'unsupported',
    'dataset_info.json',
    [split.split],
    `split "${split.split}" has ${split.files.length} data files ${dirs.size === 1 ? `in ${dir}/, shared with other splits` : 'in several folders'}; ` +
      "LLaMA-Factory's file_name takes one file or a folder holding only that split: also write JSONL, or write each split to its own corpus",
  )
}

/** The sharegpt target format. */
export const sharegpt: RowFormat<SharegptRow> = {
  kind: 'rows',
  name: 'sharegpt',
  summary:
    'LLaMA-Factory sharegpt {messages:[{role,content}], images:[path]} + dataset_info.json; one `<image>` per image; ' +
    'regions inline as `region{k} <box>` in the `boxes` convention (default original-3dp: normalised xyxy, 3 decimals)',
  schema: SharegptRow,
  fields,
  options: SharegptOptions,
  fromImage(image: ImageRecord, ctx: FormatContext): FormatResult<SharegptRow> {
    const { boxes, task, dropSmall224 } = parseOptions(ctx.options)
    const convention = BOX_CONVENTIONS[boxes]
    if (task === 'grounding') {
      const { sample, rejects } = groundingSample(image, ctx, convention, { dropSmall224, format: 'sharegpt' })
      if (sample === null) return { rows: [], rejects }
      const row: SharegptRow = {
        messages: [
          { role: 'user', content: SHAREGPT_IMAGE_TOKEN + sample.question },
          { role: 'assistant', content: sample.answer },
        ],
        images: [imageRef(ctx, image.imagePath)],
      }
      checkImageCount(row, { file: image.origin?.file ?? image.source, id: String(image.imageId) })
      return { rows: [row], rejects }
    }
    const { samples, rejects } = samplesFor(image, ctx, { task, dropSmall224 })
    const rows = samples.map((s) => {
      const row: SharegptRow = {
        messages: renderTurns(s, conventionBox(convention, s), SHAREGPT_IMAGE_TOKEN).map((turn) => ({
          role: turn.from === 'human' ? ('user' as const) : ('assistant' as const),
          content: turn.value,
        })),
        images: [imageRef(ctx, s.image.imagePath)],
      }
      checkImageCount(row, { file: image.origin?.file ?? image.source, id: s.id })
      return row
    })
    return { rows, rejects }
  },
  // An image-level conversation: its one `<image>` stays where the source put it (LLaMA-Factory's token too).
  fromConversation(image, conversation, ctx) {
    const { boxes } = parseOptions(ctx.options)
    const s = conversationSample(image, conversation)
    const row: SharegptRow = {
      messages: renderTurns(s, conventionBox(BOX_CONVENTIONS[boxes], s), SHAREGPT_IMAGE_TOKEN).map((turn) => ({ role: turn.from === 'human' ? ('user' as const) : ('assistant' as const), content: turn.value })),
      images: [imageRef(ctx, image.imagePath)],
    }
    checkImageCount(row, { file: conversation.origin?.file ?? image.source, id: s.id })
    return row
  },
  sidecars(summary: CorpusSummary): SidecarFile[] {
    const entries: Record<string, unknown> = {}
    for (const split of summary.splits) {
      entries[`${summary.name}_${split.split}`] = {
        file_name: dataFileOf(split, summary.splits),
        formatting: 'sharegpt',
        columns: { messages: 'messages', images: 'images' },
        tags: { role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant' },
      }
    }
    return [{ path: 'dataset_info.json', content: `${JSON.stringify(entries, null, 2)}\n` }]
  },
}
