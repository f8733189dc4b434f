// Image-level conversations (records/region-record.ts ImageConversation: LLaVA-Instruct-150k, VCR) as samples of the
// conversation row formats. A conversation becomes one row, its turns as the source wrote them; its `<bbox>` tokens
// are bound to its own regions in order (gpt4roi.md §2), so the same RegionSample shape the region formats render
// carries it (box text for llava/sharegpt comes from box-text.ts renderTurns). Formats without a row for it declare
// no `fromConversation`, and each of its conversations becomes an `unsupported_by_format` reject: never lost in silence.
import { checkSample, type RegionSample } from '../instruct/gpt4roi-conversation.js'
import { normaliseBox } from '../instruct/region-selection.js'
import { IMAGE_TOKEN, type ImageConversation, type ImageRecord } from '../records/region-record.js'
import type { RejectRecord } from '../records/reject.js'
import type { FormatContext, FormatResult, TargetFormat } from './target-format.js'

/**
 * The first turn with the source's `<image>` and one newline after it replaced by `imageText` (which ends with its
 * own newline), in place. gpt4roi passes GPT4RoI's begin string, as its loaders of these sources do: vcr.py prepends
 * `begin_str` ("The <image> provides an overview of the picture.\n") to the first turn (jshilong/GPT4RoI
 * gpt4roi/datasets/vcr.py VCRDataset.__getitem__, `qas[0]['value'] = self.begin_str + ...`), and det_llava.py replaces
 * `<image>` in the first turn with its box-less begin string (gpt4roi/datasets/det_llava.py DetLLava.__getitem__,
 * `begin_str_no_bbox`; that string has a space before its newline, which this one does not). qwen-vl passes
 * `Picture 1: <img>path</img>\n`. llava and sharegpt keep `<image>` (LLaVA's own token, and LLaMA-Factory's).
 */
function placeImage(value: string, imageText: string): string {
  const at = value.indexOf(IMAGE_TOKEN)
  const end = at + IMAGE_TOKEN.length + (value[at + IMAGE_TOKEN.length] === '\n' ? 1 : 0)
  return value.slice(0, at) + imageText + value.slice(end)
}

/** The sample of one conversation: its regions in `<bbox>` order, boxes normalised xyxy of the original image. */
export function conversationSample(image: ImageRecord, conversation: ImageConversation, imageText?: string): RegionSample {
  const sample: RegionSample = {
    id: conversation.id,
    chunk: 0,
    image,
    regions: conversation.regions,
    captions: conversation.regions.map(() => ''),
    boxes: conversation.regions.map((r) => normaliseBox(r.bbox, image.width, image.height)),
    conversations: conversation.turns.map((t, i) => ({ from: t.from, value: i === 0 && imageText !== undefined ? placeImage(t.value, imageText) : t.value })),
    templateIds: [],
  }
  checkSample(sample)
  return sample
}

/** The reject of a conversation the target format has no row for. */
function unsupported(image: ImageRecord, conversation: ImageConversation, formatName: string): RejectRecord {
  return {
    source: image.source,
    imageId: image.imageId,
    conversationId: conversation.id,
    reason: 'unsupported_by_format',
    detail: `format ${formatName} has no row for an image-level conversation (gpt4roi, llava, sharegpt and qwen-vl have one)`,
    ...(conversation.origin ? { origin: conversation.origin } : {}),
  }
}

/** The rows of an image's conversations in `format`, or one reject per conversation when it has none. */
export function conversationRows(format: TargetFormat, image: ImageRecord, ctx: FormatContext): FormatResult<unknown> {
  const conversations = image.conversations ?? []
  if (format.kind === 'rows' && format.fromConversation) {
    const fromConversation = format.fromConversation.bind(format)
    return { rows: conversations.map((c) => fromConversation(image, c, ctx)), rejects: [] }
  }
  return { rows: [], rejects: conversations.map((c) => unsupported(image, c, format.name)) }
}
