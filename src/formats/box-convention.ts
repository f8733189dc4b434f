// Box conventions as data: how each model family wants a region box written in text (reference/formats.md §1, §10).
// Every convention starts from the source's pixel [x, y, w, h] and the ORIGINAL image size, states the upstream line
// it follows, and gives (a) the numbers and (b) how they are printed inline and in a grounding answer. A text format
// (llava, sharegpt) picks one with its `boxes` option (`pixcap convert --boxes NAME`); nothing switches on the name.
//
// Padded-square conventions (LLaVA-1.5, Shikra) shift the box by the padding that expand2square adds: the image is
// pasted at ((S - W) // 2, (S - H) // 2) on an S x S canvas, S = max(W, H) (haotian-liu/LLaVA llava/mm_utils.py
// `expand2square`, L150-161; the same function in llava/train/train.py LazySupervisedDataset.__getitem__), and LLaVA-1.5's
// grounding data is normalised to that square (haotian-liu/LLaVA issues 606 and 822).
import type { BBoxXYWH } from '../records/region-record.js'

/** A named box convention. `encode` gives xyxy numbers; `inline` and `answer` print them. */
export interface BoxConvention {
  readonly name: string
  /** One line for --help, docs and the manifest. */
  readonly summary: string
  /** The upstream file/line (or maintainer statement) the rule follows. */
  readonly source: string
  /** xyxy numbers in this convention's space, from a pixel [x, y, w, h] box of a W x H image. */
  encode(bbox: Readonly<BBoxXYWH>, width: number, height: number): [number, number, number, number]
  /** The box as it appears inside a question, e.g. `[0.12, 0.3, 0.5, 0.9]`. */
  inline(xyxy: readonly number[]): string
  /** A grounding answer listing labelled boxes, in the family's answer syntax. */
  answer(items: readonly { label: string; xyxy: readonly number[] }[]): string
}

/** Offsets and side of LLaVA's expand2square canvas (llava/mm_utils.py L150-161: paste at ((S-W)//2, (S-H)//2)). */
export function squarePadding(width: number, height: number): { side: number; dx: number; dy: number } {
  const side = Math.max(width, height)
  return { side, dx: Math.floor((side - width) / 2), dy: Math.floor((side - height) / 2) }
}

/** The box on the padded square, normalised by its side (not clamped). */
export function paddedSquareBox(bbox: Readonly<BBoxXYWH>, width: number, height: number): [number, number, number, number] {
  const { side, dx, dy } = squarePadding(width, height)
  const [x, y, w, h] = bbox
  return [(x + dx) / side, (y + dy) / side, (x + w + dx) / side, (y + h + dy) / side]
}

/** Qwen2.5-VL's smart_resize defaults (transformers Qwen2VLImageProcessor `smart_resize`: factor 28, min 56*56, max 14*14*4*1280). */
export const QWEN25_RESIZE = { factor: 28, minPixels: 56 * 56, maxPixels: 14 * 14 * 4 * 1280 } as const

/**
 * The (height, width) Qwen2.5-VL resizes an image to: both sides multiples of `factor`, total pixels within
 * [minPixels, maxPixels], aspect ratio kept as far as possible (transformers models/qwen2_vl/image_processing_qwen2_vl.py
 * `smart_resize`, L63-89 in the test venv's transformers; the same rule as QwenLM/Qwen2.5-VL qwen-vl-utils
 * vision_process.py). Python's round() is
 * half-to-even, so it is reproduced here rather than Math.round.
 */
export function smartResize(height: number, width: number, o: { factor: number; minPixels: number; maxPixels: number } = QWEN25_RESIZE): { height: number; width: number } {
  const { factor, minPixels, maxPixels } = o
  if (Math.max(height, width) / Math.min(height, width) > 200) throw new RangeError(`aspect ratio of ${width}x${height} is above 200`)
  let h = pyRound(height / factor) * factor
  let w = pyRound(width / factor) * factor
  if (h * w > maxPixels) {
    const beta = Math.sqrt((height * width) / maxPixels)
    h = Math.max(factor, Math.floor(height / beta / factor) * factor)
    w = Math.max(factor, Math.floor(width / beta / factor) * factor)
  } else if (h * w < minPixels) {
    const beta = Math.sqrt(minPixels / (height * width))
    h = Math.ceil((height * beta) / factor) * factor
    w = Math.ceil((width * beta) / factor) * factor
  }
  return { height: h, width: w }
}

/** Python 3 round(): half to even. */
export function pyRound(v: number): number {
  const f = Math.floor(v)
  const diff = v - f
  if (diff > 0.5) return f + 1
  if (diff < 0.5) return f
  return f % 2 === 0 ? f : f + 1
}

/**
 * Python's repr of round(v, 2), the way LLaVA-1.5's grounding data prints its decimals (`0.6`, not `0.60`).
 * round() works on the exact binary value; in [0, 1] the only exact ties are odd multiples of 1/8 (0.125 ...),
 * which Python rounds half to even, while toFixed rounds them up.
 */
