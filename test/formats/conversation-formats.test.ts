// gpt4roi, llava, sharegpt and qwen-vl built from the same filtered Pix2Cap sample.
import { describe, expect, it } from 'vitest'
import { qwenBox, qwenCoord, textBox } from '../../src/formats/box-text.js'
import { gpt4roi } from '../../src/formats/gpt4roi.js'
import { llava } from '../../src/formats/llava.js'
import { qwenVl } from '../../src/formats/qwen-vl.js'
import { checkImageCount, sharegpt } from '../../src/formats/sharegpt.js'
import type { FormatContext } from '../../src/formats/target-format.js'
import { BEGIN_STRING } from '../../src/instruct/gpt4roi-tokens.js'
import { normaliseBox } from '../../src/instruct/region-selection.js'
import { countToken } from '../../src/instruct/gpt4roi-conversation.js'
import { loadTemplates } from '../../src/instruct/load-templates.js'
import { HAS_SHARED } from '../helpers/fixtures.js'
import { readFilteredSampleImages } from '../helpers/pix2cap-images.js'

const templates = (await loadTemplates()).templates
const { images, rejects: filterRejects } = await readFilteredSampleImages()
const ctx = (options: Record<string, unknown> = {}): FormatContext => ({ seed: 17, templates, maxRegions: 15, split: 'val', options })

describe('box text', () => {
  it.each([
    { b: [0.1024, 0.2156, 0.53, 0.99449] as const, text: '[0.102,0.216,0.530,0.994]', qwen: '<box>(102,215),(530,994)</box>' },
    { b: [0, 0, 1, 1] as const, text: '[0.000,0.000,1.000,1.000]', qwen: '<box>(0,0),(999,999)</box>' },
  ])('$text', ({ b, text, qwen }) => {
    expect(textBox([...b])).toBe(text)
    expect(qwenBox([...b])).toBe(qwen)
  })
  it('qwen coordinates stay in [0, 1000)', () => {
    for (const v of [0, 0.0005, 0.4999, 0.999, 0.9999, 1]) expect(qwenCoord(v)).toBeGreaterThanOrEqual(0), expect(qwenCoord(v)).toBeLessThan(1000)
  })
})

