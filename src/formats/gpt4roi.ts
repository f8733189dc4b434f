// gpt4roi: static GPT4RoI region-instruction records (reference/gpt4roi.md §4, §5 VGDATA/DENSECOCO, §10).
// Box convention: `boxes` are normalised xyxy [x/W, y/H, (x+w)/W, (y+h)/H] of the original image, one per `<bbox>`
// token and in token order (gpt4roi.md §2, §3); `regions[].bbox` keeps the source's pixel [x, y, w, h].
// The text keeps GPT4RoI's raw placeholders: `<image>` inside the begin string and one `<bbox>` per region; the
// trainer expands `<image>` and renders `### Human:` / `### Assistant:` (gpt4roi.md §4) at load time.
import { z } from 'zod'
import type { ImageRecord, RegionRecord } from '../records/region-record.js'
import type { RejectRecord } from '../records/reject.js'
import type { RegionSample } from '../instruct/gpt4roi-conversation.js'
import { samplesFor } from './region-samples.js'
import { conversationSample } from './image-conversation.js'
import { BEGIN_STRING } from '../instruct/gpt4roi-tokens.js'
import { fieldsOf, type FieldSpec } from '../records/field-spec.js'
import { optionsParser } from './format-options.js'
import { imageRef, type FormatContext, type FormatResult, type RowFormat } from './target-format.js'

/** One region of a gpt4roi row, in `<bbox>` order. */
export const Gpt4RoiRegion = z.object({
  region_id: z.string(),
  segment_id: z.number().int(),
  category_id: z.number().int(),
  category: z.string(),
  /** Pixel [x, y, w, h] as in the source. */
  bbox: z.array(z.number()).length(4),
  /** The caption used for this region (chosen with the rng when the source has several). */
  caption: z.string(),
})

/** One gpt4roi row. */
export const Gpt4RoiRow = z.object({
  id: z.string(),
  image: z.string(),
  image_id: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  conversations: z.array(z.object({ from: z.enum(['human', 'gpt']), value: z.string() })),
  boxes: z.array(z.array(z.number()).length(4)),
  regions: z.array(Gpt4RoiRegion),
  template_ids: z.array(z.string()),
  source: z.string(),
  split: z.string(),
  /** COCO compressed RLE of each region, in `<bbox>` order, when the `masks` option is on (else empty). */
  masks: z.array(z.object({ size: z.array(z.number().int()).length(2), counts: z.string() })),
})
export type Gpt4RoiRow = z.infer<typeof Gpt4RoiRow>

/** gpt4roi options. */
export const Gpt4RoiOptions = z
  .object({
    task: z.enum(['region_caption', 'referring']).default('region_caption'),
    /** GPT4RoI's 2-px-at-224 box filter (gpt4roi.md §3); dropped regions are reported as `small_box_224` rejects. */
    dropSmall224: z.boolean().default(true),
    /** Carry each region's mask (COCO RLE from the panoptic PNG, needs --panoptic-dir) in the `masks` column. */
    masks: z.boolean().default(false),
  })
  .strict()

/** Columns, from the row schema (one truth: records/field-spec.ts fieldsOf). */
const fields: FieldSpec[] = fieldsOf(Gpt4RoiRow)

const parseOptions = optionsParser('gpt4roi', Gpt4RoiOptions)

/** The gpt4roi row of one sample. */
export function gpt4roiRow(s: RegionSample, split: string, image = s.image.imagePath, withMasks = false): Gpt4RoiRow {
  return {
    id: s.id,
    image,
    image_id: String(s.image.imageId),
    width: s.image.width,
    height: s.image.height,
    conversations: s.conversations.map((turn) => ({ from: turn.from, value: turn.value })),
    boxes: s.boxes.map((b) => [...b]),
    regions: s.regions.map((r, k) => ({
      region_id: r.regionId,
      segment_id: r.segmentId,
      category_id: r.categoryId,
      category: r.category,
      bbox: [...r.bbox],
      caption: s.captions[k] as string,
    })),
    template_ids: [...s.templateIds],
    source: s.image.source,
    split,
    masks: withMasks ? s.regions.map((r) => ({ size: [...r.maskRle!.size], counts: r.maskRle!.counts })) : [],
  }
}

/** The reject of a region whose segment the panoptic PNG does not hold (formats that carry masks). */
export function missingMask(image: ImageRecord, r: RegionRecord): RejectRecord {
  return { source: image.source, imageId: image.imageId, segmentId: r.segmentId, regionId: r.regionId, reason: 'missing_in_png', detail: 'segment not found in the panoptic PNG; its mask cannot be written', ...(r.origin ? { origin: r.origin } : {}) }
}

/** The gpt4roi target format. */
export const gpt4roi: RowFormat<Gpt4RoiRow> = {
  kind: 'rows',
  name: 'gpt4roi',
  summary:
    'GPT4RoI region instructions: `region{k} <bbox>` in the text, boxes = normalised xyxy [x/W, y/H, (x+w)/W, (y+h)/H] ' +
    'in <bbox> order, at most maxRegions (15) regions per sample, template ids per sample',
  schema: Gpt4RoiRow,
  fields,
  options: Gpt4RoiOptions,
  needs: (options) => ({ masks: parseOptions(options).masks }),
  fromImage(image: ImageRecord, ctx: FormatContext): FormatResult<Gpt4RoiRow> {
    const { masks, ...opts } = parseOptions(ctx.options)
    const missing: RejectRecord[] = []
    const usable = masks ? { ...image, regions: image.regions.filter((r) => r.maskRle !== undefined || (missing.push(missingMask(image, r)), false)) } : image
    const { samples, rejects } = samplesFor(usable, ctx, opts)
    return { rows: samples.map((s) => gpt4roiRow(s, ctx.split, imageRef(ctx, s.image.imagePath), masks)), rejects: [...missing, ...rejects] }
  },
  // An image-level conversation (LLaVA-Instruct, VCR): `boxes` bind its `<bbox>` tokens as GPT4RoI's vcr.py binds
  // `bboxes` (normalised by W, H); `regions` stays empty (its referents have no captions for curation to compare).
  fromConversation(image, conversation, ctx) {
    return { ...gpt4roiRow(conversationSample(image, conversation, BEGIN_STRING), ctx.split, imageRef(ctx, image.imagePath)), regions: [] }
  },
}
