// Boxes written as text, for formats that have no side tensor (reference/formats.md §1, §10 cheat sheet).
import { BBOX_TOKEN, BEGIN_STRING } from '../instruct/gpt4roi-tokens.js'
import { type NormBox } from '../instruct/region-selection.js'
import { type RegionSample, type Turn } from '../instruct/gpt4roi-conversation.js'
import { PixcapError } from '../errors.js'
import type { BoxConvention } from './box-convention.js'

/** Decimals of the plain-text box: Shikra / LLaVA eval file convention, `[0.102,0.215,0.530,0.994]` (formats.md §5, §2). */
export const TEXT_BOX_DECIMALS = 3
/** Qwen-VL's integer grid: xyxy scaled to [0, 1000) (formats.md §7). */
export const QWEN_GRID = 1000

/** `[x1,y1,x2,y2]` normalised, 3 decimals, no spaces. */
export function textBox(b: NormBox): string {
  return `[${b.map((v) => v.toFixed(TEXT_BOX_DECIMALS)).join(',')}]`
}

/** A normalised coordinate on Qwen-VL's [0, 1000) grid: floor(v * 1000), with 1.0 (the far edge) mapped to 999. */
export function qwenCoord(v: number): number {
  return Math.min(QWEN_GRID - 1, Math.max(0, Math.floor(v * QWEN_GRID)))
}

/** `<box>(x1,y1),(x2,y2)</box>` on the [0, 1000) grid (formats.md §7). */
export function qwenBox(b: NormBox): string {
  return `<box>(${qwenCoord(b[0])},${qwenCoord(b[1])}),(${qwenCoord(b[2])},${qwenCoord(b[3])})</box>`
}

/**
 * Re-renders GPT4RoI turns for a text-box format: each `<bbox>` (in order across turns) becomes `box(boxes[k], k)`,
 * and the begin string of the first turn becomes `imagePrefix`. Throws if tokens and boxes disagree.
 */
export function renderTurns(sample: RegionSample, box: (b: NormBox, k: number) => string, imagePrefix: string): Turn[] {
  let k = 0
  const turns = sample.conversations.map((turn, i) => {
    let value = turn.value
    if (i === 0 && value.startsWith(BEGIN_STRING)) value = imagePrefix + value.slice(BEGIN_STRING.length)
    value = value
      .split(BBOX_TOKEN)
      .map((part, j) => (j === 0 ? part : `${box(sample.boxes[k] as NormBox, k++)}${part}`))
      .join('')
    return { from: turn.from, value }
  })
  if (k !== sample.boxes.length) {
    throw new PixcapError('invariant', sample.image.origin?.file ?? sample.image.source, sample.image.origin?.path ?? [], `sample ${sample.id}: rendered ${k} boxes, expected ${sample.boxes.length}`)
  }
  return turns
}

/** Inline text of region k of a sample in a box convention (pixel box and original size in, convention text out). */
export function conventionBox(convention: BoxConvention, sample: RegionSample): (b: NormBox, k: number) => string {
  return (_b, k) => {
    const region = sample.regions[k]
    if (region === undefined) throw new RangeError(`sample ${sample.id} has no region ${k}`)
    return convention.inline(convention.encode(region.bbox, sample.image.width, sample.image.height))
  }
}