export function pyRound2(v: number): string {
  const tie = Number.isInteger(v * 8) && !Number.isInteger(v * 4)
  const r = tie ? pyRound(v * 100) / 100 : Number(v.toFixed(2))
  const s = String(r)
  return s.includes('.') || s.includes('e') ? s : `${s}.0`
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v))
const list = (xyxy: readonly number[], sep = ', '): string => `[${xyxy.join(sep)}]`
const plainAnswer = (items: readonly { label: string; xyxy: readonly number[] }[], box: (x: readonly number[]) => string): string =>
  items.map((i) => `${i.label} ${box(i.xyxy)}`).join('\n')

/** int(v * 1000 / side) on a 0..limit grid. */
const grid = (v: number, side: number, limit: number): number => clamp(Math.floor((v * 1000) / side), 0, limit)

/** pixcap's earlier default: normalised xyxy of the ORIGINAL image, 3 decimals (the LLaVA eval caps file, formats.md §2, §10). */
export const originalThreeDecimals: BoxConvention = {
  name: 'original-3dp',
  summary: 'normalised xyxy of the original image, 3 decimals, `[0.102,0.215,0.530,0.994]`',
  source: 'haotian-liu/LLaVA llava/eval/table/caps_boxes_coco2014_val_80.jsonl (formats.md §2)',
  encode: ([x, y, w, h], W, H) => [x / W, y / H, (x + w) / W, (y + h) / H].map((v) => clamp(v, 0, 1)) as [number, number, number, number],
  inline: (b) => `[${b.map((v) => v.toFixed(3)).join(',')}]`,
  answer: (items) => plainAnswer(items, originalThreeDecimals.inline),
}

/** LLaVA-1.5: normalised to the expand2square canvas, Python round(v, 2) (LLaVA issues 606, 822). */
export const llava15: BoxConvention = {
  name: 'llava-1.5',
  summary: 'xyxy normalised to the expand2square padded square, 2 decimals as Python prints them, `[0.12, 0.3, 0.5, 0.9]`',
  source: 'haotian-liu/LLaVA llava/mm_utils.py expand2square L150-161; grounding data normalised to the padded square (LLaVA issues 606, 822)',
  encode: (b, W, H) => paddedSquareBox(b, W, H).map((v) => clamp(v, 0, 1)) as [number, number, number, number],
  inline: (b) => `[${b.map(pyRound2).join(', ')}]`,
  answer: (items) => plainAnswer(items, llava15.inline),
}

/** Shikra: padded square, clamped to [0, 1], 3 decimals, comma-joined without spaces (formats.md §5). */
export const shikra: BoxConvention = {
  name: 'shikra',
  summary: 'xyxy normalised to the padded square, clamped to [0,1], 3 decimals, `[0.102,0.215,0.530,0.994]`',
  source: 'shikras/shikra mllm/dataset/process_function/box_process_function.py PlainBoxFormatter; mllm/dataset/utils/transform.py Expand2square (formats.md §5)',
  encode: (b, W, H) => paddedSquareBox(b, W, H).map((v) => clamp(v, 0, 1)) as [number, number, number, number],
  inline: (b) => `[${b.map((v) => v.toFixed(3)).join(',')}]`,
  answer: (items) => plainAnswer(items, shikra.inline),
}

/** Ferret: int(coord * 1000 / W or H) of the original image, kept on 0..999 (VOCAB_IMAGE_W/H = 1000). */
export const ferret: BoxConvention = {
  name: 'ferret',
  summary: 'xyxy integers int(v*1000/W|H) of the original image, on 0..999, `[102, 215, 530, 994]`',
  source: 'apple/ml-ferret ferret/train/train.py VOCAB_IMAGE_W/H = 1000 and get_bbox_coor (ratio = 1000 / W|H), formats.md §6',
  encode: ([x, y, w, h], W, H) => [grid(x, W, 999), grid(y, H, 999), grid(x + w, W, 999), grid(y + h, H, 999)],
  inline: (b) => list(b),
  answer: (items) => plainAnswer(items, ferret.inline),
}

/** Qwen-VL (v1): integers on [0, 1000), `<ref>label</ref><box>(x1,y1),(x2,y2)</box>`. */
export const qwenVlBoxes: BoxConvention = {
  name: 'qwen-vl',
  summary: 'xyxy integers on [0,1000) of the original image, `<box>(x1,y1),(x2,y2)</box>`',
  source: 'QwenLM/Qwen-VL README finetuning section and TUTORIAL.md (formats.md §7)',
  encode: ([x, y, w, h], W, H) => [grid(x, W, 999), grid(y, H, 999), grid(x + w, W, 999), grid(y + h, H, 999)],
  inline: (b) => `<box>(${b[0]},${b[1]}),(${b[2]},${b[3]})</box>`,
  answer: (items) => items.map((i) => `<ref>${i.label}</ref>${qwenVlBoxes.inline(i.xyxy)}`).join('\n'),
}

