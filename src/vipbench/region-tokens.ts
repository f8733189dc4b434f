// Rewrites ViP-Bench's `<obj>` / `<objN>` placeholders into GPT4RoI region tokens (reference/vipbench.md §7):
// `<objN>` -> `region{N} <bbox>` in backticks, a bare `<obj>` -> region1, boxes normalised by [W, H, W, H] in the
// order the `<bbox>` tokens appear. A label mentioned again later is written as plain `region{N}` without a new
// token, so the count of `<bbox>` always equals the number of boxes (the GPT4RoI rule, reference/gpt4roi.md §2).

/** Pixel xyxy box of one labelled shape. */
export type PixelBox = [number, number, number, number]

/** Result of rewriting one question. */
export interface RegionQuestion {
  text: string
  /** Normalised xyxy boxes, one per `<bbox>` token, in token order. */
  boxes: [number, number, number, number][]
  /** Labels in token order (`obj`, `obj1`, ...). */
  labels: string[]
}

const OBJ_TAG = /<obj(\d*)>/g

/** Lists the distinct `<obj...>` labels of a question in order of first appearance. */
export function objLabels(question: string): string[] {
  const seen: string[] = []
  for (const m of question.matchAll(OBJ_TAG)) {
    const label = `obj${m[1] ?? ''}`
    if (!seen.includes(label)) seen.push(label)
  }
  return seen
}

/**
 * Replaces every `<objN>` with `` `regionN <bbox>` `` (first mention) or `regionN` (later mentions).
 * `boxFor(label)` returns the pixel xyxy box of a label or throws with a message naming what is missing.
 */
export function rewriteObjTags(question: string, boxFor: (label: string) => PixelBox, width: number, height: number): RegionQuestion {
  const boxes: RegionQuestion['boxes'] = []
  const labels: string[] = []
  const text = question.replace(OBJ_TAG, (_tag, digits: string) => {
    const label = `obj${digits}`
    const n = digits === '' ? 1 : Number(digits)
    if (labels.includes(label)) return `region${n}`
    const [x1, y1, x2, y2] = boxFor(label)
    labels.push(label)
    boxes.push([x1 / width, y1 / height, x2 / width, y2 / height])
    return `\`region${n} <bbox>\``
  })
  return { text, boxes, labels }
}

/** Bounding box of a LabelMe shape's points (a rectangle's 2 corners in any order, or a polygon). */
export function shapeBox(points: readonly (readonly [number, number])[]): PixelBox {
  let x1 = Infinity
  let y1 = Infinity
  let x2 = -Infinity
  let y2 = -Infinity
  for (const [x, y] of points) {
    if (x < x1) x1 = x
    if (y < y1) y1 = y
    if (x > x2) x2 = x
    if (y > y2) y2 = y
  }
  return [x1, y1, x2, y2]
}
