// The model-family formats through the real CLI (child processes on the bundled sample), then read the way the
// trainers read them: test/fixtures/trainer_loaders.py re-implements LLaVA's, Qwen-VL's, LLaMA-Factory's and
// Osprey's reading and parsing steps; the visual-prompt images are decoded and checked pixel by pixel.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { execa } from 'execa'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { rleDecode } from '../../src/geometry/coco-rle.js'
import { maskOutline } from '../../src/geometry/prompt-shapes.js'
import { decodePanopticPng } from '../../src/io/png/panoptic-png.js'
import { HAS_PYTHON, PYTHON, REPO_ROOT } from '../helpers/fixtures.js'
import { readParquetHyparquet } from '../helpers/readback.js'
import { useTempDir } from '../helpers/temp-dir.js'

const SAMPLE = join(REPO_ROOT, 'sample')
const ANN = join(SAMPLE, 'pix2cap_sample_train.json')
const LOADERS = join(REPO_ROOT, 'test/fixtures/trainer_loaders.py')

let dir: string
useTempDir('pixcap-model-formats-', (d) => (dir = d))

async function convert(args: string[]): Promise<{ outDir: string; manifest: { options: Record<string, unknown>; counts: { samples: number; regions: Record<string, number> }; files: { file: string; kind: string }[] } }> {
  const r = await execa('node', [join(REPO_ROOT, 'bin/pixcap.js'), 'convert', ANN, ...args, '--json'], { cwd: dir, reject: false })
  if (r.exitCode !== 0) throw new Error(`convert ${args.join(' ')} failed: ${r.stdout}\n${r.stderr}`)
  return JSON.parse(r.stdout)
}

async function loader(check: string, ...args: string[]): Promise<Record<string, unknown>> {
  const r = await execa(PYTHON, [LOADERS, check, ...args], { reject: false })
  if (r.exitCode !== 0) throw new Error(`${check} loader failed:\n${r.stderr}`)
  return JSON.parse(r.stdout.trim().split('\n').pop()!)
}

const readJson = async <T>(file: string): Promise<T> => JSON.parse(await readFile(file, 'utf8')) as T

