// Lone surrogate escapes (issue 17, finding 7): found in JSON text with their byte offset and JSON path; pairs and
// escaped backslashes are not flagged. The readers (whole-file JSON, JSONL, the streaming scanner) refuse them.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkNoLoneSurrogates, findLoneSurrogateEscape, hasLoneSurrogate, pathOfLoneSurrogate } from '../../../src/io/input/lone-surrogates.js'
import { readJsonFile, readJsonlFile } from '../../../src/io/input/read-json.js'
import { streamJsonObject } from '../../../src/io/input/json-array-stream.js'
import { z } from 'zod'
import { useTempDir } from '../../helpers/temp-dir.js'

let dir: string
useTempDir('pixcap-surrogates-', (d) => (dir = d))

describe('findLoneSurrogateEscape', () => {
  it.each([
    ['"a\\ud800b"', 2],
    ['"a\\uDC00"', 2],
    ['"\\ud83d\\ude00 ok"', -1], // a pair (an emoji)
    ['"\\ud83d\\ude00\\ud83d"', 13],
    ['"\\\\ud800"', -1], // an escaped backslash followed by the text ud800
    ['"\\\\\\ud800"', 3], // escaped backslash, then a real escape
    ['"\\ud800\\u0041"', 1],
    ['"\\udc00\\ud800"', 1],
    ['"plain \\u00e9 text"', -1],
  ])('%s -> %d', (text, at) => {
    expect(findLoneSurrogateEscape(text)).toBe(at)
    // agrees with what JSON.parse makes of the text
    expect(hasLoneSurrogate(JSON.parse(text) as string)).toBe(at >= 0)
  })

  it('names the JSON path (keys too) and the byte offset after multi-byte characters', () => {
    const text = '{"a":[{"d":"caf\u00e9"},{"d":"x\\udbff"}]}'
    const value = JSON.parse(text)
    expect(pathOfLoneSurrogate(value)).toEqual(['a', 1, 'd'])
    expect(pathOfLoneSurrogate({ ['k\ud800']: 1 })).toEqual(['k\ud800'])
    expect(() => checkNoLoneSurrogates(text, value, 'f.json', [], 100)).toThrow(/f\.json: a\[1\]\.d: lone surrogate \\udbff at byte 127/)
  })
})

describe('readers refuse lone surrogates', () => {
  it('readJsonFile and readJsonlFile name file, path and offset', async () => {
    const f = join(dir, 'x.json')
    await writeFile(f, '{"items":["ok","bad \\ud800"]}')
    await expect(readJsonFile(f, z.unknown())).rejects.toThrow(/x\.json: items\[1\]: lone surrogate \\ud800 at byte 20/)
    const l = join(dir, 'x.jsonl')
    await writeFile(l, '{"t":"fine"}\n  {"t":"\\udfff"}\n')
    await expect(readJsonlFile(l, z.unknown())).rejects.toThrow(/x\.jsonl: \["line 2"\]\.t: lone surrogate \\udfff at byte 21/)
  })

  it('the streaming scanner names the element and the absolute offset', async () => {
    const f = join(dir, 's.json')
    await writeFile(f, '{"annotations":[{"d":"a"},{"d":"\\ud800"}]}')
    const run = async () => {
      for await (const _ of streamJsonObject(f, { mode: () => 'elements', chunkSize: 7 })) {
        // drain
      }
    }
    await expect(run()).rejects.toThrow(/s\.json: annotations\[1\]\.d: lone surrogate \\ud800 at byte 32/)
  })
})
