// Image-level conversations through the row formats: gpt4roi writes GPT4RoI's begin string where `<image>` was and
// binds `<bbox>` to normalised boxes; llava and sharegpt keep `<image>` where the source put it and write boxes as
// text; qwen-vl writes its picture reference and <box> grid; formats without a conversation row reject each conversation as unsupported_by_format.
import { describe, expect, it } from 'vitest'
import { conversationRows } from '../../src/formats/image-conversation.js'
import { FORMATS } from '../../src/formats/registry.js'
import type { FormatContext, RowFormat, TargetFormat } from '../../src/formats/target-format.js'
import { BEGIN_STRING } from '../../src/instruct/gpt4roi-tokens.js'
import type { TemplateSet } from '../../src/instruct/template-set.js'
import type { ImageRecord, RegionRecord } from '../../src/records/index.js'

const region = (k: number, bbox: [number, number, number, number], category: string): RegionRecord => ({
  regionId: `v:${k}`, segmentId: k, categoryId: -1, category, isThing: true, isCrowd: false, bbox, area: bbox[2] * bbox[3], captions: [],
})

const image = (turns: { from: 'human' | 'gpt'; value: string }[], regions: RegionRecord[] = []): ImageRecord => ({
  source: 'test', split: 'train', imageId: 'img-1', imagePath: 'a/b.jpg', width: 200, height: 100, regions: [],
  conversations: [{ id: 'conv-1', turns, regions, origin: { file: 'x.json', path: [0] } }],
})

const ctx = (format: TargetFormat, options: Record<string, unknown> = {}): FormatContext => ({
  seed: 0, templates: { name: 'none' } as unknown as TemplateSet, maxRegions: 15, split: 'train', options, imageRoot: 'coco',
})

const rowsOf = (name: keyof typeof FORMATS, img: ImageRecord, options: Record<string, unknown> = {}) => {
  const format = FORMATS[name] as TargetFormat
  const regionRows = format.kind === 'rows' ? (format as RowFormat).fromImage(img, ctx(format, options)).rows : []
  expect(regionRows).toEqual([]) // no captioned regions: only the conversation makes a row
  return conversationRows(format, img, ctx(format, options))
}

const llavaTurns = [
  { from: 'human' as const, value: '<image>\nWhat is on the table?' },
  { from: 'gpt' as const, value: 'A cup.' },
]
const vcrTurns = [
  { from: 'human' as const, value: '<image>\nGiven region1 <bbox>,region2 <bbox>, is person at region1 older?' },
  { from: 'gpt' as const, value: 'Yes, than person at region2.' },
]
const vcrRegions = [region(0, [20, 10, 40, 50], 'person'), region(1, [100, 0, 100, 100], 'person')]

describe('image-level conversations in row formats', () => {
  it('gpt4roi: the begin string replaces <image> and its newline in place; boxes are xyxy / [W, H, W, H] in <bbox> order', () => {
    const { rows, rejects } = rowsOf('gpt4roi', image(vcrTurns, vcrRegions))
    expect(rejects).toEqual([])
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      id: 'conv-1', image: 'coco/a/b.jpg', image_id: 'img-1', width: 200, height: 100, regions: [], template_ids: [], masks: [],
      boxes: [[0.1, 0.1, 0.3, 0.6], [0.5, 0, 1, 1]],
      conversations: [{ from: 'human', value: `${BEGIN_STRING}Given region1 <bbox>,region2 <bbox>, is person at region1 older?` }, vcrTurns[1]],
    })
    const atEnd = rowsOf('gpt4roi', image([{ from: 'human', value: 'Where is the cat?\n<image>' }, { from: 'gpt', value: 'On the couch.' }])).rows[0] as { conversations: { value: string }[]; boxes: unknown[] }
    expect(atEnd.conversations[0]!.value).toBe(`Where is the cat?\n${BEGIN_STRING}`)
    expect(atEnd.boxes).toEqual([])
  })

  it('llava keeps the turns verbatim (LLaVA-Instruct) and writes <bbox> as text boxes (VCR)', () => {
    expect(rowsOf('llava', image(llavaTurns)).rows).toEqual([{ id: 'conv-1', image: 'coco/a/b.jpg', conversations: llavaTurns }])
    const [row] = rowsOf('llava', image(vcrTurns, vcrRegions), { boxes: 'original-3dp' }).rows as { conversations: { value: string }[] }[]
    expect(row!.conversations[0]!.value).toBe('<image>\nGiven region1 [0.100,0.100,0.300,0.600],region2 [0.500,0.000,1.000,1.000], is person at region1 older?')
  })

  it('sharegpt maps roles and lists the one image', () => {
    expect(rowsOf('sharegpt', image(llavaTurns)).rows).toEqual([
      { messages: [{ role: 'user', content: '<image>\nWhat is on the table?' }, { role: 'assistant', content: 'A cup.' }], images: ['coco/a/b.jpg'] },
    ])
  })

  it('qwen-vl puts its picture reference where <image> was and writes <bbox> as <box> on the 1000 grid', () => {
    const [row] = rowsOf('qwen-vl', image(vcrTurns, vcrRegions), { task: 'region_caption' }).rows as { id: string; conversations: { from: string; value: string }[]; template_ids: string[] }[]
    expect(row).toEqual({
      id: 'conv-1',
      conversations: [
        { from: 'user', value: 'Picture 1: <img>coco/a/b.jpg</img>\nGiven region1 <box>(100,100),(300,600)</box>,region2 <box>(500,0),(999,999)</box>, is person at region1 older?' },
        { from: 'assistant', value: 'Yes, than person at region2.' },
      ],
      template_ids: [],
    })
  })

  it('formats without a conversation row reject each conversation, naming the format', () => {
    for (const name of ['osprey', 'densecoco'] as const) {
      const { rows, rejects } = conversationRows(FORMATS[name] as TargetFormat, image(llavaTurns), ctx(FORMATS[name] as TargetFormat))
      expect(rows).toEqual([])
      expect(rejects).toEqual([{ source: 'test', imageId: 'img-1', conversationId: 'conv-1', reason: 'unsupported_by_format', detail: `format ${name} has no row for an image-level conversation (gpt4roi, llava, sharegpt and qwen-vl have one)`, origin: { file: 'x.json', path: [0] } }])
    }
  })
})
