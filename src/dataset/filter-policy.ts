// pixcap's one explicit region filter policy. Consumers of Pix2Cap-COCO disagree (reference/pix2cap.md §4), so every
// rule is a field with a documented default and a CLI flag, and the policy is recorded in the output manifest.
// Defaults:
// - dropCrowd (true; --keep-crowd): iscrowd segments describe groups; the X-Decoder mapper skips them and GPT4RoI turns
//   them into ignore boxes (pix2cap.md §4).
// - minCaptionChars (3; --min-caption-chars N): per region, captions that are empty or shorter than N characters
//   (Unicode code points, after trimming whitespace) are dropped; a region with no caption left is rejected as
//   `empty_caption` (nothing but empty strings) or `short_caption`. The 3 mirrors the official loader's `len < 3`.
// - minBoxSide (1; --min-box-side N): boxes with w < N or h < N are rejected as `tiny_box`; area <= 0 always is.
//   With N = 1 this is GPT4RoI DENSECOCO's rule (`area <= 0 or w < 1 or h < 1`, pix2cap.md §4).
// - imageRule ('off'; --image-rule xdecoder-train|xdecoder-all): the official X-Decoder loader drops a WHOLE train
//   image if any segment has `description == ''` or `len(description) < 3` (register_pix2cap_coco.py). `len` is
//   Python's: characters for a string, ITEMS for a list, so a 2-caption list also trips it (fixture README).
//   `xdecoder-train` applies it to split `train` only, as the loader does; `xdecoder-all` to every split.
// - maxCaptionChars (MAX_CAPTION_CHARS; --max-caption-chars N): captions longer than N characters are dropped; a
//   region with none left is rejected as `long_caption` (a 50 MB "caption" must not reach the corpus).
// - dropMarkLeftovers (false; --drop-mark-leftovers): captions naming a set-of-mark label ("next to object 12",
//   dataset/caption-checks.ts) are dropped; a region with none left is rejected as `mark_leftover`.
import { z } from 'zod'

/**
 * Over this many characters a caption is "too long". Pix2Cap-COCO's captions average 22.94 words (reference/pix2cap.md
 * §2), about 130 characters; 2,000 is ~15x that, far above any real caption and far below a pasted document.
 */
export const MAX_CAPTION_CHARS = 2_000

/**
 * The one caption-length rule: the official loader's `len(description) < 3` (register_pix2cap_coco.py; reference/pix2cap.md
 * §4). It is the policy's default minCaptionChars, the X-Decoder image rule's threshold, and what stats and validate
 * call a short caption.
 */
export const MIN_CAPTION_CHARS = 3

/** The filter policy; parse with FilterPolicy.parse({}) for the defaults. */
export const FilterPolicy = z.object({
  dropCrowd: z.boolean().default(true),
  minCaptionChars: z.number().int().min(0).default(MIN_CAPTION_CHARS),
  minBoxSide: z.number().min(0).default(1),
  imageRule: z.enum(['off', 'xdecoder-train', 'xdecoder-all']).default('off'),
  maxCaptionChars: z.number().int().min(1).default(MAX_CAPTION_CHARS),
  dropMarkLeftovers: z.boolean().default(false),
})
export type FilterPolicy = z.infer<typeof FilterPolicy>

/** The default policy. */
export const DEFAULT_FILTER_POLICY: FilterPolicy = FilterPolicy.parse({})

/** Length in Unicode code points (Python's len on str), not UTF-16 units. */
export function charLength(s: string): number {
  let n = 0
  for (const _ of s) n++
  return n
}