describe.skipIf(!HAS_SHARED)('conversation formats on the filtered Pix2Cap sample', () => {
  it('gpt4roi: ids, <bbox> counts, boxes from regions, and every region accounted for', () => {
    let inRows = 0
    const formatRejects = []
    for (const im of images) {
      const { rows, rejects } = gpt4roi.fromImage(im, ctx())
      formatRejects.push(...rejects)
      rows.forEach((row, chunk) => {
        expect(row.id).toBe(`${im.imageId}-${chunk}`)
        expect(row.image).toBe(im.imagePath)
        expect(row.split).toBe('val')
        const text = row.conversations.map((t) => t.value).join('\n')
        expect(countToken(text, '<bbox>')).toBe(row.boxes.length)
        expect(row.regions).toHaveLength(row.boxes.length)
        expect(row.template_ids).toHaveLength(row.boxes.length)
        expect(row.boxes.length).toBeLessThanOrEqual(15)
        row.regions.forEach((r, k) => {
          expect(row.boxes[k]).toEqual(normaliseBox(r.bbox as [number, number, number, number], row.width, row.height))
          expect(row.conversations[2 * k + 1]?.value).toBe(r.caption)
        })
        inRows += row.regions.length
      })
    }
    // regions in = regions in samples + regions rejected (ARCHITECTURE.md corpus invariant): 50 = 45 + 5 filtered.
    expect(inRows + formatRejects.length + filterRejects.length).toBe(50)
    expect(formatRejects).toEqual([]) // no box of the sample is <= 2 px at 224
  })

  it('llava: `<image>\\n` first, text boxes equal the gpt4roi boxes in order, no <bbox> left', () => {
    for (const im of images) {
      const g = gpt4roi.fromImage(im, ctx()).rows
      const l = llava.fromImage(im, ctx({ boxes: 'original-3dp' })).rows
      expect(l.map((r) => r.id)).toEqual(g.map((r) => r.id))
      l.forEach((row, i) => {
        const text = row.conversations.map((t) => t.value).join('\n')
        expect(row.conversations[0]?.value.startsWith('<image>\n')).toBe(true)
        expect(countToken(text, '<image>')).toBe(1)
        expect(text).not.toContain('<bbox>')
        expect(text).not.toContain(BEGIN_STRING.trim())
        const boxes = [...text.matchAll(/region\d+ (\[[0-9.,]+\])/g)].map((m) => m[1])
        expect(boxes).toEqual(g[i]!.boxes.map((b) => textBox(b as [number, number, number, number])))
        expect(row.conversations.filter((t) => t.from === 'gpt').map((t) => t.value)).toEqual(g[i]!.regions.map((r) => r.caption))
      })
    }
  })

  it('sharegpt: roles, one <image> per image, dataset_info.json entry', () => {
    for (const im of images) {
      for (const row of sharegpt.fromImage(im, ctx()).rows) {
        const n = row.messages.reduce((acc, m) => acc + countToken(m.content, '<image>'), 0)
        expect(n).toBe(row.images.length)
        expect(row.images).toEqual([im.imagePath])
        expect(row.messages.map((m) => m.role)).toEqual(row.messages.map((_, i) => (i % 2 === 0 ? 'user' : 'assistant')))
        expect(row.messages[0]?.content.startsWith('<image>')).toBe(true)
      }
    }
    const [side] = sharegpt.sidecars!({ name: 'pix2cap', splits: [{ split: 'val', rows: 5, files: ['data/val-00000-of-00001.parquet', 'jsonl/val.jsonl'] }] })
    expect(side?.path).toBe('dataset_info.json')
    expect(JSON.parse(side!.content)).toEqual({
      pix2cap_val: {
        file_name: 'jsonl/val.jsonl',
        formatting: 'sharegpt',
        columns: { messages: 'messages', images: 'images' },
        tags: { role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant' },
      },
    })
  })

  it('qwen-vl grounded_dense: every kept region once, integers in [0,1000), reading order', () => {
    for (const im of images) {
      const { rows } = qwenVl.fromImage(im, ctx())
      expect(rows).toHaveLength(1)
      const [user, assistant] = rows[0]!.conversations
      expect(user?.from).toBe('user')
      expect(user?.value.startsWith(`Picture 1: <img>${im.imagePath}</img>\n`)).toBe(true)
      expect(templates.dense.map((t) => t.id)).toContain(rows[0]!.template_ids[0])
      const lines = assistant!.value.split('\n')
      expect(lines).toHaveLength(im.regions.length)
      const parsed = lines.map((l) => /^<ref>(.+)<\/ref><box>\((\d+),(\d+)\),\((\d+),(\d+)\)<\/box>$/.exec(l))
      const coords = parsed.map((m) => m!.slice(2).map(Number))
      for (const c of coords.flat()) expect(c >= 0 && c < 1000).toBe(true)
      // Each region appears once, with one of its captions (the array-caption region gets one picked by the rng).
      const unused = [...im.regions]
      for (const m of parsed) {
        const at = unused.findIndex((r) => r.captions.includes(m![1]!))
        expect(at, m![1]).toBeGreaterThanOrEqual(0)
        unused.splice(at, 1)
      }
      for (let i = 1; i < coords.length; i++) {
        const [a, b] = [coords[i - 1]!, coords[i]!]
        expect(a[1]! < b[1]! || (a[1] === b[1] && a[0]! <= b[0]!)).toBe(true)
      }
    }
  })

  it('qwen-vl region_caption: gpt4roi turns with <box> instead of <bbox>', () => {
    for (const im of images) {
      const g = gpt4roi.fromImage(im, ctx()).rows
      const q = qwenVl.fromImage(im, ctx({ task: 'region_caption' })).rows
      q.forEach((row, i) => {
        const text = row.conversations.map((t) => t.value).join('\n')
        expect(text).not.toContain('<bbox>')
        expect(countToken(text, '<box>')).toBe(g[i]!.boxes.length)
        expect(row.conversations.map((t) => t.from)).toEqual(row.conversations.map((_, j) => (j % 2 === 0 ? 'user' : 'assistant')))
      })
    }
  })
})

describe('sharegpt checks', () => {
  it('refuses a row whose <image> count differs from images', () => {
    const row = { messages: [{ role: 'user' as const, content: 'no image token' }], images: ['a.jpg'] }
    expect(() => checkImageCount(row, { file: 'x.json', id: '1-0' })).toThrow('x.json: sample 1-0: 0 "<image>" tokens in messages but 1 images; LLaMA-Factory requires them equal')
  })

  it('points dataset_info.json at a split folder when the shards are alone there', () => {
    const files = ['data/train-00000-of-00002.parquet', 'data/train-00001-of-00002.parquet']
    const [side] = sharegpt.sidecars!({ name: 'p', splits: [{ split: 'train', rows: 9, files }] })
    expect(JSON.parse(side!.content).p_train.file_name).toBe('data')
  })

  it('refuses shards that share a folder with another split', () => {
    const splits = [
      { split: 'train', rows: 9, files: ['data/train-00000-of-00002.parquet', 'data/train-00001-of-00002.parquet'] },
      { split: 'val', rows: 1, files: ['data/val-00000-of-00001.parquet'] },
    ]
    expect(() => sharegpt.sidecars!({ name: 'p', splits })).toThrow(
      'dataset_info.json: train: split "train" has 2 data files in data/, shared with other splits; ',
    )
  })
})
