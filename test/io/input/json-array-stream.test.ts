import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { streamJsonObject, type JsonStreamEvent, type MemberMode } from '../../../src/io/input/json-array-stream.js'
import { jsonObjectEvents, parseJsonObjectFile } from '../../../src/io/input/json-object-file.js'
import { HAS_SHARED, PIX2CAP_SAMPLE_JSON } from '../../helpers/fixtures.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pixcap-json-stream-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function write(name: string, text: string): Promise<string> {
  const file = join(dir, name)
  await writeFile(file, text)
  return file
}

async function collect(file: string, mode: (key: string) => MemberMode, chunkSize?: number): Promise<JsonStreamEvent[]> {
  const out: JsonStreamEvent[] = []
  for await (const e of streamJsonObject(file, { mode, ...(chunkSize ? { chunkSize } : {}), label: 'x.json' })) out.push(e)
  return out
}

const arrays = (key: string): MemberMode => (key === 'a' || key === 'b' ? 'elements' : 'value')

// Strings that contain every structural character, escaped quotes and backslashes, and multi-byte UTF-8.
const tricky = {
  info: { note: 'braces } { ] [ , : and "quotes" and \\ backslash \\" end', n: [1, { x: '}' }] },
  a: [
    { s: '{"not": "an object"}', t: 'tab\tnew\nline', u: 'caf\u00e9 \u{1F600} \u4e2d' },
    'a string with ] and } and \\\\',
    -12.5e3,
    true,
    null,
    [[], {}, [[[]]]],
    { '': '', 'k"ey': ['\\'] },
  ],
  z: 7,
  b: [],
}

describe('streamJsonObject', () => {
  it.each([1, 2, 3, 7, 64, 1 << 20])('yields the same elements as JSON.parse with %i-byte chunks', async (chunkSize) => {
    const file = await write(`tricky-${chunkSize}.json`, `\n ${JSON.stringify(tricky, null, chunkSize % 2 === 0 ? 2 : 0)} \n`)
    const events = await collect(file, arrays, chunkSize)
    const elements = events.filter((e) => e.kind === 'element').map((e) => (e.kind === 'element' ? e.value : null))
    expect(elements).toEqual(tricky.a)
    expect(events.filter((e) => e.kind === 'value').map((e) => (e.kind === 'value' ? [e.key, e.value] : null))).toEqual([
      ['info', tricky.info],
      ['z', 7],
    ])
    expect(events.filter((e) => e.kind === 'array_end')).toEqual([
      { kind: 'array_end', key: 'a', count: 7 },
      { kind: 'array_end', key: 'b', count: 0 },
    ])
  })

  it('skips members without parsing them and reports them as skipped', async () => {
    const file = await write('skip.json', JSON.stringify(tricky))
    const events = await collect(file, (k) => (k === 'b' ? 'elements' : 'skip'), 5)
    expect(events).toEqual([
      { kind: 'skipped', key: 'info' },
      { kind: 'skipped', key: 'a' },
      { kind: 'skipped', key: 'z' },
      { kind: 'array_end', key: 'b', count: 0 },
    ])
  })

  it('names the element and byte offset when the file is truncated', async () => {
    const text = JSON.stringify({ images: [{ id: 1 }], annotations: [{ image_id: 1 }, { image_id: 2, segments_info: [] }] })
    const cut = text.slice(0, text.indexOf('"image_id":2') + 8)
    const file = await write('trunc.json', cut)
    await expect(collect(file, () => 'elements', 7)).rejects.toThrow(
      `x.json: annotations[1]: unexpected end of file at byte ${cut.length} (the file is truncated)`,
    )
  })

  it('reports truncation between elements and after the last member', async () => {
    const a = await write('t1.json', '{"a": [1, 2,')
    await expect(collect(a, arrays)).rejects.toThrow('x.json: a[2]: unexpected end of file at byte 12')
    const b = await write('t2.json', '{"a": [1], "z": 3')
    await expect(collect(b, arrays)).rejects.toThrow('x.json: z: unexpected end of file at byte 17')
    const c = await write('t3.json', '')
    await expect(collect(c, arrays)).rejects.toThrow('x.json: unexpected end of file at byte 0 (the file is empty)')
  })

  it('names the element index when a skipped array is truncated', async () => {
    const file = await write('t4.json', '{"a": [1, {"x": [2, 3]}, "s,"')
    await expect(collect(file, () => 'skip', 3)).rejects.toThrow('x.json: a[2]: unexpected end of file at byte 29 (the file is truncated)')
  })

  it('names the element of a malformed value with its byte offset', async () => {
    const file = await write('bad.json', '{"a": [{"x": 1}, {"x": 1,}, 3]}')
    await expect(collect(file, arrays, 4)).rejects.toThrow(/^x\.json: a\[1\]: invalid JSON in the value starting at byte 17: /)
  })

  it('names the key whose value is not an array', async () => {
    const file = await write('type.json', '{"info": {}, "images": {"id": 1}}')
    await expect(collect(file, (k) => (k === 'images' ? 'elements' : 'skip'))).rejects.toThrow(
      'x.json: images: expected an array, found an object at byte 23',
    )
  })

  it('rejects a top level that is not an object, and junk after it', async () => {
    const arr = await write('arr.json', '[1, 2]')
    await expect(collect(arr, arrays)).rejects.toThrow("x.json: expected a JSON object at byte 0, found '['")
    const junk = await write('junk.json', '{"a": []} x')
    await expect(collect(junk, arrays)).rejects.toThrow("x.json: unexpected 'x' at byte 10 after the end of the top-level object")
  })

  it('names a missing file', async () => {
    await expect(collect(join(dir, 'nope.json'), arrays)).rejects.toMatchObject({ code: 'not_found' })
  })

  it('streams a 5 MB file in 64 kB chunks with exact element count and content', async () => {
    const n = 20_000
    const make = (i: number) => ({ image_id: i, file_name: `${String(i).padStart(12, '0')}.png`, segments_info: [{ id: i * 7, description: `caption "${i}" {x}` }] })
    const parts: string[] = []
    for (let i = 0; i < n; i++) parts.push(JSON.stringify(make(i)))
    const file = await write('big.json', `{"annotations":[${parts.join(',')}]}`)
    let count = 0
    let bytes = 0
    for await (const e of streamJsonObject(file, { mode: () => 'elements', chunkSize: 65536, onBytes: (b) => (bytes = b) })) {
      if (e.kind !== 'element') continue
      expect(e.value).toEqual(make(count))
      count++
    }
    expect(count).toBe(n)
    expect(bytes).toBe((await readFile(file)).length)
  })
})