const jsonAnswer = (items: readonly { label: string; xyxy: readonly number[] }[]): string =>
  `\`\`\`json\n[\n${items.map((i) => `\t{"bbox_2d": ${list(i.xyxy)}, "label": ${JSON.stringify(i.label)}}`).join(',\n')}\n]\n\`\`\``

/** Qwen2.5-VL: absolute pixels of the smart-resized image; answers as a JSON list of `{"bbox_2d", "label"}`. */
export const qwen25Vl: BoxConvention = {
  name: 'qwen2.5-vl',
  summary: 'xyxy absolute pixels of the smart-resized image (sides multiples of 28), answers as JSON `{"bbox_2d": [...], "label": ...}`',
  source:
    'transformers qwen2_vl image_processing smart_resize (factor 28, min_pixels 56*56, max_pixels 14*14*4*1280); ' +
    'QwenLM/Qwen2.5-VL cookbooks/spatial_understanding.ipynb JSON bbox_2d (formats.md §7, Qwen3-VL issues 721, 866)',
  encode: ([x, y, w, h], W, H) => {
    const r = smartResize(H, W)
    const sx = r.width / W
    const sy = r.height / H
    return [pyRound(x * sx), pyRound(y * sy), pyRound((x + w) * sx), pyRound((y + h) * sy)]
  },
  inline: (b) => list(b),
  answer: jsonAnswer,
}

/** Qwen3-VL: relative coordinates on 0..1000 of the original image, the same JSON answers as Qwen2.5-VL. */
export const qwen3Vl: BoxConvention = {
  name: 'qwen3-vl',
  summary: 'xyxy integers int(v*1000/W|H) on 0..1000 (relative), answers as JSON `{"bbox_2d": [...], "label": ...}`',
  source: 'QwenLM/Qwen3-VL cookbooks (2d grounding: relative coordinates scaled to 1000) and issues 721, 1161 (formats.md §7)',
  encode: ([x, y, w, h], W, H) => [grid(x, W, 1000), grid(y, H, 1000), grid(x + w, W, 1000), grid(y + h, H, 1000)],
  inline: (b) => list(b),
  answer: jsonAnswer,
}

/** InternVL 2.5/3: int(v / W * 1000), `<ref>label</ref><box>[[x1, y1, x2, y2]]</box>`. */
export const internVl: BoxConvention = {
  name: 'internvl',
  summary: 'xyxy integers int(v/W|H*1000) on 0..1000, `<ref>label</ref><box>[[x1, y1, x2, y2]]</box>`',
  source:
    'OpenGVLab/InternVL docs chat_data_format.md "Grounding / Detection Data" and maintainer comment in issue 285 ' +
    '(x1 = int(x1 / width * 1000))',
  encode: ([x, y, w, h], W, H) => [grid(x, W, 1000), grid(y, H, 1000), grid(x + w, W, 1000), grid(y + h, H, 1000)],
  inline: (b) => `<box>[${list(b)}]</box>`,
  answer: (items) => items.map((i) => `<ref>${i.label}</ref>${internVl.inline(i.xyxy)}`).join('\n'),
}

/** GPT4RoI: the numbers of its side tensor (normalised xyxy of the original, unrounded); in text a `<bbox>` placeholder. */
export const gpt4roiBoxes: BoxConvention = {
  name: 'gpt4roi',
  summary: 'normalised xyxy [x/W, y/H, (x+w)/W, (y+h)/H] in a side list, one `<bbox>` placeholder per region in the text',
  source: 'jshilong/GPT4RoI gpt4roi/models/spi_llava.py (k-th <bbox> gets bboxes[k]); mmdet Resize keep_ratio=False (gpt4roi.md §2, §3)',
  encode: ([x, y, w, h], W, H) => [x / W, y / H, (x + w) / W, (y + h) / H],
  inline: () => '<bbox>',
  answer: (items) => items.map((i) => `${i.label} <bbox>`).join('\n'),
}

/** Every convention by name. */
export const BOX_CONVENTIONS = {
  'original-3dp': originalThreeDecimals,
  'llava-1.5': llava15,
  shikra,
  ferret,
  'qwen-vl': qwenVlBoxes,
  'qwen2.5-vl': qwen25Vl,
  'qwen3-vl': qwen3Vl,
  internvl: internVl,
  gpt4roi: gpt4roiBoxes,
} satisfies Record<string, BoxConvention>

/** A registered convention name. */
export type BoxConventionName = keyof typeof BOX_CONVENTIONS
/** Names usable in text formats (gpt4roi keeps its boxes in a side list, so only `--to gpt4roi` writes them). */
export const TEXT_BOX_CONVENTIONS = Object.keys(BOX_CONVENTIONS).filter((n) => n !== 'gpt4roi') as Exclude<BoxConventionName, 'gpt4roi'>[]
