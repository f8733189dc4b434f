import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { streamJsonObject, type JsonStreamEvent } from '../../../src/io/input/json-array-stream.js'
import { readLastMember } from '../../../src/io/input/json-last-member.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pixcap-json-windows-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function write(name: string, text: string): Promise<string> {
  const file = join(dir, name)
  await writeFile(file, text)
  return file
}

async function elements(file: string, windowBytes: number): Promise<{ values: unknown[]; events: JsonStreamEvent[] }> {
  const events: JsonStreamEvent[] = []
  for await (const e of streamJsonObject(file, { mode: (k) => (k === 'annotations' ? 'elements' : 'value'), windowBytes, label: 'x.json' })) events.push(e)
  return { values: events.flatMap((e) => (e.kind === 'element' ? [e.value] : [])), events }
}

async function errorOf(file: string, windowBytes: number): Promise<string> {
  try {
    await elements(file, windowBytes)
  } catch (err) {
    return (err as Error).message
  }
  return 'no error'
}

// Elements that all begin with the same key, with strings that contain that very prefix, commas, brackets,
// escaped quotes and multi-byte UTF-8: the candidate cuts inside strings and nested objects must all be refused.
const doc = {
  images: [{ id: 1 }],
  annotations: Array.from({ length: 60 }, (_, i) => ({
    segments_info: [{ id: i, description: `x ,{"segments_info": [ "} ] \\" caf\u00e9 \u{1F600}`, bbox: [i, 2, 3, 4] }, { id: -i - 1 }],
    image_id: i,
    nested: { segments_info: i % 3 === 0 ? [] : [{ segments_info: 'inner' }] },
  })),
  categories: [{ id: 1, name: 'a' }],
}

describe('windowed parsing of arrays of objects (json-array-windows.ts)', () => {
  it.each([0, 64, 200, 1000, 4 << 20])('yields the same elements, indexes and array end as JSON.parse with %i-byte windows', async (windowBytes) => {
    const file = await write(`doc-${windowBytes}.json`, JSON.stringify(doc, null, windowBytes === 1000 ? 1 : 0))
    const { values, events } = await elements(file, windowBytes)
    expect(values).toEqual(doc.annotations)
    expect(events.flatMap((e) => (e.kind === 'element' ? [e.index] : []))).toEqual(doc.annotations.map((_, i) => i))
    expect(events.filter((e) => e.kind === 'array_end')).toEqual([{ kind: 'array_end', key: 'annotations', count: 60 }])
    expect(events.filter((e) => e.kind === 'value').map((e) => (e.kind === 'value' ? e.key : ''))).toEqual(['images', 'categories'])
    // The scanner gives each element its byte offset; windows do not: so this counts the elements windows parsed.
    const windowed = events.filter((e) => e.kind === 'element' && e.byteOffset === undefined).length
    if (windowBytes === 0 || windowBytes === 64) expect(windowed).toBe(0) // off, or every element is larger than a window
    // The last element is always scanned; with 200-byte windows the scanner takes the rest of the array over as soon as
    // a window holds no whole element.
    else expect(windowed).toBeGreaterThanOrEqual(windowBytes === 200 ? 1 : 59)
  })

  it('names the same JSON path and byte offset as the byte scanner for invalid JSON in the middle of the array', async () => {
    const text = JSON.stringify(doc)
    const bad = text.replace('"image_id":37', '"image_id":037')
    const file = await write('bad.json', bad)
    const scanned = await errorOf(file, 0)
    expect(scanned).toMatch(/annotations\[37\]/)
    expect(scanned).toMatch(/at byte \d+/)
    for (const w of [64, 500, 4 << 20]) expect(await errorOf(file, w)).toBe(scanned)
  })

  it('names the byte offset of invalid UTF-8 as the byte scanner does', async () => {
    const text = Buffer.from(JSON.stringify(doc))
    const at = text.indexOf('caf\u00e9 ', text.indexOf('"image_id":20'))
    const bad = Buffer.from(text)
    bad[at + 3] = 0xff
    const file = join(dir, 'bad-utf8.json')
    await writeFile(file, bad)
    const scanned = await errorOf(file, 0)
    expect(scanned).toContain(`invalid UTF-8 at byte ${at + 3}`)
    expect(await errorOf(file, 300)).toBe(scanned)
    expect(await errorOf(file, 4 << 20)).toBe(scanned)
  })

  it('leaves arrays that are not objects with a common first key to the scanner, with the same result', async () => {
    const mixed = { annotations: [1, 'two', { b: 1 }, { a: 2 }, [3]] }
    const file = await write('mixed.json', JSON.stringify(mixed))
    expect((await elements(file, 8)).values).toEqual(mixed.annotations)
    const keys = { annotations: [{ a: 1 }, { b: 2 }, { a: 3 }] }
    const file2 = await write('keys.json', JSON.stringify(keys))
    expect((await elements(file2, 8)).values).toEqual(keys.annotations)
  })
})

describe('readLastMember', () => {
  it('reads the last member from the end, through strings holding brackets, quotes and backslashes', async () => {
    const categories = [{ id: 1, name: 'a ] } [ { "q" \\ \\\\' }, { id: 2, name: '"categories": [' }]
    const file = await write('last.json', `${JSON.stringify({ annotations: [{ x: '"categories":[]}' }], categories }, null, 2)}\n\n`)
    const last = await readLastMember(file)
    expect(last?.key).toBe('categories')
    expect(last?.value).toEqual(categories)
  })

  it('gives undefined when the tail cannot be read backwards (scalar last member, truncated file, short tail)', async () => {
    expect(await readLastMember(await write('scalar.json', '{"a": [1], "b": 2}'))).toBeUndefined()
    expect(await readLastMember(await write('trunc.json', '{"a": [1], "categories": [{"id": 1}'))).toBeUndefined()
    const long = await write('long.json', JSON.stringify({ a: 1, categories: Array.from({ length: 100 }, (_, id) => ({ id })) }))
    expect(await readLastMember(long, 50)).toBeUndefined()
    expect((await readLastMember(long))?.value).toHaveLength(100)
  })
})
