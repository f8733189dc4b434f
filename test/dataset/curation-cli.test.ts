// split, mix, dedup and contamination through the real CLI (`node bin/pixcap.js`, after `npm run -s build`), on
// corpora that `pixcap convert` writes from photos and Pix2Cap-COCO files these tests generate.
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { execa } from 'execa'
import sharp from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import { sha256 } from '../../src/util/sha256.js'
import { cocoName, convertToCorpus, pixcap, sceneJpeg, sceneRgb, SCENE_H, SCENE_W, writePix2CapSet, type TestImage } from '../helpers/curation-corpus.js'
import { HAS_PYTHON, PYTHON } from '../helpers/fixtures.js'
import { useTempDir } from '../helpers/temp-dir.js'

type Row = { id: string; image: string; image_id: string; split: string; regions: { region_id: string; caption: string; bbox: number[] }[]; boxes: number[][]; conversations: { from: string; value: string }[]; template_ids: string[] }
type Reject = { imageId: string; regionId?: string; reason: string; detail: string; duplicateOf?: string }
type Manifest = { command: string; split: string; inputs: { role: string; path: string; sha256: string }[]; options: Record<string, unknown>; counts: { images: { in: number; kept: number }; regions: { in: number; inSamples: number; rejected: number }; rejectedByReason: Record<string, number>; samples: number }; files: { file: string; kind: string; rows: number; sha256: string }[] }

const jsonl = async <T>(file: string): Promise<T[]> => (await readFile(file, 'utf8')).split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as T)
const manifestOf = async (dir: string): Promise<Manifest> => JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Manifest
const rowsOf = async (dir: string, split: string): Promise<Row[]> => jsonl<Row>(join(dir, 'jsonl', `${split}.jsonl`))
const box = (x: number, y: number, w: number, h: number): [number, number, number, number] => [x, y, w, h]
/** Every file a manifest lists, with its bytes' sha256 (for byte-identity checks). */
const fileHashes = async (dir: string): Promise<Record<string, string>> => {
  const m = await manifestOf(dir)
  const out: Record<string, string> = { 'manifest.json': sha256(await readFile(join(dir, 'manifest.json'))) }
  for (const f of m.files) out[f.file] = sha256(await readFile(join(dir, f.file)))
  return out
}
const ok = (r: { exitCode?: number; stdout: string; stderr: string }): Record<string, unknown> => {
  if (r.exitCode !== 0) throw new Error(`exit ${r.exitCode}\n${r.stdout}\n${r.stderr}`)
  return JSON.parse(r.stdout) as Record<string, unknown>
}

let dir = ''
useTempDir('pixcap-curation-', (d) => (dir = d))

// Corpus "dups": 6 images. 3 is a byte copy of 1; 4 is 1 re-encoded at quality 55 and resized by 50%;
// 6 has three captions of one box (two identical after normalisation, one near) and the same caption on another box.
let dups: { json: string; imagesDir: string; corpus: string }
// Corpus "many": 20 images of 3 regions each, at most 2 regions per sample: two rows per image.
let many: { json: string; imagesDir: string; corpus: string }

