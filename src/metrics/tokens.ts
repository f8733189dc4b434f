// Token splitting and n-gram counting as pycocoevalcap's scorers do it in Python.

// Python's str.split() with no argument splits on runs of Unicode whitespace (str.isspace): this set differs from
// JavaScript's \s (Python adds U+001C..U+001F and U+0085; JavaScript adds U+FEFF).
const PY_WHITESPACE = /[\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/

/** Python `s.split()`: splits on runs of whitespace and drops empty ends (`''.split()` is `[]`). */
export function pySplit(s: string): string[] {
  const parts = s.split(PY_WHITESPACE)
  if (parts.length > 0 && parts[0] === '') parts.shift()
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop()
  return parts
}

/** Key of an n-gram; tokens from pySplit contain no ASCII space, so joining with one is unambiguous. */
function ngramKey(words: readonly string[], start: number, k: number): string {
  let key = words[start] as string
  for (let i = 1; i < k; i++) key += ` ${words[start + i] as string}`
  return key
}

/**
 * N-gram counts of orders 1..n, one Map per order (index 0 = unigrams). Insertion order is pycocoevalcap's
 * `precook` order (order k outer, position inner), which fixes the summation order of CIDEr's norms.
 */
export function countNgrams(words: readonly string[], n = 4): Map<string, number>[] {
  const out: Map<string, number>[] = []
  for (let k = 1; k <= n; k++) {
    const counts = new Map<string, number>()
    for (let i = 0; i + k <= words.length; i++) {
      const key = ngramKey(words, i, k)
      counts.set(key, (counts.get(key) ?? 0) + 1)
    }
    out.push(counts)
  }
  return out
}
