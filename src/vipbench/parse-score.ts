// The judge's answer is parsed like ViP-LLaVA's evaluator (scripts/eval/vip-bench_evaluator.py; vipbench.md §4):
// take `content.split(' ')[0].strip()`, parse it as a Python float, and require 0 <= value <= 1.

// Python's float() grammar for finite decimal literals: optional sign, digits with single underscores between
// them, optional fraction and exponent, surrounding whitespace allowed.
const PY_FLOAT = /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/

/** Parses like Python's float() for finite literals; returns null where Python would raise (or give inf/nan). */
export function parsePythonFloat(text: string): number | null {
  const s = text.trim()
  if (!PY_FLOAT.test(s)) return null
  return Number(s.replaceAll('_', ''))
}

/** The first whitespace-separated token as the evaluator takes it (split on a single space, then strip). */
export function firstToken(content: string): string {
  return (content.split(' ')[0] ?? '').trim()
}

/**
 * Returns the score in [0, 1], or null when the evaluator would retry. Deviation: Python's float() also accepts
 * `nan`, which passes the evaluator's range check and poisons its sums; we treat it as unparseable.
 */
export function parseJudgeScore(content: string): number | null {
  const value = parsePythonFloat(firstToken(content))
  if (value === null || value < 0 || value > 1) return null
  return value
}
