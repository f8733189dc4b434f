// osprey: Osprey's mask-based region instructions (reference/formats.md §8), in the layout its loaders json.load:
// a JSON array of `{file_name, height, width, annotation: [{segmentation, bbox, category_id, area}], conversations}`
// (CircleRadon/Osprey osprey/datasets/osprey_724k.py OspreyLVISPosNeg.load_annotations). Masks are COCO compressed
// RLE `{size: [h, w], counts}` built from the panoptic PNG (needs --panoptic-dir); Osprey's `annToMask`
// (osprey/datasets/stage2_data.py) decodes them with pycocotools as they are.
//
// Text: region k (1-based, in annotation order) is written `<region{k}>`; OspreyLVISPosNeg turns each into
// `<mask><pos>` (`re.sub(r'<region\d+>', '<mask><pos>', question)`) and binds the k-th `<mask><pos>` to annotation[k]
// by position, and prepends its own begin string `<image>\nThis provides an overview of the picture.\n` to the first
// question, so we do not. Questions are the single_region templates (like Osprey's DETAILED_QUESTIONS), regions
// shuffled and chunked per sample exactly as the gpt4roi format does for the same seed.
import { z } from 'zod'
import type { ImageRecord } from '../records/region-record.js'
import type { RejectRecord } from '../records/reject.js'
import { BBOX_TOKEN, BEGIN_STRING } from '../instruct/gpt4roi-tokens.js'
import { columnTypes, fieldsOf, t, type FieldSpec } from '../records/field-spec.js'
import { optionsParser } from './format-options.js'
import { samplesFor } from './region-samples.js'
import { imageRef, type FormatContext, type FormatResult, type RowFormat } from './target-format.js'

const Rle = z.object({ size: z.array(z.number().int()).length(2), counts: z.string() })

/** One osprey row. */
export const OspreyRow = z.object({
  id: z.string(),
  file_name: z.string(),
  height: z.number().int(),
  width: z.number().int(),
  annotation: z.array(
    z.object({ segmentation: Rle, bbox: z.array(z.number()).length(4), category_id: z.number().int(), area: z.number().register(columnTypes, { type: t.float64() }), region_id: z.string() }),
  ),
  conversations: z.array(z.object({ from: z.enum(['human', 'gpt']), value: z.string() })),
  template_ids: z.array(z.string()),
})
export type OspreyRow = z.infer<typeof OspreyRow>

/** osprey options. */
export const OspreyOptions = z.object({ dropSmall224: z.boolean().default(false) }).strict()

const parseOptions = optionsParser('osprey', OspreyOptions)

/** Columns, from the row schema (one truth: records/field-spec.ts fieldsOf). */
const fields: FieldSpec[] = fieldsOf(OspreyRow)

/** Osprey's placeholder for region k (1-based). */
export const ospreyRegionToken = (k: number): string => `<region${k}>`

/** The osprey target format. */
export const osprey: RowFormat<OspreyRow> = {
  kind: 'rows',
  name: 'osprey',
  summary:
    'Osprey {file_name, height, width, annotation:[{segmentation: COCO RLE, bbox, category_id}], conversations} as a JSON array; ' +
    '`<region{k}>` binds to annotation[k] (Osprey rewrites it to `<mask><pos>`); masks from the panoptic PNGs',
  schema: OspreyRow,
  fields,
  options: OspreyOptions,
  defaultOutputs: ['json'],
  needs: () => ({ masks: true }),
  fromImage(image: ImageRecord, ctx: FormatContext): FormatResult<OspreyRow> {
    const opts = parseOptions(ctx.options)
    const missing: RejectRecord[] = []
    const withMask = {
      ...image,
      regions: image.regions.filter((r) => {
        if (r.maskRle) return true
        missing.push({ source: image.source, imageId: image.imageId, segmentId: r.segmentId, regionId: r.regionId, reason: 'missing_in_png', detail: 'segment not found in the panoptic PNG; Osprey needs its mask', ...(r.origin ? { origin: r.origin } : {}) })
        return false
      }),
    }
    const { samples, rejects } = samplesFor(withMask, ctx, { task: 'region_caption', dropSmall224: opts.dropSmall224 })
    const rows = samples.map((s): OspreyRow => {
      let k = 0
      const conversations = s.conversations.map((turn) => {
        let value = turn.value.startsWith(BEGIN_STRING) ? turn.value.slice(BEGIN_STRING.length) : turn.value
        // `region{k} <bbox>` -> `region{k} <region{k}>`: the k-th placeholder is annotation[k].
        value = value.split(BBOX_TOKEN).map((part, j) => (j === 0 ? part : `${ospreyRegionToken(++k)}${part}`)).join('')
        return { from: turn.from, value }
      })
      return {
        id: s.id,
        file_name: imageRef(ctx, s.image.imagePath),
        height: s.image.height,
        width: s.image.width,
        annotation: s.regions.map((r) => ({
          segmentation: { size: [...r.maskRle!.size], counts: r.maskRle!.counts },
          bbox: [...r.bbox],
          category_id: r.categoryId,
          area: r.area,
          region_id: r.regionId,
        })),
        conversations,
        template_ids: [...s.templateIds],
      }
    })
    return { rows, rejects: [...missing, ...rejects] }
  },
}
