import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../src/cli/main.js'
import { convertDataset } from '../../src/convert/convert-dataset.js'
import { mergeManifests } from '../../src/convert/merge-manifests.js'
import { gpt4roi } from '../../src/formats/gpt4roi.js'
import { toHfFeatures } from '../../src/io/corpus/arrow-schema.js'
import { readManifest } from '../../src/io/corpus/manifest.js'
import { sha256File } from '../../src/util/sha256.js'
import { captureIo } from '../helpers/io.js'
import { HAS_PYTHON, HAS_SHARED, IMAGES_SAMPLE_DIR, PANOPTIC_SAMPLE_DIR, PIX2CAP_SAMPLE_JSON } from '../helpers/fixtures.js'
import { hfReadback, parquetFooter, readArrowStream, readParquetHyparquet } from '../helpers/readback.js'

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) out.push(relative(dir, join(e.parentPath, e.name)))
  return out.sort()
}

const bboxCount = (conv: { value: string }[]) => conv.reduce((n, t) => n + (t.value.match(/<bbox>/g)?.length ?? 0), 0)

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pixcap-convert-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const base = (out: string) => ({
  annotations: PIX2CAP_SAMPLE_JSON,
  panopticDir: PANOPTIC_SAMPLE_DIR,
  imagesDir: IMAGES_SAMPLE_DIR,
  to: 'gpt4roi' as const,
  outDir: join(dir, out),
  seed: 7,
  formats: ['parquet', 'arrow', 'jsonl'] as ('parquet' | 'arrow' | 'jsonl')[],
})

