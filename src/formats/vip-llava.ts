// vip-llava: ViP-LLaVA-style visual prompts (reference/formats.md §9). Each usable region becomes one sample whose
// image is the source image with the region drawn on it (a rectangle, ellipse, mask contour, arrow or scribble in a
// named colour), and whose question names the prompt the way ViP-LLaVA's data does ("... the red rectangle"; shape
// words from `words_shape`, mu-cai/ViP-LLaVA llava/visual_prompt_generator.py L23-32). The images are PRE-RENDERED:
// ViP-LLaVA's train.py only draws on the fly for ids whose first `-` part is one of its dataset names
// (LazySupervisedDataset.__getitem__, `id.split('-')[0] in visual_prompt_config`), and ours never are.
//
// What is sampled, per region, with the per-image rng (ViP-LLaVA image_blending L270-335, s = max(W, H) / 336):
// - colour: one of `color_pool` (L10-20), always a named one so the text can name it;
// - rectangle / ellipse width randint(int(2s), int(8s)) (at least 1); ellipse scaled by uniform(1, 1.5) around the box;
// - arrow width randint(int(1s), int(6s)), length uniform(0.8 * min side, int(50s)), random angle, tip near the
//   centre (+-0.25 of the box), head max(uniform(0.2, 0.5) * length, int(6s)), filled or open (draw_arrow L37-85);
// - scribble width randint(int(2s), int(12s)): a cubic Bezier through four random points of the mask (L217-245);
// - mask contour width randint(int(1s), int(2s)) around the panoptic segment (L248-257, needs --panoptic-dir).
// Alpha is 255 (ViP-LLaVA's `alpha` argument), so the pixels carry exactly the named colour.
import { z } from 'zod'
import type { Point, PromptShape, Rgb } from '../geometry/prompt-shapes.js'
import { rleDecode } from '../geometry/coco-rle.js'
import type { ImageRecord, RegionRecord } from '../records/region-record.js'
import type { RejectRecord } from '../records/reject.js'
import { chooseCaption, imageRng, sampleId, usableRegions } from '../instruct/region-selection.js'
import { fillTemplate } from '../instruct/template-set.js'
import type { Rng } from '../util/rng.js'
import { fieldsOf, type FieldSpec } from '../records/field-spec.js'
import { optionsParser } from './format-options.js'
import { imageRef, type FormatContext, type FormatResult, type ImageRender, type RowFormat } from './target-format.js'

/** ViP-LLaVA's named colours (visual_prompt_generator.py `color_pool`, L10-20). */
export const VIP_COLORS: Readonly<Record<string, Rgb>> = {
  red: [255, 0, 0],
  lime: [0, 255, 0],
  blue: [0, 0, 255],
  yellow: [255, 255, 0],
  fuchsia: [255, 0, 255],
  aqua: [0, 255, 255],
  orange: [255, 165, 0],
  purple: [128, 0, 128],
  gold: [255, 215, 0],
}

/** Shapes pixcap draws, with ViP-LLaVA's words for them (`words_shape`, L23-32). */
export const VIP_SHAPES = {
  rectangle: ['within', 'rectangle'],
  ellipse: ['within', 'ellipse'],
  'mask contour': ['with', 'mask contour'],
  arrow: ['pointed to by', 'arrow'],
  scribble: ['with', 'scribble'],
} as const
export type VipShape = keyof typeof VIP_SHAPES

/** The anchor ViP-LLaVA scales widths by: the CLIP crop size (train.py passes processor.crop_size['height'] = 336). */
export const VIP_SIZE_ANCHOR = 336

/** One vip-llava row: ViP-LLaVA's custom-data record (docs/Finetune_Custom_Data.md) plus what was drawn. */
export const VipLlavaRow = z.object({
  id: z.string(),
  /** The drawn image, relative to the corpus root (or under --image-root). */
  image: z.string(),
  conversations: z.array(z.object({ from: z.enum(['human', 'gpt']), value: z.string() })),
  /** Pixel xyxy of the region in the image (ViP-LLaVA `bboxes`). */
  bboxes: z.array(z.array(z.number()).length(4)),
  shape: z.string(),
  color: z.string(),
  /** The undrawn source image, relative to the images root. */
  source_image: z.string(),
  template_ids: z.array(z.string()),
})
export type VipLlavaRow = z.infer<typeof VipLlavaRow>

