// When two captions of the same region count as the same: identical after normalisation (case, whitespace, the
// punctuation at the ends), or near-identical when their normalised Levenshtein similarity reaches a threshold
// ("a man in a red shirt." vs "A man in a red shirt" are identical; "a man in a red shirt" vs "a man in red shirt"
// are near). Pure.

/** Default similarity at or above which two captions of one region are near-identical. */
export const DEFAULT_CAPTION_SIMILARITY = 0.9

/** Lower case, one space between words, no punctuation at either end. */
export function normalizeCaption(text: string): string {
  return text
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[\s.,;:!?"'`]+|[\s.,;:!?"'`]+$/g, '')
}

/** Levenshtein distance (two-row dynamic programme over UTF-16 code units). */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0
  if (a.length === 0) return b.length
  if (b.length === 0) return a.length
  let prev = new Uint32Array(b.length + 1)
  let cur = new Uint32Array(b.length + 1)
  for (let j = 0; j <= b.length; j++) prev[j] = j
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i
    const ca = a.charCodeAt(i - 1)
    for (let j = 1; j <= b.length; j++) {
      const sub = prev[j - 1]! + (ca === b.charCodeAt(j - 1) ? 0 : 1)
      cur[j] = Math.min(sub, prev[j]! + 1, cur[j - 1]! + 1)
    }
    ;[prev, cur] = [cur, prev]
  }
  return prev[b.length]!
}

/** 1 - distance / longer length, on normalised captions; 1 for identical. */
export function captionSimilarity(a: string, b: string): number {
  const x = normalizeCaption(a)
  const y = normalizeCaption(b)
  const longer = Math.max(x.length, y.length)
  return longer === 0 ? 1 : 1 - levenshtein(x, y) / longer
}
