// Choosing what a sample shows, shared by every format: which regions are usable (with the reason for each that is
// not), the per-image random source, the caption picked among alternatives, boxes normalised to the image, sample ids.
import type { ImageRecord, RegionRecord } from '../records/region-record.js'
import type { RejectRecord } from '../records/reject.js'
import { createRng, deriveSeed, type Rng } from '../util/rng.js'
import { BBOX_TOKEN, GPT4ROI_IMAGE_SIDE, GPT4ROI_MIN_BOX_224 } from './gpt4roi-tokens.js'

/** Normalised `[x1, y1, x2, y2]` in [0, 1]. */
export type NormBox = [number, number, number, number]

/**
 * `<imageId>-<chunk>`, or `<imageId>-e<epoch>-<chunk>` for later draws of a multi-epoch corpus, so ids stay unique
 * and the first draw's ids equal a single-epoch corpus's.
 */
export function sampleId(imageId: string | number, chunk: number, epoch = 0): string {
  return epoch === 0 ? `${imageId}-${chunk}` : `${imageId}-e${epoch}-${chunk}`
}

/** Normalised xyxy of a pixel xywh box (gpt4roi.md §3). */
export function normaliseBox(bbox: readonly [number, number, number, number], width: number, height: number): NormBox {
  const [x, y, w, h] = bbox
  return [x / width, y / height, (x + w) / width, (y + h) / height]
}

/** True when GPT4RoI's pipeline would drop the box: w or h <= 2 px after the 224 stretch, i.e. w <= 2W/224 (gpt4roi.md §3). */
export function isSmallAt224(bbox: readonly [number, number, number, number], width: number, height: number): boolean {
  // Compared as w * 224 <= 2 * W to avoid rounding at the boundary.
  return bbox[2] * GPT4ROI_IMAGE_SIDE <= GPT4ROI_MIN_BOX_224 * width || bbox[3] * GPT4ROI_IMAGE_SIDE <= GPT4ROI_MIN_BOX_224 * height
}

/** Tokens a caption must not contain: they would be counted as region or image tokens. */
const CAPTION_RESERVED = [BBOX_TOKEN, '<image>']

/** True when every caption is non-empty after trimming and holds no reserved token (and there is at least one). */
function allPlainCaptions(captions: readonly string[]): boolean {
  if (captions.length === 0) return false
  for (let i = 0; i < captions.length; i++) {
    const c = captions[i]!
    if (c.trim() === '') return false
    for (let k = 0; k < CAPTION_RESERVED.length; k++) if (c.includes(CAPTION_RESERVED[k]!)) return false
  }
  return true
}

/** A region usable for a sample, with its non-empty captions. */
export interface UsableRegion {
  region: RegionRecord
  captions: string[]
}

/** Keeps regions with a usable caption (and, optionally, a box GPT4RoI keeps); every other region becomes a reject. */
export function usableRegions(image: ImageRecord, opts: { dropSmall224?: boolean }): { kept: UsableRegion[]; rejects: RejectRecord[] } {
  const kept: UsableRegion[] = []
  const rejects: RejectRecord[] = []
  const reject = (region: RegionRecord, reason: RejectRecord['reason'], detail: string): void => {
    rejects.push({ source: image.source, imageId: image.imageId, segmentId: region.segmentId, regionId: region.regionId, reason, detail })
  }
  for (const region of image.regions) {
    // The usual case, every caption non-empty and free of reserved tokens, shares the region's array (nothing mutates
    // captions) instead of building a filtered copy and two closures per region.
    const plain = allPlainCaptions(region.captions)
    const captions = plain ? region.captions : region.captions.filter((c) => c.trim() !== '')
    const reserved = plain ? undefined : CAPTION_RESERVED.find((tok) => captions.some((c) => c.includes(tok)))
    if (captions.length === 0) reject(region, 'empty_caption', 'no non-empty caption reached the instruction builder')
    else if (reserved !== undefined) reject(region, 'invalid', `caption contains the reserved token "${reserved}", which would break the token count`)
    else if (opts.dropSmall224 === true && isSmallAt224(region.bbox, image.width, image.height))
      reject(
        region,
        'small_box_224',
        `bbox [${region.bbox.join(', ')}] is ${((region.bbox[2] * GPT4ROI_IMAGE_SIDE) / image.width).toFixed(2)} x ` +
          `${((region.bbox[3] * GPT4ROI_IMAGE_SIDE) / image.height).toFixed(2)} px after the ${image.width}x${image.height} -> 224x224 stretch; GPT4RoI drops w or h <= 2`,
      )
    else kept.push({ region, captions })
  }
  return { kept, rejects }
}

/** The per-image random source: deriveSeed(seed, String(imageId)), so any shard rebuilds the same samples. */
export function imageRng(seed: number, image: ImageRecord): Rng {
  return createRng(deriveSeed(seed, String(image.imageId)))
}

/** Picks one caption: the only one, or one chosen with the rng when there are several. */
export function chooseCaption(rng: Rng, captions: readonly string[]): string {
  return captions.length === 1 ? (captions[0] as string) : rng.pick(captions)
}
