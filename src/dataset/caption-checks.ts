// Caption checks a person reading the data would flag: empty, very short, set-of-mark leftovers, over a length limit.
// `validate` and `stats` report them as warnings; `convert`'s filter policy can drop such captions (filter-policy.ts).
// Pure: no I/O.
import { charLength, MAX_CAPTION_CHARS, MIN_CAPTION_CHARS } from './filter-policy.js'

/** Kinds of caption finding. */
export type CaptionFindingKind = 'empty' | 'short' | 'mark_leftover' | 'too_long'

/** Under this many characters a caption is "very short": the one caption-length rule (filter-policy.ts). */
const SHORT_CAPTION_CHARS = MIN_CAPTION_CHARS

/**
 * A set-of-mark leftover: the numeric label a GPT-4V prompt drew on the image ("next to object 12", "mark 3",
 * "region #4", "[5]"), which means nothing without the marked image.
 */
export const MARK_LEFTOVER = /\b(?:object|region|mark|label|segment|box|area)\s*#?\s*\d+\b|\[\d+\]/i

/** Options of {@link captionFindings}. */
export interface CaptionCheckOptions {
  minChars?: number
  maxChars?: number
}

/** What is wrong with one caption (an empty list when nothing is). */
export function captionFindings(caption: string, o: CaptionCheckOptions = {}): { kind: CaptionFindingKind; detail: string }[] {
  const minChars = o.minChars ?? SHORT_CAPTION_CHARS
  const maxChars = o.maxChars ?? MAX_CAPTION_CHARS
  const text = caption.trim()
  if (text === '') return [{ kind: 'empty', detail: 'empty caption' }]
  const out: { kind: CaptionFindingKind; detail: string }[] = []
  // UTF-16 length bounds the code-point count from above, so most captions skip the count.
  const n = text.length < 2 * minChars || text.length > maxChars ? charLength(text) : text.length
  if (n < minChars) out.push({ kind: 'short', detail: `caption ${JSON.stringify(text)} has ${n} characters (under ${minChars})` })
  if (n > maxChars) out.push({ kind: 'too_long', detail: `caption has ${n} characters (over ${maxChars}); starts ${JSON.stringify(text.slice(0, 40))}` })
  const mark = MARK_LEFTOVER.exec(text)
  if (mark) out.push({ kind: 'mark_leftover', detail: `caption names a set-of-mark label "${mark[0]}", which means nothing without the marked image` })
  return out
}