/** vip-llava options. */
export const VipLlavaOptions = z
  .object({
    shapes: z
      .array(z.enum(Object.keys(VIP_SHAPES) as [VipShape, ...VipShape[]]))
      .min(1)
      .default(['rectangle', 'ellipse', 'mask contour', 'arrow', 'scribble']),
    dropSmall224: z.boolean().default(false),
  })
  .strict()

const parseOptions = optionsParser('vip-llava', VipLlavaOptions)

/** Columns, from the row schema (one truth: records/field-spec.ts fieldsOf). */
const fields: FieldSpec[] = fieldsOf(VipLlavaRow)

/** Python's random.randint(a, b), inclusive. */
const randint = (rng: Rng, a: number, b: number): number => (b <= a ? a : a + rng.int(b - a + 1))
const uniform = (rng: Rng, a: number, b: number): number => a + (b - a) * rng.next()

/** A random point of the region: a mask pixel centre when the mask is known, else a point of the box. */
function pointInRegion(rng: Rng, region: RegionRecord, maskPixels: number[] | undefined, width: number): Point {
  if (maskPixels && maskPixels.length > 0) {
    const i = rng.pick(maskPixels)
    const x = i % width
    return [x + 0.5, (i - x) / width + 0.5]
  }
  const [x, y, w, h] = region.bbox
  return [uniform(rng, x, x + w), uniform(rng, y, y + h)]
}

/** The shapes that draw `shape` for one region (pure; ViP-LLaVA's sampling rules in the header). */
export function vipShapes(shape: VipShape, region: RegionRecord, image: Pick<ImageRecord, 'width' | 'height'>, color: Rgb, rng: Rng): PromptShape[] {
  const s = Math.max(image.width, image.height) / VIP_SIZE_ANCHOR
  const [x, y, w, h] = region.bbox
  const xyxy = [x, y, x + w, y + h] as const
  switch (shape) {
    case 'rectangle':
      return [{ kind: 'rectangle', xyxy, color, width: Math.max(randint(rng, Math.trunc(2 * s), Math.trunc(8 * s)), 1) }]
    case 'ellipse': {
      const width = Math.max(randint(rng, Math.trunc(2 * s), Math.trunc(8 * s)), 1)
      const ratio = uniform(rng, 1, 1.5)
      return [{ kind: 'ellipse', cx: x + w / 2, cy: y + h / 2, rx: (w * ratio) / 2, ry: (h * ratio) / 2, color, width }]
    }
    case 'mask contour': {
      if (!region.maskRle) throw new RangeError(`region ${region.regionId} has no mask; mask contours need --panoptic-dir`)
      return [{ kind: 'mask-contour', rle: region.maskRle, color, width: Math.max(randint(rng, Math.trunc(1 * s), Math.trunc(2 * s)), 1) }]
    }
    case 'arrow': {
      const width = Math.max(randint(rng, Math.trunc(1 * s), Math.trunc(6 * s)), 1)
      const maxLength = Math.max(Math.trunc(50 * s), 1)
      const length = uniform(rng, 0.8 * Math.min(w, h), maxLength)
      const angle = uniform(rng, 0, 2 * Math.PI)
      const cx = x + w / 2 + uniform(rng, -0.25, 0.25) * w
      const cy = y + h / 2 + uniform(rng, -0.25, 0.25) * h
      const head = Math.max(uniform(rng, 0.2, 0.5) * length, Math.trunc(6 * s))
      const tail: Point = [cx + (length - head) * Math.cos(angle), cy + (length - head) * Math.sin(angle)]
      const wing = (da: number): Point => [cx + head * Math.cos(angle + da), cy + head * Math.sin(angle + da)]
      const shaft: PromptShape = { kind: 'polyline', points: [[cx, cy], tail], color, width }
      const headShape: PromptShape =
        rng.next() < 0.5 ? { kind: 'polygon', points: [wing(Math.PI / 3), [cx, cy], wing(-Math.PI / 3)], color } : { kind: 'polyline', points: [wing(Math.PI / 3), [cx, cy], wing(-Math.PI / 3)], color, width }
      return [shaft, headShape]
    }
    case 'scribble': {
      const width = Math.max(randint(rng, Math.trunc(2 * s), Math.trunc(12 * s)), 1)
      let pixels: number[] | undefined
      if (region.maskRle) {
        const { mask } = rleDecode(region.maskRle)
        pixels = []
        for (let i = 0; i < mask.length; i++) if (mask[i] === 1) pixels.push(i)
      }
      const [p0, p1, p2, p3] = [0, 1, 2, 3].map(() => pointInRegion(rng, region, pixels, image.width)) as [Point, Point, Point, Point]
      const steps = 100
      const points: Point[] = []
      for (let k = 0; k <= steps; k++) {
        const u = k / steps
        const a = (1 - u) ** 3
        const b = 3 * (1 - u) ** 2 * u
        const c = 3 * (1 - u) * u ** 2
        const d = u ** 3
        points.push([a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0], a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1]])
      }
      return [{ kind: 'polyline', points, color, width }]
    }
  }
}

