// The VCR reader on small files of the upstream layout (train.jsonl + vcr1images/<movie>/*.json metadata), checked
// against GPT4RoI's vcr.py mapping: every object is a region, in order, with its box; numbers in the texts become
// `{class} at region{n}`; the four turns are Q (after a prefix listing every region), A, a "why", R.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ImageRecord, SourceEntry } from '../../../src/records/index.js'
import { openSource } from '../../../src/sources/open-source.js'
import { tagObjectNumbers, vcrVariant } from '../../../src/sources/index.js'
import { SCENE_H, SCENE_W } from '../../helpers/curation-corpus.js'
import { vcrLine, writeVcrSet } from '../../helpers/conversation-sources.js'
import { useTempDir } from '../../helpers/temp-dir.js'

let dir = ''
useTempDir('pixcap-vcr-src-', (d) => (dir = d))

const entriesOf = async (annotations: string, imagesDir?: string): Promise<SourceEntry[]> => {
  const { reader } = await openSource({ annotations, ...(imagesDir ? { imagesDir } : {}) })
  const out: SourceEntry[] = []
  for await (const e of reader.entries()) out.push(e)
  return out
}

describe('vcr reader', () => {
  it('maps objects to regions and Q, A, why, R to turns as GPT4RoI vcr.py does (images under vcr1images/ by default)', async () => {
    const set = await writeVcrSet(dir)
    const { definition, reader } = await openSource({ annotations: set.jsonl })
    expect(definition.name).toBe('vcr')
    const records: ImageRecord[] = []
    for await (const r of reader.records()) records.push(r)
    expect(records.map((r) => [r.imageId, r.imagePath, r.width, r.height, r.regions.length, r.conversations!.map((c) => c.id)])).toEqual([
      ['train-0', set.lines[0]!.img_fn, SCENE_W, SCENE_H, 0, ['train-0']],
      ['train-1', set.lines[1]!.img_fn, SCENE_W, SCENE_H, 0, ['train-1']],
      ['train-4', set.lines[4]!.img_fn, SCENE_W, SCENE_H, 0, ['train-4', 'train-4:single']],
      ['train-5', set.lines[5]!.img_fn, SCENE_W, SCENE_H, 0, ['train-5', 'train-5:multi']],
    ])
    const conv = records[0]!.conversations![0]!
    expect(conv.id).toBe('train-0')
    // Every object, in order; pixel xyxy -> [x, y, w, h]; the car's box (x2 = 330) is clamped to the 320-px width.
    expect(conv.regions.map((r) => [r.regionId, r.segmentId, r.category, r.bbox])).toEqual([
      ['train-0:0', 0, 'person', [10, 20, 100, 180]],
      ['train-0:1', 1, 'person', [150, 30, 80, 180]],
      ['train-0:2', 2, 'car', [200, 100, 120, 130]],
    ])
    const [q, a, why, r] = conv.turns
    expect(q!.from).toBe('human')
    expect(q!.value.startsWith('<image>\n')).toBe(true)
    expect(q!.value).toContain('region1 <bbox>,region2 <bbox>,region3 <bbox>')
    expect(q!.value.endsWith(' Why is person at region1 pointing at person at region2?')).toBe(true)
    expect(a).toEqual({ from: 'gpt', value: 'person at region1 wants person at region2 to look at the car at region3.' })
    expect(why!.from).toBe('human')
    expect(r).toEqual({ from: 'gpt', value: 'person at region2 is facing away from the car at region3 and person at region1 is gesturing toward it.' })
    expect(conv.turns.map((t) => t.value).join('').split('<bbox>').length - 1).toBe(conv.regions.length)
  })

  it('adds the single_vcr and multi_vcr conversations where those loaders use the line: question objects only, inline', async () => {
    const set = await writeVcrSet(dir)
    const { reader } = await openSource({ annotations: set.jsonl })
    const byId = new Map<string, NonNullable<ImageRecord['conversations']>[number]>()
    for await (const r of reader.records()) for (const c of r.conversations ?? []) byId.set(c.id, c)
    const single = byId.get('train-4:single')!
    expect(single.regions.map((r) => r.regionId)).toEqual(['train-4:0'])
    expect(single.turns.map((t) => t.from)).toEqual(['human', 'gpt', 'human', 'gpt'])
    expect(single.turns[0]!.value).toBe('<image>\nWhat is region1 <bbox> doing?')
    expect(single.turns[1]!.value).toBe('person at region1 is waving at someone.')
    expect(single.turns[3]!.value).toBe('person at region1 has a raised hand.')
    const multi = byId.get('train-5:multi')!
    // Regions in the order the question names them: object 2 is region1, object 1 is region2.
    expect(multi.regions.map((r) => r.regionId)).toEqual(['train-5:1', 'train-5:0'])
    expect(multi.turns[0]!.value).toBe('<image>\nIs region1 <bbox> older than region2 <bbox>?')
    expect(multi.turns[1]!.value).toBe('Yes, person at region1 is older than person at region2.')
    expect(multi.turns[3]!.value).toBe('person at region1 has grey hair and person at region2 does not.')
    // The answer names an object the question does not (train-0), so neither loader uses it.
    expect([...byId.keys()].filter((k) => k.startsWith('train-0'))).toEqual(['train-0'])
  })

  it('single/multi rules: format 0 has no rationale turn; a number outside the objects or a repeated one drops the variant', () => {
    const ann = (q: string, a: string, r: string, objects = ['man', 'woman', 'dog']) => ({ objects, question_orig: q, answer_orig: a, rationale_orig: r })
    expect(vcrVariant(ann('Is 1 happy?', '1 is smiling.', 'The dog 3 is near.'), 'Why?')).toEqual({ kind: 'single', objects: [0], turns: [{ from: 'human', value: 'Is region1 <bbox> happy?' }, { from: 'gpt', value: 'man at region1 is smiling.' }] })
    expect(vcrVariant(ann('Is 4 happy?', '4 is.', 'x'), 'Why?')).toBeNull()
    expect(vcrVariant(ann('Is 1 happy?', 'Yes.', 'x'), 'Why?')).toBeNull()
    expect(vcrVariant(ann('Does 1 see 2s?', '1 does.', 'x'), 'Why?')).toBeNull()
    expect(vcrVariant(ann('Does 1 like 2 or 1?', '2 does.', '1 smiles.'), 'Why?')).toMatchObject({ kind: 'multi', objects: [0, 1, 0] })
  })

  it('rejects a number naming no object and a missing metadata file, each with its line and key', async () => {
    const set = await writeVcrSet(dir)
    const dropped = (await entriesOf(set.jsonl)).flatMap((e) => e.dropped)
    expect(dropped.map((d) => [d.conversationId, d.reason, d.origin.path])).toEqual([
      ['train-2', 'invalid', ['line 3', 'question_orig']],
      ['train-3', 'no_image', ['line 4', 'metadata_fn']],
    ])
    expect(dropped[0]!.detail).toBe("number 2 names no object (the image has 1: 1..1); GPT4RoI's vcr.py skips such annotations")
    expect(dropped[1]!.detail).toContain('file not found')
  })

  it('bad lines: schema issues, box/object count mismatch and path escapes are rejects; broken JSON names the line', async () => {
    const set = await writeVcrSet(dir)
    const good = set.lines[1]!
    const lines = [
      { ...good, annot_id: 'no-question', question_orig: undefined },
      { ...good, annot_id: 'extra-object', objects: ['person', 'dog', 'cat'] },
      { ...good, annot_id: 'escape', metadata_fn: '../../outside.json' },
      { ...good, annot_id: 'escape-img', img_fn: '/etc/passwd' },
    ]
    const file = join(dir, 'vcr', 'bad.jsonl')
    await writeFile(file, lines.map((l) => JSON.stringify(l)).join('\n'))
    const dropped = (await entriesOf(file, set.imagesDir)).flatMap((e) => e.dropped)
    expect(dropped.map((d) => [d.conversationId, d.reason, d.origin.path])).toEqual([
      ['no-question', 'invalid', ['line 1', 'question_orig']],
      ['extra-object', 'invalid', ['line 2', 'objects']],
      ['escape', 'invalid', ['line 3', 'metadata_fn']],
      ['escape-img', 'invalid', ['line 4', 'img_fn']],
    ])
    expect(dropped[1]!.detail).toContain('3 objects but 2 boxes')
    expect(dropped[2]!.detail).toContain('escapes its root directory')

    const broken = join(dir, 'vcr', 'broken.jsonl')
    await writeFile(broken, `${JSON.stringify(good)}\n{"img_fn": "a.jpg",\n`)
    await expect(entriesOf(broken, set.imagesDir)).rejects.toThrow(`${broken}: ["line 2"]: not valid JSON`)
    const badMeta = vcrLine(9, { objects: ['person'], q: 'Q 1', a: 'A', r: 'R' })
    const metaFile = join(set.imagesDir, badMeta.metadata_fn)
    await writeFile(metaFile, JSON.stringify({ boxes: [[1, 2, 3]], width: 10, height: 10 }))
    const badMetaLines = join(dir, 'vcr', 'meta.jsonl')
    await writeFile(badMetaLines, JSON.stringify(badMeta))
    const [d] = (await entriesOf(badMetaLines, set.imagesDir)).flatMap((e) => e.dropped)
    expect(d).toMatchObject({ reason: 'invalid', origin: { path: ['line 1', 'metadata_fn'] } })
    expect(d!.detail).toContain(`${metaFile}: boxes[0]`)
  })

  it('tags object numbers 1-based by whole words, and reports the first number that names no object', () => {
    expect(tagObjectNumbers('Is 1 taller than 2 in 1950s?', ['man', 'woman'])).toEqual({ text: 'Is man at region1 taller than woman at region2 in 1950s?' })
    expect(tagObjectNumbers('0 people', ['man'])).toEqual({ bad: 0 })
    expect(tagObjectNumbers('1 and 3', ['man', 'woman'])).toEqual({ bad: 3 })
  })
})
