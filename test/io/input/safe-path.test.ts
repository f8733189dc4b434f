import { describe, expect, it } from 'vitest'
import { checkRelativePath, resolveInside } from '../../../src/io/input/safe-path.js'

const where = { file: 'x.json', path: ['images', 0, 'file_name'] as const }

describe('safe paths from input files', () => {
  it.each([
    ['000000142238.jpg', '000000142238.jpg'],
    ['sub/dir/../a.png', 'sub/a.png'],
    ['./a.png', 'a.png'],
    ['train2017/000000142238.jpg', 'train2017/000000142238.jpg'],
    ['a//b.png', 'a/b.png'],
    ['a/./b.png', 'a/b.png'],
    ['a/b/', 'a/b'],
    ['.hidden/x.png', '.hidden/x.png'],
    ['a/..b.png', 'a/..b.png'],
    ['sub/..', null],
    ['..', null],
    ['C:/x.png', null],
  ])('accepts %s as %s (null: refused)', (input, want) => {
    if (want === null) expect(() => checkRelativePath(input, where)).toThrow('x.json: images[0].file_name:')
    else expect(checkRelativePath(input, where)).toBe(want)
  })

  it.each([
    ['../../etc/passwd', 'escapes its root directory'],
    ['a/../../b', 'escapes its root directory'],
    ['/etc/passwd', 'is absolute'],
    ['', 'is empty'],
    ['a\0b', 'NUL byte'],
  ])('refuses %j with the JSON path', (input, why) => {
    expect(() => checkRelativePath(input, where)).toThrow(`x.json: images[0].file_name: ${JSON.stringify(input)}`)
    expect(() => checkRelativePath(input, where)).toThrow(why)
  })

  it('resolves inside the root', () => {
    expect(resolveInside('/data/coco', 'val2017/a.jpg', where)).toBe('/data/coco/val2017/a.jpg')
  })
})