beforeAll(async () => {
  const a: TestImage[] = [
    { id: 1, photo: await sceneJpeg(1), regions: [{ bbox: box(10, 10, 60, 40), caption: 'a blue car parked near the road' }] },
    { id: 2, photo: await sceneJpeg(2), regions: [{ bbox: box(20, 30, 50, 50), caption: 'a yellow sign on a pole' }] },
    { id: 3, photo: await sceneJpeg(1), regions: [{ bbox: box(10, 10, 60, 40), caption: 'a blue car parked near the road' }, { bbox: box(100, 100, 40, 40), caption: 'a tree' }] },
    { id: 4, photo: await sceneJpeg(1, { quality: 55, scale: 0.5 }), size: [SCENE_W / 2, SCENE_H / 2], regions: [{ bbox: box(5, 5, 30, 20), caption: 'a blue car seen from far away' }] },
    { id: 5, photo: await sceneJpeg(5), regions: [{ bbox: box(40, 40, 80, 60), caption: 'a red bus turning left' }] },
    {
      id: 6,
      photo: await sceneJpeg(6),
      regions: [
        { bbox: box(50, 60, 70, 90), caption: 'A man in a red shirt.' },
        { bbox: box(50, 60, 70, 90), caption: 'a man in a  red shirt' },
        { bbox: box(50, 60, 70, 90), caption: 'a man in a red shirts' },
        { bbox: box(200, 60, 70, 90), caption: 'a man in a red shirt' },
        { bbox: box(10, 150, 60, 50), caption: 'a dog sleeping on the pavement' },
      ],
    },
  ]
  const dupSet = await writePix2CapSet(join(dir, 'dups-src'), a)
  dups = { ...dupSet, corpus: join(dir, 'dups') }
  await convertToCorpus(dupSet.json, dups.corpus)
  const b: TestImage[] = []
  for (let i = 0; i < 20; i++) {
    b.push({ id: 100 + i, photo: await sceneJpeg(100 + i, { quality: 70 }), regions: [0, 1, 2].map((k) => ({ bbox: box(10 + 60 * k, 20, 50, 40), caption: `object ${k} of image ${100 + i}` })) })
  }
  const manySet = await writePix2CapSet(join(dir, 'many-src'), b)
  many = { ...manySet, corpus: join(dir, 'many') }
  await convertToCorpus(manySet.json, many.corpus, ['--max-regions', '2'])
}, 120_000)

describe('pixcap split', () => {
  it('splits by image, seeded and byte-identical, with Hub split names and counts that add up', async () => {
    const args = (out: string, seed: string) => ['split', many.corpus, '--out', out, '--ratios', 'train=0.7,validation=0.15,test=0.15', '--seed', seed, '--json']
    const r = ok(await pixcap(args(join(dir, 'split-a'), '7')))
    ok(await pixcap(args(join(dir, 'split-b'), '7')))
    ok(await pixcap(args(join(dir, 'split-c'), '8')))
    expect(await fileHashes(join(dir, 'split-a'))).toEqual(await fileHashes(join(dir, 'split-b')))
    expect((r.splits as { name: string; images: number }[]).map((s) => [s.name, s.images])).toEqual([['train', 14], ['validation', 3], ['test', 3]])

    const input = await rowsOf(many.corpus, 'train')
    expect(input.length).toBe(40) // 2 rows per image: the unit of the split is the image, not the row
    const owner = new Map<string, string>()
    let rows = 0
    for (const split of ['train', 'validation', 'test']) {
      for (const row of await rowsOf(join(dir, 'split-a'), split)) {
        rows++
        expect(row.split).toBe(split)
        expect(owner.get(row.image_id) ?? split).toBe(split) // never in two splits
        owner.set(row.image_id, split)
      }
    }
    expect(rows).toBe(40)
    expect(owner.size).toBe(20)
    const m = await manifestOf(join(dir, 'split-a'))
    expect(m.command).toBe('split')
    expect(m.split).toBe('train,validation,test')
    expect(m.counts.regions).toMatchObject({ in: 60, inSamples: 60, rejected: 0 })
    expect(m.files.map((f) => f.file)).toContain('data/validation-00000-of-00001.parquet')
    expect(m.inputs[0]!.sha256).toBe(sha256(await readFile(join(many.corpus, 'manifest.json'))))
    // Another seed draws other images.
    const other = new Set((await rowsOf(join(dir, 'split-c'), 'test')).map((r) => r.image_id))
    const same = new Set((await rowsOf(join(dir, 'split-a'), 'test')).map((r) => r.image_id))
    expect([...other].sort()).not.toEqual([...same].sort())
  })

  it.skipIf(!HAS_PYTHON)('datasets loads the three splits from the parquet files', async () => {
    const out = join(dir, 'split-a')
    const code = `import datasets, json, sys
d = datasets.load_dataset("parquet", data_files={s: f"${out}/data/{s}-*.parquet" for s in ["train", "validation", "test"]})
print(json.dumps({k: v.num_rows for k, v in d.items()}))`
    const r = await execa(PYTHON, ['-c', code], { env: { HF_DATASETS_CACHE: join(dir, 'hf-cache'), HF_HUB_OFFLINE: '1' } })
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!)).toEqual({ train: 28, validation: 6, test: 6 })
  }, 60_000)

  it('refuses an alias split name and ratios that do not sum to 1, as JSON errors', async () => {
    const alias = await pixcap(['split', many.corpus, '--out', join(dir, 'split-x'), '--ratios', 'train=0.8,val=0.2', '--json'])
    expect(alias.exitCode).toBe(2)
    expect(JSON.parse(alias.stdout).error.message).toBe('split name "val" is an alias; the Hub\'s canonical name is "validation"')
    const sum = await pixcap(['split', many.corpus, '--out', join(dir, 'split-x'), '--ratios', 'train=0.8,test=0.3', '--json'])
    expect(JSON.parse(sum.stdout).error.message).toBe('split ratios must sum to 1, got 1.1 (train=0.8, test=0.3)')
    const dash = await pixcap(['split', many.corpus, '--out', join(dir, 'split-x'), '--ratios', 'train=0.5,my-test=0.5', '--json'])
    expect(JSON.parse(dash.stdout).error.message).toContain('split name "my-test" is not a valid Hub split name')
  })
})

