// Canonical region and image records: every source reader maps its on-disk shape (Raw*, snake_case) to these.
// Boxes are COCO pixels [x, y, w, h], 0-indexed, with w = xMax - xMin + 1 (pycocotools rleToBbox); see reference/pix2cap.md §3.
import { z } from 'zod'

/** Image ids: COCO-style integers, or strings for sources that key images by name (ViP-Bench `v1_0`). */
export const ImageId = z.union([z.number().int(), z.string().min(1)])
export type ImageId = z.infer<typeof ImageId>

/** `[x, y, w, h]` in pixels. */
export const BBoxXYWH = z.tuple([z.number(), z.number(), z.number(), z.number()])
export type BBoxXYWH = z.infer<typeof BBoxXYWH>

/** COCO compressed RLE as pycocotools writes it: column-major runs, `counts` as the LEB128-like string. */
export const CocoRle = z.object({ size: z.tuple([z.number().int(), z.number().int()]), counts: z.string() })
export type CocoRle = z.infer<typeof CocoRle>

/** Where a record came from: the file and the JSON path of its entry, so later checks can name it. */
export const Origin = z.object({ file: z.string(), path: z.array(z.union([z.string(), z.number()])) })
export type Origin = z.infer<typeof Origin>

/** One region (a panoptic segment, a VG region, ...) with its captions. */
export const RegionRecord = z.object({
  /** Source-scoped unique id, `<imageId>:<segmentId>`: segment ids repeat across images (pix2cap.md §3). */
  regionId: z.string(),
  segmentId: z.number().int(),
  categoryId: z.number().int(),
  category: z.string(),
  isThing: z.boolean(),
  isCrowd: z.boolean(),
  bbox: BBoxXYWH,
  area: z.number().nonnegative(),
  /** Zero or more captions; Pix2Cap descriptions may be a string or a list of alternatives. */
  captions: z.array(z.string()),
  maskRle: CocoRle.optional(),
  /** e.g. `{ file: 'pix2cap_val.json', path: ['annotations', 0, 'segments_info', 3] }`. */
  origin: Origin.optional(),
})
export type RegionRecord = z.infer<typeof RegionRecord>

/** `<image>`: where the picture goes in an image-level conversation (LLaVA's DEFAULT_IMAGE_TOKEN, formats.md §2). */
export const IMAGE_TOKEN = '<image>'

/** One turn of an image-level conversation, in LLaVA's roles. */
export const ConversationTurn = z.object({ from: z.enum(['human', 'gpt']), value: z.string() })
export type ConversationTurn = z.infer<typeof ConversationTurn>

/**
 * A conversation about a whole image, as a source wrote it (LLaVA-Instruct-150k, VCR): turns alternate human/gpt and
 * start with a human turn holding exactly one `<image>`; each `<bbox>` in the turns (in order) refers to the region
 * of the same position in `regions` (GPT4RoI's `<bbox>` binding, gpt4roi.md §2). These regions are referents of the
 * text, not captioned regions: they are not in `ImageRecord.regions`, no caption filter applies to them, and a
 * conversation counts once in a manifest's `counts.conversations` whatever it refers to (docs/sources.md).
 */
export const ImageConversation = z.object({
  /** The source's id of the item (LLaVA `id`, VCR `annot_id`); row formats write it as the row id. */
  id: z.string().min(1),
  turns: z.array(ConversationTurn).min(2),
  regions: z.array(RegionRecord),
  /** e.g. `{ file: 'llava_instruct_150k.json', path: [12] }`. */
  origin: Origin.optional(),
})
export type ImageConversation = z.infer<typeof ImageConversation>

/** One image with its regions, in source order. */
export const ImageRecord = z.object({
  /** Reader that produced it, e.g. `pix2cap-coco`. */
  source: z.string(),
  split: z.string(),
  imageId: ImageId,
  /** Relative to the images root; never absolute, never escaping the root. */
  imagePath: z.string(),
  /** Panoptic PNG, relative to the panoptic root, when the source has masks. */
  maskPath: z.string().optional(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  regions: z.array(RegionRecord),
  /** Image-level conversations (sources without captioned regions: LLaVA-Instruct-150k, VCR); absent elsewhere. */
  conversations: z.array(ImageConversation).optional(),
  /** e.g. `{ file: 'pix2cap_val.json', path: ['annotations', 0] }`. */
  origin: Origin.optional(),
})
export type ImageRecord = z.infer<typeof ImageRecord>

/** Builds the canonical region id. */
export function regionIdOf(imageId: ImageId, segmentId: number): string {
  return `${imageId}:${segmentId}`
}
