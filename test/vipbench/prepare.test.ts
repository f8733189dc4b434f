import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../../src/cli/main.js'
import { prepareVipBench } from '../../src/vipbench/prepare.js'
import { objLabels, rewriteObjTags, shapeBox } from '../../src/vipbench/region-tokens.js'
import { captureIo } from '../helpers/io.js'
import { writeVipFixture } from './vip-fixture.js'

describe('ViP-Bench region tokens', () => {
  it.each([
    { q: 'What is in <obj>?', want: 'What is in `region1 <bbox>`?', labels: ['obj'] },
    { q: 'Compare <obj2> with <obj1>.', want: 'Compare `region2 <bbox>` with `region1 <bbox>`.', labels: ['obj2', 'obj1'] },
    { q: 'Is <obj1> near <obj1>?', want: 'Is `region1 <bbox>` near region1?', labels: ['obj1'] },
  ])('rewrites $q', ({ q, want, labels }) => {
    const boxes: Record<string, [number, number, number, number]> = { obj: [0, 0, 10, 10], obj1: [10, 0, 20, 10], obj2: [0, 10, 10, 20] }
    const r = rewriteObjTags(q, (l) => boxes[l] as [number, number, number, number], 20, 20)
    expect(r.text).toBe(want)
    expect(r.labels).toEqual(labels)
    expect(objLabels(q)).toEqual(labels)
    // One box per <bbox> token, in token order.
    expect((r.text.match(/<bbox>/g) ?? []).length).toBe(r.boxes.length)
    expect(r.boxes).toEqual(labels.map((l) => (boxes[l] as number[]).map((v) => v / 20)))
  })

  it('takes the bounding box of rectangles in any corner order and of polygons', () => {
    expect(shapeBox([[150, 80], [50, 20]])).toEqual([50, 20, 150, 80])
    expect(shapeBox([[200, 100], [300, 100], [250, 180]])).toEqual([200, 100, 300, 180])
  })
})

describe('vipbench prepare', () => {
  it('turns questions into GPT4RoI prompts with normalised boxes from the source annotations', async () => {
    const root = await writeVipFixture()
    const qs = await prepareVipBench({ root, split: 'bbox' })
    expect(qs).toHaveLength(3)
    const [q0, q1] = qs
    expect(q0?.text).toBe('The <image> provides an overview of the picture.\nWhat is written on the sign `region1 <bbox>`?')
    expect(q0?.boxes).toEqual([[50 / 200, 20 / 100, 150 / 200, 80 / 100]])
    expect(q0?.image).toBe('v1_0.png')
    expect(q1?.text).toBe('The <image> provides an overview of the picture.\nIs the animal in `region1 <bbox>` bigger than the one in `region2 <bbox>`? Compare region1 again.')
    expect(q1?.boxes).toEqual([[0, 0, 100 / 400, 50 / 200], [200 / 400, 100 / 200, 300 / 400, 180 / 200]])
    for (const q of qs) expect((q.text.match(/<bbox>/g) ?? []).length).toBe(q.boxes.length)
  })

  it('names the file and label when a shape is missing', async () => {
    const root = await writeVipFixture()
    await writeFile(join(root, 'source_image', 'v1_2.json'), JSON.stringify({ imagePath: 'v1_2.png', imageWidth: 10, imageHeight: 10, shapes: [{ label: 'obj7', points: [[0, 0], [1, 1]] }] }))
    await expect(prepareVipBench({ root, split: 'bbox' })).rejects.toThrow(/v1_2\.json: shapes: no shape labelled "obj" for v1_2 \(labels present: obj7\)/)
  })

  it('writes JSONL through the CLI', async () => {
    const root = await writeVipFixture()
    const io = captureIo()
    const out = join(root, 'gpt4roi-questions.jsonl')
    expect(await main(['vipbench', 'prepare', '--root', root, '--out', out, '--json'], io)).toBe(0)
    expect(JSON.parse(io.out())).toMatchObject({ ok: true, questions: 3, boxes: 4 })
    const lines = (await readFile(out, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { key: string })
    expect(lines.map((l) => l.key)).toEqual(['v1_0', 'v1_1', 'v1_2'])
  })
})
