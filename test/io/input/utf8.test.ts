import { describe, expect, it } from 'vitest'
import { decodeUtf8, firstInvalidUtf8 } from '../../../src/io/input/utf8.js'

describe('firstInvalidUtf8', () => {
  // Each case agrees with TextDecoder's fatal mode on whether the bytes are valid (WHATWG Encoding, UTF-8 decoder).
  const cases: [string, number[], number][] = [
    ['ascii', [0x61, 0x62], -1],
    ['2-byte é', [0x61, 0xc3, 0xa9], -1],
    ['4-byte emoji', [0xf0, 0x9f, 0x98, 0x80], -1],
    ['latin-1 é', [0x61, 0x62, 0xe9, 0x20], 2],
    ['overlong /', [0xc0, 0xaf], 0],
    ['surrogate', [0x61, 0xed, 0xa0, 0x80], 1],
    ['truncated 3-byte', [0x61, 0xe2, 0x82], 1],
    ['over U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['stray continuation', [0x61, 0x80], 1],
  ]
  it.each(cases)('%s', (_name, bytes, want) => {
    const u8 = Uint8Array.from(bytes)
    expect(firstInvalidUtf8(u8)).toBe(want)
    let fatalOk = true
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(u8)
    } catch {
      fatalOk = false
    }
    expect(fatalOk).toBe(want === -1)
  })

  it('decodeUtf8 names the file, the path and the absolute byte offset', () => {
    expect(() => decodeUtf8(Uint8Array.from([0x22, 0xe9, 0x22]), 'x.json', ['annotations', 3], 100)).toThrow(
      'x.json: annotations[3]: invalid UTF-8 at byte 101 (bytes e9 22); JSON text must be UTF-8',
    )
    expect(decodeUtf8(Buffer.from('"café"'), 'x.json')).toBe('"café"')
  })
})
