import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { detectSource, openSource } from '../../src/sources/open-source.js'
import { SOURCES } from '../../src/sources/registry.js'
import type { SourceDefinition } from '../../src/sources/source-reader.js'
import { useTempDir } from '../helpers/temp-dir.js'

let dir: string
useTempDir('pixcap-sources-', (d) => (dir = d))

const write = async (name: string, value: unknown): Promise<string> => {
  const file = join(dir, name)
  await writeFile(file, typeof value === 'string' ? value : JSON.stringify(value))
  return file
}

const pix2cap = {
  images: [{ id: 1, file_name: 'a.jpg', width: 4, height: 4 }],
  annotations: [{ image_id: 1, file_name: 'a.png', segments_info: [{ id: 5, category_id: 1, iscrowd: 0, area: 4, bbox: [0, 0, 2, 2], description: 'a cat' }] }],
  categories: [{ id: 1, name: 'cat', isthing: 1 }],
}
const regionCaptions = { images: [{ id: 1, file_name: 'a.jpg', width: 4, height: 4 }], annotations: [{ id: 9, image_id: 1, bbox: [0, 0, 2, 2], caption: 'a cat' }] }

describe('source registry', () => {
  it('each entry is keyed by its own name and declares detection and a reader', () => {
    for (const [key, def] of Object.entries(SOURCES) as [string, SourceDefinition][]) {
      expect(def.name).toBe(key)
      expect(typeof def.detect).toBe('function')
      expect(typeof def.open).toBe('function')
    }
  })

  it('detects each registered shape, whatever the order of top-level keys, and exactly one source says yes', async () => {
    const cases: [string, unknown, string][] = [
      ['p.json', pix2cap, 'pix2cap-coco'],
      ['p-annotations-first.json', { annotations: pix2cap.annotations, categories: pix2cap.categories, images: pix2cap.images }, 'pix2cap-coco'],
      ['vg.json', regionCaptions, 'coco-region-captions'],
      ['vg-annotations-first.json', { annotations: regionCaptions.annotations, images: regionCaptions.images }, 'coco-region-captions'],
      ['llava_instruct_150k.json', [{ id: '1', image: 'a.jpg', conversations: [{ from: 'human', value: '<image>\nHi' }, { from: 'gpt', value: 'Hello' }] }], 'llava-instruct'],
      ['train.jsonl', `${JSON.stringify({ img_fn: 'm/a.jpg', metadata_fn: 'm/a.json', objects: ['person'], question_orig: 'Why?', answer_orig: 'A', rationale_orig: 'R' })}\n${JSON.stringify({ img_fn: 'm/b.jpg', metadata_fn: 'm/b.json', objects: [], question_orig: 'Q', answer_orig: 'A', rationale_orig: 'R' })}\n`, 'vcr'],
    ]
    for (const [name, data, want] of cases) expect((await detectSource(await write(name, data))).name).toBe(want)
  })

  it('a file of no registered shape is an error naming the file and the sources; broken JSON names the byte offset', async () => {
    const file = await write('questions.json', [{ question_id: 1, image: 'a.jpg', text: 'What is this?' }])
    await expect(detectSource(file)).rejects.toThrow(`${file}: has the shape of no registered source (pix2cap-coco, coco-region-captions, visual-genome, mdetr-grounding, coco-instances, llava-instruct, vcr)`)
    const broken = await write('broken.json', '{"images": [], "annotations": [{"id": 1,')
    await expect(detectSource(broken)).rejects.toThrow(broken)
    await expect(detectSource(join(dir, 'missing.json'))).rejects.toThrow()
  })

  it('opens by name without detection, and names the from option for an unknown name', async () => {
    const file = await write('named.json', regionCaptions)
    const { definition, reader } = await openSource({ annotations: file, from: 'coco-region-captions' })
    expect(definition.panopticMasks).toBe(false)
    const records = []
    for await (const r of reader.records()) records.push(r)
    expect(records.map((r) => r.regions[0]!.captions)).toEqual([['a cat']])
    // One pass per reader: a second iteration is refused instead of yielding nothing.
    await expect(reader.records().next()).rejects.toThrow('coco-region-captions reader: a reader can be iterated only once; open it again')
    await expect(openSource({ annotations: file, from: 'vg' })).rejects.toThrow('from: unknown source "vg"; registered sources: pix2cap-coco, coco-region-captions, visual-genome, mdetr-grounding, coco-instances, llava-instruct, vcr')
    await expect(openSource({ annotations: join(dir, 'none.json') })).rejects.toThrow('file not found (expected an annotations file)')
  })
})
