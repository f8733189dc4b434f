import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { PixcapError } from '../../../src/errors.js'
import { readJsonFile, readJsonlFile, validateJson } from '../../../src/io/input/read-json.js'
import { useTempDir } from '../../helpers/temp-dir.js'

const Row = z.object({ id: z.number().int(), caption: z.string() })

describe('read-json', () => {
  let dir: string
  useTempDir('pixcap-read-json-', (d) => (dir = d))

  it('reads and validates a JSON file', async () => {
    const file = join(dir, 'ok.json')
    await writeFile(file, JSON.stringify([{ id: 1, caption: 'a' }, { id: 2, caption: 'b' }]))
    expect(await readJsonFile(file, z.array(Row))).toEqual([{ id: 1, caption: 'a' }, { id: 2, caption: 'b' }])
  })

  it('names the file, the path of the first issue, what was expected and found, and counts the rest', async () => {
    const file = join(dir, 'bad.json')
    await writeFile(file, JSON.stringify([{ id: 1, caption: 'a' }, { id: 2, caption: 7 }, { id: 1.5, caption: 'c' }]))
    const err = await readJsonFile(file, z.array(Row)).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PixcapError)
    expect((err as PixcapError).code).toBe('schema')
    expect((err as PixcapError).message).toBe(`${file}: [1].caption: expected string, got number 7 (and 1 more issue)`)
  })

  it('reports a missing file as not_found and bad JSON as invalid_json', async () => {
    await expect(readJsonFile(join(dir, 'nope.json'), Row)).rejects.toMatchObject({ code: 'not_found', message: `${join(dir, 'nope.json')}: file not found` })
    const file = join(dir, 'syntax.json')
    await writeFile(file, '{"id": 1,')
    await expect(readJsonFile(file, Row)).rejects.toMatchObject({ code: 'invalid_json', path: [] })
    await expect(readJsonFile(file, Row)).rejects.toThrow(`${file}: not valid JSON: `)
  })

  it('reads JSONL, skipping blank lines, and names the line of a bad value', async () => {
    const file = join(dir, 'rows.jsonl')
    await writeFile(file, '{"id": 1, "caption": "a"}\n\n{"id": 2, "caption": "b"}\n')
    expect(await readJsonlFile(file, Row)).toEqual([{ id: 1, caption: 'a' }, { id: 2, caption: 'b' }])
    const bad = join(dir, 'bad.jsonl')
    await writeFile(bad, '{"id": 1, "caption": "a"}\n{"id": "x", "caption": "b"}\n')
    await expect(readJsonlFile(bad, Row)).rejects.toThrow(`${bad}: ["line 2"].id: expected number, got the string "x"`)
    const torn = join(dir, 'torn.jsonl')
    await writeFile(torn, '{"id": 1, "caption": "a"}\n{"id": 2\n')
    await expect(readJsonlFile(torn, Row)).rejects.toMatchObject({ code: 'invalid_json', path: ['line 2'] })
  })

  it('validates an in-memory value under a base path', () => {
    expect(() => validateJson(Row, { id: 1 }, 'cmd (output)', ['rows', 3])).toThrow('cmd (output): rows[3].caption: expected string, got nothing (the key is missing)')
  })
})
