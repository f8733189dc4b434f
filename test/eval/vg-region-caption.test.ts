import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../src/cli/main.js'
import { readCaptionReferences } from '../../src/eval/caption-files.js'
import { prepareVgRegionCaption, VG_REGION_PROMPT } from '../../src/eval/vg-region-caption.js'
import { planVgShards } from '../../src/eval/vg-score.js'
import { sha256File } from '../../src/util/sha256.js'
import { captureIo } from '../helpers/io.js'

let dir: string
let imagesDir: string
let testFile: string

// A GLaMM-style test file: one region per image, annotation id == image id. Image 11's JSON size is wrong on purpose.
const testSet = {
  images: [
    { id: 10, file_name: 'a.png', width: 40, height: 20 },
    { id: 11, file_name: 'sub/b.png', width: 999, height: 999 },
    { id: 12, file_name: 'c.png', width: 30, height: 30 },
  ],
  annotations: [
    { id: 11, image_id: 11, bbox: [5, 5, 10, 10], caption: 'a red ball' },
    { id: 10, image_id: 10, bbox: [4, 2, 8, 6], caption: 'a small dog' },
    { id: 12, image_id: 12, bbox: [20, 20, 15, 5], caption: 'grass near the fence' },
    { id: 99, image_id: 12, bbox: [0, 0, 1, 1], caption: 'never read' },
  ],
}

const png = (w: number, h: number) => sharp({ create: { width: w, height: h, channels: 3, background: '#808080' } }).png().toBuffer()

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pixcap-vg-'))
  imagesDir = join(dir, 'images')
  await mkdir(join(imagesDir, 'sub'), { recursive: true })
  await writeFile(join(imagesDir, 'a.png'), await png(40, 20))
  await writeFile(join(imagesDir, 'sub/b.png'), await png(50, 25))
  await writeFile(join(imagesDir, 'c.png'), await png(30, 30))
  testFile = join(dir, 'test_caption.json')
  await writeFile(testFile, JSON.stringify(testSet))
})

const lines = async (file: string) => (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l))