describe('pixcap mix', () => {
  it('mixes by weights with up- and down-sampling; per-part counts add up; byte-identical for a seed', async () => {
    const args = (out: string) => ['mix', '--part', `${dups.corpus}:1`, '--part', `${many.corpus}:3`, '--total', '32', '--seed', '5', '--out', out, '--json']
    const r = ok(await pixcap(args(join(dir, 'mix-a'))))
    ok(await pixcap(args(join(dir, 'mix-b'))))
    expect(await fileHashes(join(dir, 'mix-a'))).toEqual(await fileHashes(join(dir, 'mix-b')))
    const parts = r.parts as { target: number; share: number; manifestSha256: string; rows: Record<string, number>; regions: Record<string, number> }[]
    expect(parts.map((p) => p.target)).toEqual([8, 24])
    expect(parts.map((p) => p.share)).toEqual([0.25, 0.75])
    // dups: 6 rows up-sampled to 8 (every row once, 2 drawn again); many: 40 rows down-sampled to 24.
    expect(parts[0]!.rows).toEqual({ in: 6, out: 8, dropped: 0, repeated: 2 })
    expect(parts[1]!.rows).toEqual({ in: 40, out: 24, dropped: 16, repeated: 0 })
    for (const p of parts) {
      expect(p.rows.in! - p.rows.dropped! + p.rows.repeated!).toBe(p.rows.out)
      expect(p.regions.in! - p.regions.dropped! + p.regions.repeated!).toBe(p.regions.out)
    }
    expect(parts[0]!.manifestSha256).toBe(sha256(await readFile(join(dups.corpus, 'manifest.json'))))
    const m = await manifestOf(join(dir, 'mix-a'))
    expect(m.counts.samples).toBe(32)
    expect(m.counts.regions.rejected).toBe(parts[1]!.regions.dropped)
    expect(m.counts.rejectedByReason).toEqual({ downsampled: parts[1]!.regions.dropped })
    expect(m.inputs.map((i) => i.role)).toEqual(['part1', 'part2'])
    const rows = await rowsOf(join(dir, 'mix-a'), 'train')
    expect(new Set(rows.map((x) => x.id)).size).toBe(32) // repeated rows get their own ids
    const rejects = await jsonl<Reject>(join(dir, 'mix-a', 'rejects.jsonl'))
    expect(rejects.length).toBe(parts[1]!.regions.dropped)
    expect(rejects.every((x) => x.reason === 'downsampled')).toBe(true)
  })

  it.skipIf(!HAS_PYTHON)('the mix loads in datasets as one dataset', async () => {
    const code = `import datasets, json
d = datasets.load_dataset("parquet", data_files="${join(dir, 'mix-a')}/data/train-*.parquet", split="train")
print(json.dumps({"rows": d.num_rows, "sources": sorted(set(d["image_id"]))[:3], "cols": sorted(d.column_names)[:4]}))`
    const r = await execa(PYTHON, ['-c', code], { env: { HF_DATASETS_CACHE: join(dir, 'hf-cache'), HF_HUB_OFFLINE: '1' } })
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { rows: number; cols: string[] }
    expect(out.rows).toBe(32)
    expect(out.cols).toEqual(['boxes', 'conversations', 'height', 'id'])
  }, 60_000)

  it('mixes by target counts, and refuses parts of different formats naming the part', async () => {
    const r = ok(await pixcap(['mix', '--part', `${dups.corpus}=3`, '--part', `${many.corpus}=50`, '--out', join(dir, 'mix-c'), '--json']))
    expect((r.parts as { rows: Record<string, number> }[]).map((p) => p.rows)).toEqual([
      { in: 6, out: 3, dropped: 3, repeated: 0 },
      { in: 40, out: 50, dropped: 0, repeated: 10 },
    ])
    await convertToCorpus(many.json, join(dir, 'many-llava'), ['--to', 'llava'])
    const bad = await pixcap(['mix', '--part', `${dups.corpus}:1`, '--part', `${join(dir, 'many-llava')}:1`, '--out', join(dir, 'mix-d'), '--json'])
    expect(bad.exitCode).toBe(1)
    const err = JSON.parse(bad.stdout).error
    expect(err.file).toBe(join(dir, 'many-llava', 'manifest.json'))
    expect(err.detail).toBe('part 2 is "llava" but part 1 is "gpt4roi"; one dataset needs one set of columns: convert every part to the same format')
  })
})

