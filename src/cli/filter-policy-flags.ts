// The filter policy's flags (names, usage, --help lines, parsing); the policy itself and its defaults are
// dataset/filter-policy.ts, so the help text reads the defaults from there.
import { UsageError } from '../errors.js'
import { DEFAULT_FILTER_POLICY, FilterPolicy } from '../dataset/filter-policy.js'

const D = DEFAULT_FILTER_POLICY

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
  `[--keep-crowd] [--min-caption-chars N (${D.minCaptionChars})] [--min-box-side N (${D.minBoxSide})] [--image-rule off|xdecoder-train|xdecoder-all] [--max-caption-chars N (${D.maxCaptionChars})] [--drop-mark-leftovers]`

/** `--help` lines for the policy flags (Command.options). */
export const FILTER_POLICY_OPTIONS = [
  { flag: '--keep-crowd', description: 'keep iscrowd segments (dropped by default)' },
  { flag: '--min-caption-chars N', description: 'drop captions shorter than N characters; a region with none left is rejected', default: String(D.minCaptionChars) },
  { flag: '--min-box-side N', description: 'reject boxes with a side under N px (zero area always is)', default: String(D.minBoxSide) },
  { flag: '--image-rule R', description: 'off, xdecoder-train or xdecoder-all: the official loader\'s whole-image rule', default: D.imageRule },
  { flag: '--max-caption-chars N', description: 'drop captions longer than N characters', default: String(D.maxCaptionChars) },
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