describe.skipIf(!HAS_SHARED)('convertDataset on the shared Pix2Cap sample (2 images, 50 segments)', () => {
  it('accounts for all 50 regions and writes <bbox> tokens matching the boxes in every file', async () => {
    const r = await convertDataset(base('a'))
    const c = r.manifest.counts
    expect(c.regions.in).toBe(50)
    expect(c.regions.inSamples + c.regions.rejected).toBe(50)
    expect(c.regions.kept).toBe(c.regions.in - Object.entries(c.rejectedByReason).filter(([k]) => k !== 'small_box_224').reduce((a, [, v]) => a + v, 0))
    expect(await listFiles(r.outDir)).toEqual(['arrow/val-00000-of-00001.arrow', 'data/val-00000-of-00001.parquet', 'jsonl/val.jsonl', 'manifest.json', 'rejects.jsonl'])
    const rejects = (await readFile(join(r.outDir, 'rejects.jsonl'), 'utf8')).trimEnd().split('\n')
    expect(rejects).toHaveLength(c.regions.rejected)

    const pq = await readParquetHyparquet(join(r.outDir, 'data/val-00000-of-00001.parquet'))
    const arrow = (await readArrowStream(join(r.outDir, 'arrow/val-00000-of-00001.arrow'))).rows
    const jsonl = (await readFile(join(r.outDir, 'jsonl/val.jsonl'), 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    for (const rows of [pq, arrow, jsonl]) {
      expect(rows).toHaveLength(c.samples)
      let regions = 0
      for (const row of rows) {
        const boxes = row.boxes as number[][]
        expect(bboxCount(row.conversations as { value: string }[])).toBe(boxes.length)
        expect((row.regions as unknown[]).length).toBe(boxes.length)
        regions += boxes.length
      }
      expect(regions).toBe(c.regions.inSamples)
    }
    expect(pq.map((r) => r.id)).toEqual(jsonl.map((r) => r.id))

    // Every file is listed with its real size and hash; the manifest reads back through its schema.
    const { manifest } = await readManifest(r.outDir)
    expect(manifest).toEqual(r.manifest)
    for (const f of manifest.files) expect(await sha256File(join(r.outDir, f.file))).toBe(f.sha256)
    expect(manifest.templates?.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(manifest.inputs[0]).toMatchObject({ role: 'annotations', sha256: await sha256File(PIX2CAP_SAMPLE_JSON) })
  })

  it('is deterministic: the same input and seed give byte-identical files, manifest included', async () => {
    const a = await convertDataset(base('det1'))
    const b = await convertDataset(base('det2'))
    const files = await listFiles(a.outDir)
    expect(await listFiles(b.outDir)).toEqual(files)
    for (const f of files) expect(await sha256File(join(b.outDir, f)), f).toBe(await sha256File(join(a.outDir, f)))
    const c = await convertDataset({ ...base('det3'), seed: 8 })
    expect(await sha256File(join(c.outDir, 'jsonl/val.jsonl'))).not.toBe(await sha256File(join(a.outDir, 'jsonl/val.jsonl')))
  })

  it.skipIf(!HAS_PYTHON)('datasets loads the gpt4roi Parquet and Arrow with the declared features', async () => {
    const r = await convertDataset(base('py'))
    const features = toHfFeatures(gpt4roi.fields)
    const pq = await hfReadback('parquet', [join(r.outDir, 'data/val-00000-of-00001.parquet')])
    const ar = await hfReadback('arrow', [join(r.outDir, 'arrow/val-00000-of-00001.arrow')])
    expect(pq.features).toEqual(features)
    expect(ar.features).toEqual(features)
    const jsonl = (await readFile(join(r.outDir, 'jsonl/val.jsonl'), 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    const f32 = (rows: Record<string, unknown>[]) =>
      rows.map((row) => ({
        ...row,
        boxes: (row.boxes as number[][]).map((b) => b.map(Math.fround)),
        regions: (row.regions as { bbox: number[] }[]).map((g) => ({ ...g, bbox: g.bbox.map(Math.fround) })),
      }))
    expect(f32(pq.rows)).toEqual(f32(jsonl))
    expect(f32(ar.rows)).toEqual(f32(jsonl))
  })

  it.skipIf(!HAS_PYTHON)('--embed-images stores the image bytes as the datasets Image feature in 100-row groups', async () => {
    const r = await convertDataset({ ...base('embed'), formats: ['parquet', 'arrow'], embedImages: true })
    const file = join(r.outDir, 'data/val-00000-of-00001.parquet')
    const back = await hfReadback('parquet', [file])
    expect(back.features.image).toEqual({ _type: 'Image' })
    for (const row of back.rows) {
      const img = row.image as { bytes: { base64: string }; path: string }
      const want = await readFile(join(IMAGES_SAMPLE_DIR, img.path))
      expect(Buffer.from(img.bytes.base64, 'base64').equals(want)).toBe(true)
    }
    const ar = await hfReadback('arrow', [join(r.outDir, 'arrow/val-00000-of-00001.arrow')])
    expect(ar.features.image).toEqual({ _type: 'Image' })
    expect((await parquetFooter(file)).rowGroups.every((n) => n <= 100)).toBe(true)
  })

  it('a failure mid-conversion leaves no complete-looking file and no manifest', async () => {
    const out = join(dir, 'crash')
    // --embed-images with an images dir that lacks the files: the first rows fail while the sinks are open.
    await expect(convertDataset({ ...base('crash'), imagesDir: join(dir, 'no-images'), embedImages: true })).rejects.toThrow('embedImages: cannot read')
    const left = await listFiles(out).catch(() => [])
    expect(left.filter((f) => !f.endsWith('.incomplete'))).toEqual([])
    expect(left).toEqual([])
  })

  it('--shard-index/--num-shards jobs merge into the same corpus counts and rows as one run', async () => {
    const whole = await convertDataset(base('whole'))
    const jobs = [0, 1, 2].map((i) => join(dir, `job${i}`))
    for (const [i, out] of jobs.entries()) await convertDataset({ ...base(`job${i}`), outDir: out, shard: { index: i, count: 3 } })
    const merged = await mergeManifests({ dirs: [jobs[2]!, jobs[0]!, jobs[1]!], outDir: join(dir, 'merged') })
    expect(merged.manifest.counts).toEqual(whole.manifest.counts)
    expect(merged.manifest.shard).toBeNull()
    expect(merged.manifest.mergedFrom?.map((m) => m.index)).toEqual([0, 1, 2])
    const rows: Record<string, unknown>[] = []
    for (const f of merged.manifest.files.filter((f) => f.kind === 'parquet')) {
      expect(f.file).toMatch(/^data\/val-0000[0-2]-of-00003\.parquet$/)
      rows.push(...(await readParquetHyparquet(join(dir, 'merged', f.file))))
    }
    const wholeRows = await readParquetHyparquet(join(whole.outDir, 'data/val-00000-of-00001.parquet'))
    const byId = (a: Record<string, unknown>, b: Record<string, unknown>) => String(a.id).localeCompare(String(b.id))
    expect(rows.sort(byId)).toEqual(wholeRows.sort(byId))
    const rejects = (await readFile(join(dir, 'merged/rejects.jsonl'), 'utf8')).trimEnd().split('\n')
    expect(rejects).toHaveLength(whole.manifest.counts.regions.rejected)
    for (const f of merged.manifest.files) expect(await sha256File(join(dir, 'merged', f.file))).toBe(f.sha256)

    await expect(mergeManifests({ dirs: [jobs[0]!, jobs[1]!], outDir: join(dir, 'm2') })).rejects.toThrow('shards 2 of 0..2 are missing (got 0, 1)')
    await expect(mergeManifests({ dirs: [jobs[0]!, jobs[0]!, jobs[1]!], outDir: join(dir, 'm3') })).rejects.toThrow('shard 0 of 3 appears twice')
    await expect(mergeManifests({ dirs: [whole.outDir], outDir: join(dir, 'm4') })).rejects.toThrow('shard: is null')
    const other = join(dir, 'job-seed')
    await convertDataset({ ...base('job-seed'), outDir: other, seed: 99, shard: { index: 2, count: 3 } })
    await expect(mergeManifests({ dirs: [jobs[0]!, jobs[1]!, other], outDir: join(dir, 'm5') })).rejects.toThrow(/seed: seed differ from .*: 99 vs 7/)
    // A file edited after its job finished is caught by its hash.
    await writeFile(join(jobs[1]!, 'jsonl/val-00001-of-00003.jsonl'), 'tampered\n')
    await expect(mergeManifests({ dirs: jobs, outDir: join(dir, 'm6') })).rejects.toThrow('does not match')
  })

  it('pixcap convert --json runs in-process and prints the manifest', async () => {
    const io = captureIo()
    const out = join(dir, 'cli')
    const code = await main(['convert', PIX2CAP_SAMPLE_JSON, '--to', 'llava', '--out', out, '--format', 'jsonl', '--seed', '3', '--json'], io)
    expect(io.err()).toBe('')
    expect(code).toBe(0)
    const doc = JSON.parse(io.out()) as { ok: boolean; manifest: { counts: { regions: { in: number } }; files: { file: string }[]; seed: number } }
    expect(doc.ok).toBe(true)
    expect(doc.manifest.seed).toBe(3)
    expect(doc.manifest.counts.regions.in).toBe(50)
    expect(doc.manifest.files.map((f) => f.file)).toEqual(['jsonl/val.jsonl', 'rejects.jsonl'])
  })

  it('pixcap convert --shard-index jobs + pixcap merge-manifests, in-process', async () => {
    const jobs = [0, 1].map((i) => join(dir, `cli-job${i}`))
    for (const [i, out] of jobs.entries()) {
      const io = captureIo()
      expect(await main(['convert', PIX2CAP_SAMPLE_JSON, '--to', 'sharegpt', '--out', out, '--format', 'jsonl,parquet', '--shard-index', String(i), '--num-shards', '2'], io)).toBe(0)
      expect(io.out()).toContain(`shard ${i} of 2`)
    }
    const io = captureIo()
    expect(await main(['merge-manifests', ...jobs, '--out', join(dir, 'cli-merged'), '--json'], io)).toBe(0)
    const doc = JSON.parse(io.out()) as { manifest: { counts: { regions: { in: number } }; files: { file: string; kind: string }[] } }
    expect(doc.manifest.counts.regions.in).toBe(50)
    // sharegpt's dataset_info.json is regenerated for the merged corpus: one job's file before, both jobs' folder after.
    const fileName = async (d: string) => (JSON.parse(await readFile(join(d, 'dataset_info.json'), 'utf8')) as { pix2cap_coco_val: { file_name: string } }).pix2cap_coco_val.file_name
    expect(await fileName(jobs[0]!)).toBe('jsonl/val-00000-of-00002.jsonl')
    expect(await fileName(join(dir, 'cli-merged'))).toBe('jsonl')
    const usage = captureIo()
    expect(await main(['merge-manifests', ...jobs], usage)).toBe(2)
    expect(usage.err()).toContain('--out is required')
  })

  it('pixcap convert rejects bad flags with usage errors', async () => {
    const cases: [string[], string][] = [
      [['--to', 'nope', '--out', 'x'], '--to must be one of gpt4roi, densecoco, vgdata, llava, sharegpt, qwen-vl, osprey, vip-llava, got "nope"'],
      [['--to', 'gpt4roi'], '--out is required'],
      [['--to', 'gpt4roi', '--out', 'x', '--format', 'csv'], '--format takes parquet, arrow, jsonl, json (comma-separated), got "csv"'],
      [['--to', 'gpt4roi', '--out', join(dir, 'bad'), '--boxes', 'shikra'], '--to gpt4roi: option boxes: Unrecognized key: "boxes"; gpt4roi takes task, dropSmall224'],
      [['--to', 'llava', '--out', join(dir, 'bad'), '--boxes', 'pixels'], '--boxes takes original-3dp, llava-1.5, shikra'],
      [['--to', 'llava', '--out', join(dir, 'bad'), '--epochs', '0'], '--epochs must be a positive integer, got 0'],
      [['--to', 'vip-llava', '--out', join(dir, 'bad'), '--prompt-shapes', 'rectangle'], '--to vip-llava draws on the images: give --images-dir'],
      [['--to', 'gpt4roi', '--out', 'x', '--shard-index', '1'], '--shard-index and --num-shards go together'],
      [['--to', 'gpt4roi', '--out', join(dir, 'bad'), '--shard-index', '3', '--num-shards', '3'], '--shard-index must be in 0..2, got 3'],
      [['--to', 'densecoco', '--out', join(dir, 'bad'), '--shard-index', '0', '--num-shards', '2'], 'split row formats only'],
    ]
    for (const [args, msg] of cases) {
      const io = captureIo()
      expect(await main(['convert', PIX2CAP_SAMPLE_JSON, ...args], io)).toBe(2)
      expect(io.err()).toContain(msg)
    }
  })
})