describe('pixcap dedup', () => {
  it('removes the byte copy and the re-encoded half-size copy, and duplicate captions of one box, naming what each duplicates', async () => {
    const r = ok(await pixcap(['dedup', dups.corpus, '--out', join(dir, 'dedup'), '--images-dir', dups.imagesDir, '--json']))
    expect(r.images).toEqual({ in: 6, identical: 1, near: 1, kept: 4 })
    expect(r.captions).toEqual({ in: 11, identical: 1, near: 1 })
    expect(r.duplicates).toEqual([
      { image: cocoName(3), duplicateOf: cocoName(1), how: 'sha256', distance: 0 },
      expect.objectContaining({ image: cocoName(4), duplicateOf: cocoName(1), how: 'phash' }),
    ])
    const rejects = await jsonl<Reject>(join(dir, 'dedup', 'rejects.jsonl'))
    expect(rejects.filter((x) => x.imageId === '3').map((x) => [x.reason, x.duplicateOf])).toEqual([['duplicate', cocoName(1)], ['duplicate', cocoName(1)]])
    expect(rejects.filter((x) => x.imageId === '4').map((x) => [x.reason, x.duplicateOf])).toEqual([['near_duplicate', cocoName(1)]])
    const captionRejects = rejects.filter((x) => x.imageId === '6')
    expect(captionRejects.map((x) => x.reason).sort()).toEqual(['duplicate', 'near_duplicate'])
    const out = await rowsOf(join(dir, 'dedup'), 'train')
    const six = out.find((x) => x.image_id === '6')!
    expect(six.regions.length).toBe(3)
    // The kept box-1 caption is one of the three; the caption on the other box survives.
    expect(six.regions.filter((x) => x.bbox[0] === 50).length).toBe(1)
    expect(six.regions.some((x) => x.bbox[0] === 200)).toBe(true)
    for (const x of captionRejects) expect(x.duplicateOf).toBe(six.regions.find((g) => g.bbox[0] === 50)!.region_id)
    // The row is still a valid GPT4RoI sample: one pair per region, region{k} <bbox> renumbered, begin string first.
    expect(six.conversations.length).toBe(6)
    expect(six.boxes.length).toBe(3)
    expect(six.template_ids.length).toBe(3)
    six.conversations.forEach((t, i) => {
      expect(t.from).toBe(i % 2 === 0 ? 'human' : 'gpt')
      if (i % 2 === 0) expect(t.value).toContain(`region${i / 2 + 1} <bbox>`)
    })
    expect(six.conversations[0]!.value.startsWith('The <image> provides an overview of the picture.\n')).toBe(true)
    expect(six.conversations.filter((t) => t.value.includes('The <image>')).length).toBe(1)
    const m = await manifestOf(join(dir, 'dedup'))
    expect(m.counts.regions).toMatchObject({ in: 11, inSamples: 6, rejected: 5 })
    expect(m.counts.rejectedByReason).toEqual({ duplicate: 3, near_duplicate: 2 })
  })

  it('needs the images folder for image dedup, and says so', async () => {
    const r = await pixcap(['dedup', dups.corpus, '--out', join(dir, 'dedup-x'), '--json'])
    expect(r.exitCode).toBe(2)
    expect(JSON.parse(r.stdout).error.message).toContain('pass --images-dir DIR')
  })
})