describe.skipIf(!HAS_SHARED)('streamJsonObject on the shared Pix2Cap sample', () => {
  it('reads every array element identically to JSON.parse, in 7-byte chunks', async () => {
    const whole = JSON.parse(await readFile(PIX2CAP_SAMPLE_JSON, 'utf8')) as Record<string, unknown[]>
    const got: Record<string, unknown[]> = { images: [], annotations: [], categories: [] }
    const keys: string[] = []
    for await (const e of streamJsonObject(PIX2CAP_SAMPLE_JSON, { chunkSize: 7, mode: (k) => (keys.push(k), k in got ? 'elements' : 'value') })) {
      if (e.kind === 'element') got[e.key]!.push(e.value)
    }
    expect(keys).toEqual(['info', 'licenses', 'images', 'annotations', 'categories'])
    expect(got.images).toEqual(whole.images)
    expect(got.annotations).toEqual(whole.annotations)
    expect(got.categories).toHaveLength(133)
  })
})

describe('parseJsonObjectFile + jsonObjectEvents (the whole-file path)', () => {
  async function collectWhole(file: string, mode: (key: string) => MemberMode): Promise<JsonStreamEvent[]> {
    const parsed = await parseJsonObjectFile(file)
    expect(parsed).toBeDefined()
    const out: JsonStreamEvent[] = []
    for await (const e of jsonObjectEvents(parsed!, { mode, label: 'x.json' })) out.push(e)
    return out
  }
  const withoutOffsets = (events: JsonStreamEvent[]) => events.map((e) => ('byteOffset' in e ? { ...e, byteOffset: undefined } : e))

  it('yields exactly the streamed events (offsets aside), asking the modes in key order', async () => {
    const file = await write('whole-tricky.json', `\ufeff ${JSON.stringify(tricky, null, 2)}`)
    for (const mode of [arrays, (k: string): MemberMode => (k === 'b' ? 'elements' : 'skip'), (): MemberMode => 'value']) {
      const asked: string[][] = [[], []]
      const streamed = await collect(file, (k) => (asked[0]!.push(k), mode(k)), 5)
      const whole = await collectWhole(file, (k) => (asked[1]!.push(k), mode(k)))
      expect(whole).toEqual(withoutOffsets(streamed))
      expect(asked[1]).toEqual(asked[0])
    }
  })

  it('reports bytes once, the file size', async () => {
    const text = JSON.stringify(tricky)
    const file = await write('whole-bytes.json', text)
    const seen: number[] = []
    for await (const _ of jsonObjectEvents((await parseJsonObjectFile(file))!, { mode: arrays, onBytes: (n) => seen.push(n) })) void _
    expect(seen).toEqual([Buffer.byteLength(text)])
  })

  it('leaves invalid, non-object, missing and too-big files to the streaming scanner', async () => {
    expect(await parseJsonObjectFile(await write('w-trunc.json', '{"a": [1, 2,'))).toBeUndefined()
    expect(await parseJsonObjectFile(await write('w-arr.json', '[1, 2]'))).toBeUndefined()
    expect(await parseJsonObjectFile(join(dir, 'nope.json'))).toBeUndefined()
    expect(await parseJsonObjectFile(await write('w-big.json', '{"a": [1]}'), 9)).toBeUndefined()
    expect((await parseJsonObjectFile(await write('w-fits.json', '{"a": [1]}'), 10))?.members).toEqual({ a: [1] })
  })

  it('words a non-array member exactly as the scanner does, with its byte offset', async () => {
    const file = await write('w-type.json', '{"info": {}, "images": {"id": 1}}')
    const asked: string[] = []
    await expect(collectWhole(file, (k) => (asked.push(k), k === 'images' ? 'elements' : 'skip'))).rejects.toThrow(
      'x.json: images: expected an array, found an object at byte 23',
    )
    expect(asked).toEqual(['info', 'images'])
  })
})
