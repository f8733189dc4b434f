// The grounding task shared by the text formats: one sample per image, the user asks a `dense` template, the answer
// lists every usable region with its caption as the label, in the chosen box convention's answer syntax (Qwen2.5-VL /
// Qwen3-VL: a JSON list of {"bbox_2d", "label"}; InternVL / Qwen-VL: `<ref>label</ref><box>...</box>` lines), sorted
// top-to-bottom then left-to-right so the order is learnable. Like qwen-vl's grounded_dense, the question asks for
// every region, so the answer is not capped at maxRegions.
import { PixcapError } from '../errors.js'
import { chooseCaption, imageRng, usableRegions } from '../instruct/region-selection.js'
import type { ImageRecord } from '../records/region-record.js'
import type { RejectRecord } from '../records/reject.js'
import type { BoxConvention } from './box-convention.js'
import type { FormatContext } from './target-format.js'

/** One grounding sample of an image (null when no region is usable). */
export interface GroundingSample {
  question: string
  answer: string
  templateId: string
  regions: number
}

/** Builds the grounding question and answer of one image. */
export function groundingSample(
  image: ImageRecord,
  ctx: FormatContext,
  convention: BoxConvention,
  opts: { dropSmall224: boolean; format: string },
): { sample: GroundingSample | null; rejects: RejectRecord[] } {
  const { kept, rejects } = usableRegions(image, opts)
  if (kept.length === 0) return { sample: null, rejects }
  if (ctx.templates.dense.length === 0) {
    throw new PixcapError('schema', ctx.templates.name, ['dense'], `${opts.format} task grounding needs dense templates; add some or use task region_caption`)
  }
  const rng = imageRng(ctx.seed, image)
  const tpl = rng.pick(ctx.templates.dense)
  const items = kept
    .map((u) => ({ xyxy: convention.encode(u.region.bbox, image.width, image.height), label: chooseCaption(rng, u.captions), y: u.region.bbox[1], x: u.region.bbox[0] }))
    .sort((a, b) => a.y - b.y || a.x - b.x)
  return { sample: { question: tpl.text, answer: convention.answer(items), templateId: tpl.id, regions: kept.length }, rejects }
}