describe('pixcap contamination', () => {
  let evalDir = ''
  beforeAll(async () => {
    evalDir = join(dir, 'eval')
    await mkdir(join(evalDir, 'val2017'), { recursive: true })
    await mkdir(join(evalDir, 'vip', 'source_image'), { recursive: true })
    await mkdir(join(evalDir, 'vg'), { recursive: true })
    // COCO val2017-style: image 2 re-encoded at quality 60 and resized by 50%, and another street scene.
    await writeFile(join(evalDir, 'val2017', '000000900001.jpg'), await sceneJpeg(2, { quality: 60, scale: 0.5 }))
    await writeFile(join(evalDir, 'val2017', '000000900002.jpg'), await sceneJpeg(50))
    await writeFile(join(evalDir, 'instances_val2017.json'), JSON.stringify({ images: [{ id: 900001, file_name: '000000900001.jpg', width: 160, height: 120 }, { id: 900002, file_name: '000000900002.jpg', width: 320, height: 240 }], annotations: [], categories: [] }))
    // mdetr final_refcocog_val.json: one "image" per expression, COCO id in original_id, no pixels given.
    await writeFile(join(evalDir, 'final_refcocog_val.json'), JSON.stringify({ images: [1, 2].map((id) => ({ id, file_name: 'COCO_train2014_000000000005.jpg', original_id: 5, caption: 'the bus', height: 240, width: 320 })), annotations: [], categories: [] }))
    // VG test.json (GRiT, COCO-style; VG file names): an exact byte copy of corpus image 6.
    await copyFile(join(dups.imagesDir, cocoName(6)), join(evalDir, 'vg', '2345.jpg'))
    await writeFile(join(evalDir, 'vg_test.json'), JSON.stringify({ images: [{ id: 2345, file_name: '2345.jpg', height: 240, width: 320 }], annotations: [] }))
    // ViP-Bench source_image/: image 5 as PNG.
    await sharp(sceneRgb(5), { raw: { width: SCENE_W, height: SCENE_H, channels: 3 } }).png().toFile(join(evalDir, 'vip', 'source_image', 'v1_7.png'))
  })

  it('finds a re-encoded half-size copy, COCO ids, byte copies and PNG copies; leaves another scene of the same type alone', async () => {
    const r = ok(
      await pixcap([
        'contamination', dups.corpus, '--images-dir', dups.imagesDir, '--report', join(dir, 'report'), '--write-filtered', join(dir, 'clean'), '--json',
        '--against', `coco_val2017=${join(evalDir, 'instances_val2017.json')}@${join(evalDir, 'val2017')}`,
        '--against', `refcocog_val=${join(evalDir, 'final_refcocog_val.json')}`,
        '--against', `vg_test=${join(evalDir, 'vg_test.json')}@${join(evalDir, 'vg')}`,
        '--against', `vipbench=${join(evalDir, 'vip', 'source_image')}`,
      ]),
    )
    const sets = Object.fromEntries((r.sets as { name: string; contaminated: Record<string, number>; methods: string[]; images: number }[]).map((s) => [s.name, s]))
    expect(sets.coco_val2017!.contaminated).toEqual({ images: 1, coco_id: 0, sha256: 0, phash: 1 })
    expect(sets.refcocog_val!.contaminated).toEqual({ images: 1, coco_id: 1, sha256: 0, phash: 0 })
    expect(sets.refcocog_val!.methods).toEqual(['coco_id'])
    expect(sets.refcocog_val!.images).toBe(1) // two expressions, one image
    expect(sets.vg_test!.contaminated).toEqual({ images: 1, coco_id: 0, sha256: 1, phash: 0 })
    expect(sets.vipbench!.contaminated).toEqual({ images: 1, coco_id: 0, sha256: 0, phash: 1 })
    const pairs = r.pairs as { image: string; set: string; evalImage: string; how: string; distance: number | null }[]
    expect(pairs.map((p) => [p.image, p.set, p.evalImage, p.how])).toEqual([
      [cocoName(2), 'coco_val2017', '000000900001.jpg', 'phash'],
      [cocoName(5), 'refcocog_val', 'COCO_train2014_000000000005.jpg', 'coco_id'],
      [cocoName(5), 'vipbench', 'v1_7.png', 'phash'],
      [cocoName(6), 'vg_test', '2345.jpg', 'sha256'],
    ])
    expect(pairs.find((p) => p.set === 'coco_val2017')!.distance).toBeLessThanOrEqual(4)
    expect(pairs.some((p) => p.evalImage === '000000900002.jpg')).toBe(false) // the other street scene
    const report = JSON.parse(await readFile(join(dir, 'report', 'contamination.json'), 'utf8'))
    expect(report.corpus).toEqual({ dir: dups.corpus, images: 6, contaminatedImages: 3, contaminatedRegions: 7 })
    // The contact sheet: 3 pairs with pixels on both sides (the refcocog pair has none), 2 thumbnails wide.
    const sheet = await sharp(join(dir, 'report', 'contamination.png')).metadata()
    expect([sheet.width, sheet.height]).toEqual([8 * 3 + 192 * 2, 8 + 3 * (192 + 22 + 8)])
    const m = await manifestOf(join(dir, 'clean'))
    expect(m.counts.regions).toMatchObject({ in: 11, inSamples: 4, rejected: 7 })
    expect(m.counts.rejectedByReason).toEqual({ contaminated: 7 })
    expect(m.inputs.map((i) => i.role)).toEqual(['corpus', 'against:coco_val2017', 'against:refcocog_val', 'against:vg_test'])
    const rejects = await jsonl<Reject>(join(dir, 'clean', 'rejects.jsonl'))
    expect(rejects.find((x) => x.imageId === '2')).toMatchObject({ reason: 'contaminated', duplicateOf: 'coco_val2017:000000900001.jpg' })
    expect(new Set((await rowsOf(join(dir, 'clean'), 'train')).map((x) => x.image_id))).toEqual(new Set(['1', '3', '4']))
  })

  it('names the evaluation file and JSON path of a malformed set, as a JSON error', async () => {
    await writeFile(join(evalDir, 'broken.json'), JSON.stringify({ images: [{ id: 1 }] }))
    const r = await pixcap(['contamination', dups.corpus, '--against', join(evalDir, 'broken.json'), '--report', join(dir, 'r2'), '--json'])
    expect(r.exitCode).toBe(1)
    const err = JSON.parse(r.stdout).error
    expect(err.file).toBe(join(evalDir, 'broken.json'))
    expect(err.path).toBe('images[0].file_name')
    const missing = await pixcap(['contamination', dups.corpus, '--against', join(evalDir, 'nope.json'), '--report', join(dir, 'r2'), '--json'])
    expect(JSON.parse(missing.stdout).error.message).toContain('nope.json: cannot read the evaluation set "nope"')
  })
})