/** The words naming a drawn prompt, as ViP-LLaVA writes them: `the red rectangle`, `the blue mask contour`. */
export function vipPhrase(shape: VipShape, color: string): string {
  return `the ${color} ${VIP_SHAPES[shape][1]}`
}

/** The vip-llava target format. */
export const vipLlava: RowFormat<VipLlavaRow> = {
  kind: 'rows',
  name: 'vip-llava',
  summary:
    'ViP-LLaVA visual prompts: one PNG per region with a rectangle / ellipse / mask contour / arrow / scribble drawn in a named colour ' +
    '(vip/<split>/...), `<image>\\n` + a question naming "the red rectangle", bboxes = pixel xyxy; a JSON array by default',
  schema: VipLlavaRow,
  fields,
  options: VipLlavaOptions,
  defaultOutputs: ['json'],
  needs: (options) => {
    const o = parseOptions(options)
    return { images: true, masks: o.shapes.includes('mask contour') || o.shapes.includes('scribble') }
  },
  fromImage(image: ImageRecord, ctx: FormatContext): FormatResult<VipLlavaRow> {
    const opts = parseOptions(ctx.options)
    const { kept, rejects } = usableRegions(image, { dropSmall224: opts.dropSmall224 })
    const needsMask = opts.shapes.includes('mask contour')
    const rng = imageRng(ctx.seed, image)
    const rows: VipLlavaRow[] = []
    const renders: ImageRender[] = []
    const allRejects: RejectRecord[] = [...rejects]
    const stem = image.imagePath.replace(/\.[^./]+$/, '').replace(/\//g, '_')
    for (const [k, { region, captions }] of kept.entries()) {
      if (needsMask && !region.maskRle) {
        allRejects.push({ source: image.source, imageId: image.imageId, segmentId: region.segmentId, regionId: region.regionId, reason: 'missing_in_png', detail: 'segment not found in the panoptic PNG; a mask contour cannot be drawn', ...(region.origin ? { origin: region.origin } : {}) })
        continue
      }
      const shape = rng.pick(opts.shapes)
      const colorName = rng.pick(Object.keys(VIP_COLORS))
      const shapes = vipShapes(shape, region, image, VIP_COLORS[colorName]!, rng)
      const tpl = rng.pick(ctx.templates.single_region)
      const question = fillTemplate(tpl, { region: vipPhrase(shape, colorName) })
      const id = sampleId(image.imageId, k, ctx.epoch ?? 0)
      const output = `vip/${ctx.split}/${stem}-${region.segmentId}${ctx.epoch ? `-e${ctx.epoch}` : ''}.png`
      const [x, y, w, h] = region.bbox
      renders.push({ source: image.imagePath, output, shapes })
      rows.push({
        id,
        image: imageRef(ctx, output),
        conversations: [
          { from: 'human', value: `<image>\n${question}` },
          { from: 'gpt', value: chooseCaption(rng, captions) },
        ],
        bboxes: [[x, y, x + w, y + h]],
        shape,
        color: colorName,
        source_image: image.imagePath,
        template_ids: [tpl.id],
      })
    }
    return { rows, rejects: allRejects, renders }
  },
}
