// Every dropped region (or image) is written to the rejects report with a reason code, so that
// regions in = regions kept + regions rejected holds and can be checked (ARCHITECTURE.md, corpus invariant).
import { z } from 'zod'
import { ImageId, Origin } from './region-record.js'

/** Why a region was dropped. Stable codes: they appear in rejects.jsonl and manifests. */
export const RejectReason = z.enum([
  'crowd', // iscrowd segment (policy: dropCrowd)
  'empty_caption', // no caption, or only empty strings
  'short_caption', // every caption shorter than minCaptionChars
  'long_caption', // every caption longer than maxCaptionChars
  'mark_leftover', // every caption names a set-of-mark label ("next to object 12"); policy dropMarkLeftovers
  'tiny_box', // box side below minBoxSide pixels
  'box_outside_image', // bbox reaches past the image's width/height (or starts below 0)
  'small_box_224', // GPT4RoI filter: w or h <= 2 px after the 224x224 stretch (gpt4roi.md §3)
  'image_rule', // dropped with its whole image (official loader's whole-image rule)
  'missing_in_png', // segment listed in JSON, absent from the panoptic PNG
  'mask_mismatch', // box or area disagrees with the pixels and the policy drops it
  'no_image', // annotation without an image entry
  'invalid', // failed schema validation
  'duplicate', // exact duplicate removed by dedup
  'contaminated', // overlaps a benchmark image
  'near_duplicate', // dedup: image within the pHash radius of a kept image, or caption near-identical to a kept one
  'downsampled', // mix: row not drawn when a part was sampled down to its target
  'unsupported_by_format', // an image-level conversation the target format has no row for (e.g. densecoco)
])
export type RejectReason = z.infer<typeof RejectReason>

/** One line of rejects.jsonl. */
export const RejectRecord = z.object({
  source: z.string(),
  imageId: ImageId,
  segmentId: z.number().int().optional(),
  regionId: z.string().optional(),
  /** Set when the reject is an image-level conversation, not a region (counted in counts.conversations). */
  conversationId: z.string().optional(),
  reason: RejectReason,
  detail: z.string(),
  /** dedup: the kept image or region this one duplicates; contamination: `<evaluation set>:<image>`. */
  duplicateOf: z.string().optional(),
  /** Where the region was read, e.g. `{ file: 'pix2cap_val.json', path: ['annotations', 0, 'segments_info', 9] }`. */
  origin: Origin.optional(),
})
export type RejectRecord = z.infer<typeof RejectRecord>
