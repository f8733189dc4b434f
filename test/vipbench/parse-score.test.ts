import { describe, expect, it } from 'vitest'
import { parseJudgeScore, parsePythonFloat } from '../../src/vipbench/parse-score.js'

describe('judge score parsing (Python float of the first space-separated token, 0 <= s <= 1)', () => {
  it.each([
    ['0.5', 0.5], ['1.0', 1], ['0', 0], ['.7', 0.7], ['1.', 1], ['0.3\n', 0.3], ['0.4 because', 0.4], ['+0.2', 0.2], ['1e-1', 0.1], ['0_1', 1],
    ['1.5', null], ['-0.1', null], ['Correctness: 0.5', null], ['', null], [' 0.5', null], ['nan', null], ['0x1', null], ['0.5.', null],
  ])('%j -> %s', (content, want) => expect(parseJudgeScore(content)).toBe(want === null ? null : want))

  it('follows Python float() for underscores and whitespace', () => {
    expect(parsePythonFloat('1_0')).toBe(10)
    expect(parsePythonFloat('1__0')).toBeNull()
    expect(parsePythonFloat(' 2.5 ')).toBe(2.5)
    expect(parsePythonFloat('Infinity')).toBeNull()
  })
})