describe('model formats through the CLI', () => {
  it('llava: one JSON array, LLaVA-1.5 padded-square boxes with 2 decimals, loaded by LLaVA\'s reading steps', async () => {
    const { outDir, manifest } = await convert(['--to', 'llava', '--out', 'llava'])
    expect(manifest.files.map((f) => f.file)).toContain('json/train.json')
    const rows = await readJson<{ conversations: { value: string }[] }[]>(join(dir, 'llava/json/train.json'))
    // 192x144 images: padded to 192, dy = 24; every box printed as Python round(v, 2).
    const boxes = rows.flatMap((r) => r.conversations.map((t) => t.value)).join('\n').match(/region\d+ \[[^\]]+\]/g) ?? []
    expect(boxes.length).toBe(manifest.counts.regions.inSamples)
    for (const b of boxes) for (const v of b.slice(b.indexOf('[') + 1, -1).split(', ')) expect(v).toMatch(/^(0|1)\.\d{1,2}$/)
    if (HAS_PYTHON) expect(await loader('llava', join(outDir, 'json/train.json'), join(SAMPLE, 'images'))).toEqual({ items: rows.length, unique_ids: rows.length, padded_sizes: [[192, 192]] })
  })

  it.skipIf(!HAS_PYTHON)("qwen-vl: one JSON array whose <img> paths open from the working directory under --image-root", async () => {
    const { outDir } = await convert(['--to', 'qwen-vl', '--out', 'qwen', '--image-root', 'images'])
    expect(await loader('qwen-vl', join(outDir, 'json/train.json'), SAMPLE)).toEqual({ items: 12, images_opened: 12 })
  })

  it.skipIf(!HAS_PYTHON)('sharegpt: dataset_info.json validates against LLaMA-Factory\'s schema, for JSONL, JSON and Parquet', async () => {
    for (const fmt of ['jsonl', 'json', 'parquet']) {
      const out = `sg-${fmt}`
      await convert(['--to', 'sharegpt', '--task', 'grounding', '--boxes', 'qwen2.5-vl', '--format', fmt, '--image-root', 'images', '--out', out])
      const report = (await loader('llama-factory', join(dir, out), SAMPLE)) as Record<string, { rows: number; file: string }>
      expect(report.pix2cap_coco_train?.rows).toBe(12)
    }
    const row = (await readFile(join(dir, 'sg-jsonl/jsonl/train.jsonl'), 'utf8')).split('\n')[0]!
    const answer = (JSON.parse(row) as { messages: { content: string }[] }).messages[1]!.content
    const items = JSON.parse(answer.replace(/^```json\n|\n```$/g, '')) as { bbox_2d: number[]; label: string }[]
    // smart_resize(144, 192) = (round(144/28)*28, round(192/28)*28) = (140, 196): boxes stay inside 196 x 140.
    for (const it of items) expect(it.bbox_2d.every((v, i) => v >= 0 && v <= (i % 2 === 0 ? 196 : 140))).toBe(true)
  })

  it.skipIf(!HAS_PYTHON)('osprey: masks decoded by pycocotools equal the panoptic PNG segments; <regionN> binds in order', async () => {
    const { outDir, manifest } = await convert(['--to', 'osprey', '--panoptic-dir', join(SAMPLE, 'panoptic'), '--out', 'osprey'])
    const report = await loader('osprey', join(outDir, 'json/train.json'), join(SAMPLE, 'images'), join(SAMPLE, 'panoptic'), ANN)
    expect(report).toEqual({ items: manifest.counts.samples, masks_checked: manifest.counts.regions.inSamples })
  })

  it('osprey without --panoptic-dir is a usage error naming the flag', async () => {
    const r = await execa('node', [join(REPO_ROOT, 'bin/pixcap.js'), 'convert', ANN, '--to', 'osprey', '--out', join(dir, 'x')], { reject: false })
    expect(r.exitCode).not.toBe(0)
    expect(r.stderr + r.stdout).toContain('--to osprey needs region masks: give --panoptic-dir')
  })

  it('vip-llava: each drawn PNG holds the named colour along the region outline and changes no pixel elsewhere', async () => {
    const { manifest } = await convert(['--to', 'vip-llava', '--images-dir', join(SAMPLE, 'images'), '--panoptic-dir', join(SAMPLE, 'panoptic'), '--out', 'vip'])
    type Row = { image: string; source_image: string; shape: string; color: string; bboxes: number[][]; conversations: { value: string }[] }
    const rows = await readJson<Row[]>(join(dir, 'vip/json/train.json'))
    expect(rows.length).toBe(manifest.counts.regions.inSamples)
    expect(new Set(rows.map((r) => r.shape))).toEqual(new Set(['rectangle', 'ellipse', 'mask contour', 'arrow', 'scribble']))
    const ann = await readJson<{ annotations: { image_id: number; file_name: string }[]; images: { id: number; file_name: string }[] }>(ANN)
    const COLORS: Record<string, number[]> = { red: [255, 0, 0], lime: [0, 255, 0], blue: [0, 0, 255], yellow: [255, 255, 0], fuchsia: [255, 0, 255], aqua: [0, 255, 255], orange: [255, 165, 0], purple: [128, 0, 128], gold: [255, 215, 0] }
    for (const row of rows) {
      expect(row.conversations[0]!.value).toContain(`the ${row.color} ${row.shape}`)
      const drawn = await sharp(join(dir, 'vip', row.image)).raw().toBuffer({ resolveWithObject: true })
      const orig = await sharp(join(SAMPLE, 'images', row.source_image)).removeAlpha().raw().toBuffer({ resolveWithObject: true })
      const { width: W, height: H } = drawn.info
      const color = COLORS[row.color]!
      const changed: number[] = []
      let painted = 0
      for (let i = 0; i < W * H; i++) {
        const d = [drawn.data[3 * i]!, drawn.data[3 * i + 1]!, drawn.data[3 * i + 2]!]
        const isColor = d.every((v, c) => v === color[c])
        if (isColor) painted++
        if (d.some((v, c) => v !== orig.data[3 * i + c])) {
          expect(isColor).toBe(true) // every changed pixel carries the prompt's colour
          changed.push(i)
        }
      }
      expect(painted).toBeGreaterThan(0)
      const [x1, y1, x2, y2] = row.bboxes[0]!
      if (row.shape === 'rectangle') {
        // The outline: every pixel of the box's border is the colour; nothing changed outside the box or deep inside it.
        for (let x = x1!; x < x2!; x++) for (const y of [y1!, y2! - 1]) expect([...drawn.data.subarray(3 * (y * W + x), 3 * (y * W + x) + 3)]).toEqual(color)
        for (const i of changed) {
          const x = i % W
          const y = (i - x) / W
          expect(x >= x1! && x < x2! && y >= y1! && y < y2!).toBe(true)
          expect(Math.min(x - x1!, x2! - 1 - x, y - y1!, y2! - 1 - y)).toBeLessThan(8)
        }
      }
      if (row.shape === 'mask contour') {
        // Every outline pixel of the panoptic segment is painted; changes stay within 2 px of that outline.
        const image = ann.images.find((im) => im.file_name === row.source_image)!
        const png = ann.annotations.find((a) => a.image_id === image.id)!.file_name
        const map = await decodePanopticPng(join(SAMPLE, 'panoptic', png))
        const seg = Number(row.image.match(/-(\d+)\.png$/)![1])
        const mask = Uint8Array.from(map.ids, (v) => (v === seg ? 1 : 0))
        const outline = maskOutline(mask, W, H)
        for (const i of outline) expect([...drawn.data.subarray(3 * i, 3 * i + 3)]).toEqual(color)
        const near = new Set<number>()
        for (const i of outline) for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) near.add(i + dy * W + dx)
        for (const i of changed) expect(near.has(i)).toBe(true)
      }
    }
  })

  it('gpt4roi --masks: the Parquet `masks` column decodes to each region\'s panoptic segment, in <bbox> order', async () => {
    const { manifest } = await convert(['--to', 'gpt4roi', '--masks', '--panoptic-dir', join(SAMPLE, 'panoptic'), '--out', 'masks'])
    const rows = (await readParquetHyparquet(join(dir, 'masks/data/train-00000-of-00001.parquet'))) as { image: string; regions: { segment_id: number }[]; masks: { size: number[]; counts: string }[] }[]
    expect(rows.length).toBe(manifest.counts.samples)
    let checked = 0
    for (const row of rows) {
      expect(row.masks).toHaveLength(row.regions.length)
      const map = await decodePanopticPng(join(SAMPLE, 'panoptic', row.image.replace(/\.jpg$/, '.png')))
      row.regions.forEach((r, k) => {
        const { mask } = rleDecode({ size: row.masks[k]!.size, counts: row.masks[k]!.counts })
        for (let i = 0; i < mask.length; i++) if (mask[i] !== (map.ids[i] === r.segment_id ? 1 : 0)) throw new Error(`${row.image} region ${r.segment_id}: pixel ${i} differs`)
        checked++
      })
    }
    expect(checked).toBe(manifest.counts.regions.inSamples)
  })

  it('--epochs 2 writes two independent draws; draw 0 equals the one-epoch corpus, ids stay unique', async () => {
    const one = await convert(['--to', 'llava', '--out', 'e1'])
    const two = await convert(['--to', 'llava', '--epochs', '2', '--out', 'e2'])
    expect(two.manifest.options.epochs).toBe(2)
    expect(two.manifest.counts.samples).toBe(2 * one.manifest.counts.samples)
    expect(two.manifest.counts.regions).toEqual(one.manifest.counts.regions)
    type Row = { id: string; conversations: { value: string }[] }
    const r1 = await readJson<Row[]>(join(dir, 'e1/json/train.json'))
    const r2 = await readJson<Row[]>(join(dir, 'e2/json/train.json'))
    expect(new Set(r2.map((r) => r.id)).size).toBe(r2.length)
    expect(r2.filter((r) => !r.id.includes('-e1-'))).toEqual(r1)
    const later = r2.filter((r) => r.id.includes('-e1-'))
    expect(later).toHaveLength(r1.length)
    expect(later.map((r) => r.conversations)).not.toEqual(r1.map((r) => r.conversations))
  })
})