describe('VG region-caption preparation', () => {
  it('writes one question per image with the GPT4RoI prompt and the box normalised by the image size', async () => {
    const out = join(dir, 'q1/questions.jsonl')
    const refsOut = join(dir, 'q1/references.json')
    const r = await prepareVgRegionCaption({ annotations: testFile, imagesDir, out, refsOut })
    expect(r).toMatchObject({ layout: 'glamm', questions: 3, sizeFrom: 'image headers', sizeMismatches: 1, boxesOutside: 1, unusedAnnotations: 1 })
    expect(r.annotationsSha256).toBe(await sha256File(testFile))
    const qs = await lines(out)
    expect(qs[0]).toEqual({ question_id: 10, image: 'a.png', width: 40, height: 20, text: VG_REGION_PROMPT, boxes: [[4 / 40, 2 / 20, 12 / 40, 8 / 20]] })
    expect(qs[1]).toMatchObject({ question_id: 11, width: 50, height: 25, boxes: [[5 / 50, 5 / 25, 15 / 50, 15 / 25]] })
    expect(qs[2].boxes[0][2]).toBeGreaterThan(1)
    expect(VG_REGION_PROMPT).toBe('The <image> provides an overview of the picture.\nCan you give a description of the region mentioned by `region1 <bbox>`?')
    const refs = await readCaptionReferences(refsOut)
    expect([...refs]).toEqual([['10', ['a small dog']], ['11', ['a red ball']], ['12', ['grass near the fence']]])
    expect(JSON.parse(await readFile(refsOut, 'utf8')).info.annotations_sha256).toBe(r.annotationsSha256)
  })

  it("reads GRiT's test.json: several regions per image, one question and one reference per annotation id", async () => {
    // GRiT layout (gpt4roi.md §12): VG image ids, annotation ids 1..N, several regions per image.
    const grit = {
      images: [{ id: 2345, file_name: 'a.png', width: 40, height: 20 }, { id: 2346, file_name: 'c.png', width: 30, height: 30 }],
      annotations: [
        { id: 1, image_id: 2345, bbox: [4, 2, 8, 6], caption: 'a small dog' },
        { id: 2, image_id: 2345, bbox: [20, 10, 10, 5], caption: 'a red ball' },
        { id: 3, image_id: 2346, bbox: [0, 0, 15, 15], caption: 'grass' },
        { id: 4, image_id: 777, bbox: [0, 0, 1, 1], caption: 'image not listed' },
      ],
    }
    const file = join(dir, 'grit-test.json')
    await writeFile(file, JSON.stringify(grit))
    const out = join(dir, 'grit/questions.jsonl')
    const refsOut = join(dir, 'grit/refs.json')
    const r = await prepareVgRegionCaption({ annotations: file, imagesDir, out, refsOut })
    expect(r).toMatchObject({ layout: 'grit', questions: 3, unusedAnnotations: 1 })
    const qs = await lines(out)
    expect(qs.map((q) => [q.question_id, q.image, q.boxes[0]])).toEqual([
      [1, 'a.png', [4 / 40, 2 / 20, 12 / 40, 8 / 20]],
      [2, 'a.png', [20 / 40, 10 / 20, 30 / 40, 15 / 20]],
      [3, 'c.png', [0, 0, 15 / 30, 15 / 30]],
    ])
    const refs = JSON.parse(await readFile(refsOut, 'utf8'))
    expect(refs.annotations.map((a: { image_id: number; caption: string }) => [a.image_id, a.caption])).toEqual([[1, 'a small dog'], [2, 'a red ball'], [3, 'grass']])
    grit.annotations.push({ id: 2, image_id: 2346, bbox: [1, 1, 2, 2], caption: 'dup' })
    await writeFile(file, JSON.stringify(grit))
    await expect(prepareVgRegionCaption({ annotations: file, out, refsOut })).rejects.toThrow(`${file}: annotations[4].id: annotation id 2 is used twice`)
  })

  it('uses the JSON width/height without --images-dir', async () => {
    const out = join(dir, 'q2/questions.jsonl')
    const r = await prepareVgRegionCaption({ annotations: testFile, out, refsOut: join(dir, 'q2/refs.json') })
    expect(r.sizeFrom).toBe('annotation file')
    expect((await lines(out))[1]).toMatchObject({ width: 999, height: 999 })
  })

  it.each([
    { name: 'bbox with 3 numbers', patch: (t: typeof testSet) => { t.annotations[1]!.bbox = [1, 2, 3] }, msg: 'test.json: annotations[1].bbox: expected 4 numbers [x, y, w, h], got 3 values' },
    { name: 'xyxy-looking box', patch: (t: typeof testSet) => { t.annotations[1]!.bbox = [30, 10, 8, -4] }, msg: 'annotations[1].bbox: box [30, 10, 8, -4] needs finite numbers and positive width and height' },
    { name: 'image without its annotation', patch: (t: typeof testSet) => { t.images.push({ id: 13, file_name: 'a.png', width: 1, height: 1 }) }, msg: 'test.json: images[3].id: no annotation has id 13' },
    { name: 'annotation of another image', patch: (t: typeof testSet) => { t.annotations[0]!.image_id = 12 }, msg: 'annotations[0].image_id: annotation 11 belongs to image 12' },
    { name: 'path escaping the images dir', patch: (t: typeof testSet) => { t.images[0]!.file_name = '../secret.png' }, msg: 'images[0].file_name: "../secret.png" escapes its root directory' },
    { name: 'missing image', patch: (t: typeof testSet) => { t.images[0]!.file_name = 'nope.png' }, msg: 'images[0].file_name: "nope.png" not found under' },
    { name: 'caption not a string', patch: (t: typeof testSet) => { (t.annotations[2] as { caption: unknown }).caption = 5 }, msg: 'annotations[2].caption: expected string, got number 5' },
  ])('rejects $name with the JSON path and writes nothing', async ({ patch, msg }) => {
    const sub = await mkdtemp(join(dir, 'bad-'))
    const t = structuredClone(testSet)
    patch(t)
    await writeFile(join(sub, 'test.json'), JSON.stringify(t))
    const out = join(sub, 'questions.jsonl')
    await expect(prepareVgRegionCaption({ annotations: join(sub, 'test.json'), imagesDir, out, refsOut: join(sub, 'refs.json'), layout: 'glamm' })).rejects.toThrow(msg)
    await expect(readFile(out)).rejects.toThrow(/ENOENT/)
  })
})

