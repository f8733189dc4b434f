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
import { UsageError } from '../errors.js'

/**
 * Over this many characters a caption is "too long". Pix2Cap-COCO's captions average 22.94 words (reference/pix2cap.md
 * §2), about 130 characters; 2,000 is ~15x that, far above any real caption and far below a pasted document.
 */
export const MAX_CAPTION_CHARS = 2_000

/** The filter policy; parse with FilterPolicy.parse({}) for the defaults. */
export const FilterPolicy = z.object({
  dropCrowd: z.boolean().default(true),
  minCaptionChars: z.number().int().min(0).default(3),
  minBoxSide: z.number().min(0).default(1),
  imageRule: z.enum(['off', 'xdecoder-train', 'xdecoder-all']).default('off'),
  maxCaptionChars: z.number().int().min(1).default(MAX_CAPTION_CHARS),
  dropMarkLeftovers: z.boolean().default(false),
})
export type FilterPolicy = z.infer<typeof FilterPolicy>

/** The default policy. */
export const DEFAULT_FILTER_POLICY: FilterPolicy = FilterPolicy.parse({})

/** The official loader's threshold: `len(description) < 3` (pix2cap.md §4). */
export const XDECODER_MIN_DESCRIPTION_LEN = 3

/** parseArgs option declarations for the policy flags; spread into a command's `options`. */
export const FILTER_POLICY_FLAGS = {
  'keep-crowd': { type: 'boolean' },
  'min-caption-chars': { type: 'string' },
  'min-box-side': { type: 'string' },
  'image-rule': { type: 'string' },
  'max-caption-chars': { type: 'string' },
  'drop-mark-leftovers': { type: 'boolean' },
} as const

/** Usage text for the policy flags. */
export const FILTER_POLICY_USAGE =
  '[--keep-crowd] [--min-caption-chars N (3)] [--min-box-side N (1)] [--image-rule off|xdecoder-train|xdecoder-all] [--max-caption-chars N (2000)] [--drop-mark-leftovers]'

/** `--help` lines for the policy flags (Command.options). */
export const FILTER_POLICY_OPTIONS = [
  { flag: '--keep-crowd', description: 'keep iscrowd segments (dropped by default)' },
  { flag: '--min-caption-chars N', description: 'drop captions shorter than N characters; a region with none left is rejected', default: '3' },
  { flag: '--min-box-side N', description: 'reject boxes with a side under N px (zero area always is)', default: '1' },
  { flag: '--image-rule R', description: 'off, xdecoder-train or xdecoder-all: the official loader\'s whole-image rule', default: 'off' },
  { flag: '--max-caption-chars N', description: 'drop captions longer than N characters', default: String(MAX_CAPTION_CHARS) },
  { flag: '--drop-mark-leftovers', description: 'drop captions naming a set-of-mark label ("next to object 12")' },
]

/** Builds a policy from parsed flag values; bad values are UsageErrors naming the flag. */
export function filterPolicyFromFlags(values: {
  'keep-crowd'?: boolean
  'min-caption-chars'?: string
  'min-box-side'?: string
  'image-rule'?: string
  'max-caption-chars'?: string
  'drop-mark-leftovers'?: boolean
}): FilterPolicy {
  const num = (flag: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined
    const n = Number(v)
    if (v.trim() === '' || !Number.isFinite(n) || n < 0) throw new UsageError(`--${flag} expects a non-negative number, got "${v}"`)
    return n
  }
  const minCaptionChars = num('min-caption-chars', values['min-caption-chars'])
  if (minCaptionChars !== undefined && !Number.isInteger(minCaptionChars)) {
    throw new UsageError(`--min-caption-chars expects an integer, got "${values['min-caption-chars']}"`)
  }
  const maxCaptionChars = num('max-caption-chars', values['max-caption-chars'])
  if (maxCaptionChars !== undefined && (!Number.isInteger(maxCaptionChars) || maxCaptionChars < 1)) {
    throw new UsageError(`--max-caption-chars expects a positive integer, got "${values['max-caption-chars']}"`)
  }
  const rule = values['image-rule']
  const parsed = FilterPolicy.shape.imageRule.safeParse(rule)
  if (rule !== undefined && !parsed.success) {
    throw new UsageError(`--image-rule expects one of off, xdecoder-train, xdecoder-all, got "${rule}"`)
  }
  return FilterPolicy.parse({
    dropCrowd: values['keep-crowd'] !== true,
    ...(minCaptionChars !== undefined ? { minCaptionChars } : {}),
    ...(values['min-box-side'] !== undefined ? { minBoxSide: num('min-box-side', values['min-box-side']) } : {}),
    ...(rule !== undefined ? { imageRule: rule } : {}),
    ...(maxCaptionChars !== undefined ? { maxCaptionChars } : {}),
    dropMarkLeftovers: values['drop-mark-leftovers'] === true,
  })
}

/** Length in Unicode code points (Python's len on str), not UTF-16 units. */
export function charLength(s: string): number {
  let n = 0
  for (const _ of s) n++
  return n
}
