// The LLaVA-Instruct-150k reader on a small file of the upstream shape (tests/helpers/conversation-sources.ts):
// every item is a record with one image-level conversation, or a dropped conversation with its reason and JSON path.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { filterImages } from '../../../src/dataset/filter-images.js'
import { DEFAULT_FILTER_POLICY } from '../../../src/dataset/filter-policy.js'
import type { ImageRecord, SourceEntry } from '../../../src/records/index.js'
import { openSource } from '../../../src/sources/open-source.js'
import { turnsProblem } from '../../../src/sources/index.js'
import { buildRejectIndex } from '../../../src/view/reject-index.js'
import { SCENE_H, SCENE_W } from '../../helpers/curation-corpus.js'
import { GOOD_LLAVA_ITEMS, writeLlavaInstructSet } from '../../helpers/conversation-sources.js'
import { useTempDir } from '../../helpers/temp-dir.js'

let dir = ''
useTempDir('pixcap-llava-src-', (d) => (dir = d))

const entriesOf = async (annotations: string, imagesDir: string): Promise<SourceEntry[]> => {
  const { reader } = await openSource({ annotations, imagesDir })
  const out: SourceEntry[] = []
  for await (const e of reader.entries()) out.push(e)
  return out
}

describe('llava-instruct reader', () => {
  it('is detected by shape and yields one record per good item: its conversation verbatim, no regions, the size from the photo', async () => {
    const set = await writeLlavaInstructSet(dir)
    const { definition, reader } = await openSource({ annotations: set.json, imagesDir: set.imagesDir })
    expect(definition.name).toBe('llava-instruct')
    const records: ImageRecord[] = []
    for await (const r of reader.records()) records.push(r)
    expect(records).toHaveLength(GOOD_LLAVA_ITEMS)
    expect(records.map((r) => [r.imageId, r.imagePath, r.width, r.height, r.regions.length])).toEqual([
      ['000000033471', '000000033471.jpg', SCENE_W, SCENE_H, 0],
      ['000000052846', '000000052846.jpg', SCENE_W, SCENE_H, 0],
      ['000000033471', '000000033471.jpg', SCENE_W, SCENE_H, 0],
    ])
    const items = set.items as { conversations: unknown }[]
    expect(records.map((r) => r.conversations?.[0]?.turns)).toEqual([items[0]!.conversations, items[1]!.conversations, items[2]!.conversations])
    expect(records[1]!.conversations![0]).toMatchObject({ id: '000000052846', regions: [], origin: { file: 'llava_instruct_150k.json', path: [1] } })
    expect(reader.report).toMatchObject({ complete: true, errors: 4, counts: { annotations: 7, images: 3, records: 3, droppedSegments: 4 } })
  })

  it('drops each bad item as a conversation with its reason and JSON path, and the filter counts it as one', async () => {
    const set = await writeLlavaInstructSet(dir)
    const entries = await entriesOf(set.json, set.imagesDir)
    const dropped = entries.flatMap((e) => e.dropped)
    expect(dropped.map((d) => [d.conversationId, d.reason, d.origin.path])).toEqual([
      ['000000000001', 'invalid', [3, 'conversations', 0, 'value']],
      ['000000000002', 'invalid', [4, 'conversations', 1, 'from']],
      ['000000000003', 'no_image', [5, 'image']],
      ['000000000004', 'invalid', [6, 'image']],
    ])
    expect(dropped[0]!.detail).toBe('the first turn holds 0 "<image>" tokens, expected exactly 1')
    expect(dropped[3]!.detail).toBe('"../secret.jpg" escapes its root directory')
    const filtered = filterImages(entries, DEFAULT_FILTER_POLICY)
    for await (const _ of filtered) void _
    expect(filtered.counts).toMatchObject({ regionsIn: 0, rejectedTotal: 0, conversationsIn: 7, conversationsKept: 3, conversationsRejected: 4, imagesKept: 3 })
    expect(filtered.rejects.map((r) => r.conversationId)).toEqual(['000000000001', '000000000002', '000000000003', '000000000004'])
  })

  it('names the images option when it is missing, and the file and path of a broken file', async () => {
    const set = await writeLlavaInstructSet(dir)
    const { reader } = await openSource({ annotations: set.json })
    await expect(reader.records().next()).rejects.toThrow('imagesDir is needed by the llava-instruct source')
    const broken = join(dir, 'broken.json')
    await writeFile(broken, '[{"id": "1", "image": "a.jpg", "conversations": [')
    const opened = await openSource({ annotations: broken, from: 'llava-instruct', imagesDir: set.imagesDir })
    await expect(opened.reader.records().next()).rejects.toThrow(`${broken}: not valid JSON`)
    const notArray = join(dir, 'object.json')
    await writeFile(notArray, '{"id": "1"}')
    const wrong = await openSource({ annotations: notArray, from: 'llava-instruct', imagesDir: set.imagesDir })
    await expect(wrong.reader.records().next()).rejects.toThrow(`${notArray}: expected array, got an object`)
  })

  it('turn rules: alternate from human, one <image> in the first turn only', () => {
    const t = (from: 'human' | 'gpt', value: string) => ({ from, value })
    expect(turnsProblem([t('human', '<image>\nQ'), t('gpt', 'A')])).toBeNull()
    expect(turnsProblem([t('gpt', '<image>\nQ'), t('human', 'A')])).toEqual({ path: [0, 'from'], detail: 'turn 0 is from "gpt", expected "human": turns alternate human/gpt, starting with human' })
    expect(turnsProblem([t('human', '<image><image>Q'), t('gpt', 'A')])?.detail).toBe('the first turn holds 2 "<image>" tokens, expected exactly 1')
    expect(turnsProblem([t('human', '<image>Q'), t('gpt', 'A'), t('human', 'and <image>'), t('gpt', 'B')])?.path).toEqual([2, 'value'])
  })

  it("pixcap view's reject index reads the file with the images folder the corpus was converted with", async () => {
    const set = await writeLlavaInstructSet(dir)
    const index = await buildRejectIndex({ annotations: set.json, imagesDir: set.imagesDir, imageIds: new Set(['000000052846', '000000000003']) })
    expect([...index.keys()]).toEqual(['000000052846'])
    expect(index.get('000000052846')).toMatchObject({ imagePath: '000000052846.jpg', width: SCENE_W, height: SCENE_H })
  })
})