describe('VG shard merging', () => {
  it('keeps only {ckpt}_vg_{rank}.json files, in rank order', () => {
    const p = planVgShards(['m_vg_1.json', 'merged.json', 'm_vg_0.json', 'metrics.txt', 'm_vg_10.json.bak'], '/r')
    expect(p.shards.map((s) => s.rank)).toEqual([0, 1])
    expect(p.ignored).toEqual(['merged.json', 'metrics.txt', 'm_vg_10.json.bak'])
  })

  it('refuses a directory mixing checkpoints unless --ckpt picks one', () => {
    expect(() => planVgShards(['a_vg_0.json', 'b_vg_0.json'], '/r')).toThrow('/r: holds result shards of 2 checkpoints ("a", "b"); pass --ckpt to pick one')
    expect(planVgShards(['a_vg_0.json', 'b_vg_0.json'], '/r', 'b').shards).toEqual([{ file: '/r/b_vg_0.json', ckpt: 'b', rank: 0 }])
  })

  it('reports a missing rank and an empty directory', () => {
    expect(() => planVgShards(['a_vg_0.json', 'a_vg_2.json'], '/r')).toThrow('rank 1 is missing: found ranks 0, 2')
    expect(() => planVgShards(['merged.json'], '/r')).toThrow('no result shards')
  })
})

describe('pixcap eval vg-prepare / vg-score', () => {
  it('prepares questions, then merges rank shards and scores them like eval captions', async () => {
    const work = await mkdtemp(join(dir, 'e2e-'))
    let io = captureIo()
    expect(await main(['eval', 'vg-prepare', '--annotations', testFile, '--images-dir', imagesDir, '--out', join(work, 'questions.jsonl'), '--json'], io)).toBe(0)
    const prep = JSON.parse(io.out())
    expect(prep.refsOut).toBe(join(work, 'references.json'))
    const results = join(work, 'results')
    await mkdir(results)
    // Rank 1 repeats image 10 (DistributedSampler padding) with another caption: the rank-0 caption is kept.
    await writeFile(join(results, 'ckpt_vg_0.json'), JSON.stringify([{ image_id: 10, caption: 'a small dog' }, { image_id: 12, caption: 'green grass' }]))
    await writeFile(join(results, 'ckpt_vg_1.json'), JSON.stringify([{ image_id: 11, caption: 'a ball' }, { image_id: 10, caption: 'something else' }]))
    await writeFile(join(results, 'merged.json'), '"not a shard"')
    io = captureIo()
    const merged = join(work, 'merged.json')
    expect(await main(['eval', 'vg-score', '--pred', results, '--ref', prep.refsOut, '--merged', merged, '--metrics', 'BLEU,ROUGE_L,CIDEr,METEOR', '--json'], io)).toBe(0)
    const score = JSON.parse(io.out())
    expect(score).toMatchObject({ images: 3, duplicatesDropped: 1, ignoredFiles: ['merged.json'], notComputed: { METEOR: 'no --meteor-jar' } })
    // The same numbers as eval captions on the merged file.
    io = captureIo()
    expect(await main(['eval', 'captions', '--pred', merged, '--ref', prep.refsOut, '--metrics', 'BLEU,ROUGE_L,CIDEr', '--json'], io)).toBe(0)
    expect(score.scores).toEqual(JSON.parse(io.out()).scores)
    expect(score.scores.ROUGE_L).toBeGreaterThan(0)
    io = captureIo()
    expect(await main(['eval', 'vg-score', '--pred', results, '--ref', prep.refsOut], io)).toBe(0)
    expect(io.out()).toContain('merged 2 shard(s), ignored 1 other file(s), dropped 1 duplicate caption(s) (first rank kept)')
    expect(io.out()).toContain('SPICE: not computed (no --spice-jar)')
  })
})
