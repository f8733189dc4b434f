import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { execa } from 'execa'
import { describe, expect, it } from 'vitest'
import { readPythonStringList } from '../../src/instruct/python-string-list.js'
import { HAS_PYTHON, PYTHON, REPO_ROOT } from '../helpers/fixtures.js'

const VG = join(REPO_ROOT, 'test/instruct/fixtures/gpt4roi-checkout/gpt4roi/datasets/vg.py')

const cases = [
  { name: 'both quote styles', src: `L = ['a', "b"]`, want: ['a', 'b'] },
  { name: 'implicit concatenation', src: `L = ['a' "b"\n  'c', 'd']`, want: ['abc', 'd'] },
  { name: 'trailing comma and comments', src: `L = [  # head\n 'a',  # one\n # alone\n 'b',\n]`, want: ['a', 'b'] },
  { name: 'escapes', src: String.raw`L = ['it\'s', "say \"hi\"", 'tab\there', 'nl\n', '\\', '\x41\u00e9\U0001F600', '\101', 'keep \d']`, want: ["it's", 'say "hi"', 'tab\there', 'nl\n', '\\', 'Aé😀', 'A', 'keep \\d'] },
  { name: 'raw strings keep backslashes', src: String.raw`L = [r'a\nb', R"c\"d"]`, want: ['a\\nb', 'c\\"d'] },
  { name: 'triple quotes span lines', src: `L = ['''one\ntwo''', """x 'y' "z" """]`, want: ['one\ntwo', `x 'y' "z" `] },
  { name: 'backslash-newline inside a string', src: `L = ['ab\\\ncd']`, want: ['abcd'] },
  { name: 'u prefix and a "#" inside a string', src: `L = [u'# not a comment']`, want: ['# not a comment'] },
  { name: 'empty list', src: `L = []`, want: [] },
  { name: 'annotated assignment', src: `L: list[str] = ['a']`, want: ['a'] },
  { name: 'only the module-level name', src: `XL = ['no']\n    L = ['indented']\nL = ['yes']`, want: ['yes'] },
]

describe('readPythonStringList', () => {
  it.each(cases)('$name', ({ src, want }) => {
    expect(readPythonStringList(src, 'L', 'm.py')).toEqual(want)
  })

  it.each([
    { src: `L = [f'x{y}']`, msg: 'm.py: L[0]: line 1, column 6: expected a string literal, found "f\'x{y}\']"' },
    { src: `L = ['a', NAME]`, msg: 'm.py: L[1]: line 1, column 11: expected a string literal, found "NAME]"' },
    { src: `L = ['a' + 'b']`, msg: 'm.py: L[0]: line 1, column 10: expected a string literal, found "+ \'b\']"' },
    { src: `L = ['a',\n 'b`, msg: "m.py: L[1]: line 2, column 2: unterminated string literal" },
    { src: `L = ['a\n']`, msg: 'm.py: L[0]: line 1, column 6: unterminated string literal (newline inside a single-quoted string)' },
    { src: `L = ['a',, 'b']`, msg: 'm.py: L[1]: line 1, column 10: two commas in a row' },
    { src: `L = ['a'`, msg: 'm.py: L[0]: line 1, column 9: unterminated list "L": expected "]"' },
    { src: String.raw`L = ['\x4']`, msg: 'm.py: L[0]: line 1, column 7: escape \\x needs 2 hex digits, found "4"' },
    { src: `M = ['a']`, msg: 'm.py: L: no module-level assignment "L = [" found' },
  ])('refuses $src', ({ src, msg }) => {
    expect(() => readPythonStringList(src, 'L', 'm.py')).toThrow(msg)
  })

  it('reads the fixture vg.py list (10 items, the unused list ignored)', () => {
    const got = readPythonStringList(readFileSync(VG, 'utf8'), 'FINAL_QUESTIONS', VG)
    expect(got).toHaveLength(10)
    expect(got[2]).toBe('Please write a few sentences about the patch <spi_descript>, focusing on colours and shapes.')
    expect(got[6]).toBe('Look at <spi_descript>\tand describe it, café style.')
  })

  it.skipIf(!HAS_PYTHON)('agrees with Python ast.literal_eval on the fixture', async () => {
    const script = [
      'import ast, json, sys',
      'tree = ast.parse(open(sys.argv[1], encoding="utf-8").read())',
      'node = next(n for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == "FINAL_QUESTIONS")',
      'print(json.dumps(ast.literal_eval(node.value)))',
    ].join('\n')
    const { stdout } = await execa(PYTHON, ['-c', script, VG])
    expect(readPythonStringList(readFileSync(VG, 'utf8'), 'FINAL_QUESTIONS', VG)).toEqual(JSON.parse(stdout))
  })
})
