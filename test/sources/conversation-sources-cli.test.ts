// LLaVA-Instruct-150k and VCR through the real CLI (`node bin/pixcap.js`, after `npm run -s build`): stats, validate,
// preview and convert read both; a LLaVA-Instruct corpus mixes with a Pix2Cap-COCO corpus, and the mix loads in
// HF `datasets` as one dataset. Manifests count conversations beside regions, and the counts add up.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { execa } from 'execa'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { convertToCorpus, pixcap, sceneJpeg, writePix2CapSet } from '../helpers/curation-corpus.js'
import { writeLlavaInstructSet, writeVcrSet } from '../helpers/conversation-sources.js'
import { HAS_PYTHON, PYTHON } from '../helpers/fixtures.js'
import { useTempDir } from '../helpers/temp-dir.js'

let dir = ''
useTempDir('pixcap-conv-cli-', (d) => (dir = d))

type Counts = { regions: { in: number; inSamples: number; rejected: number }; conversations?: { in: number; inSamples: number; rejected: number }; rejectedByReason: Record<string, number>; samples: number }
const ok = (r: { exitCode?: number; stdout: string; stderr: string }): Record<string, unknown> => {
  if (r.exitCode !== 0) throw new Error(`exit ${r.exitCode}\n${r.stdout}\n${r.stderr}`)
  return JSON.parse(r.stdout) as Record<string, unknown>
}
const jsonl = async (file: string): Promise<Record<string, unknown>[]> => (await readFile(file, 'utf8')).split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>)
const countsOf = (r: Record<string, unknown>): Counts => (r.manifest as { counts: Counts }).counts

describe('llava-instruct through the CLI', () => {
  it('stats, validate, preview and convert read it; bad items stop convert until --reject-invalid counts them', async () => {
    const set = await writeLlavaInstructSet(dir)
    const stats = ok(await pixcap(['stats', set.json, '--images-dir', set.imagesDir, '--json']))
    expect(stats).toMatchObject({ source: 'llava-instruct', conversations: 3, conversationRegions: 0, stats: { regions: 0 }, filter: { counts: { conversationsIn: 7, conversationsRejected: 4 } } })

    const validate = await pixcap(['validate', set.json, '--images-dir', set.imagesDir, '--json'])
    expect(validate.exitCode).toBe(1)
    expect(JSON.parse(validate.stdout)).toMatchObject({ ok: false, source: 'llava-instruct', errors: 4, issuesByKind: { invalid_item: 3, missing_image: 1 } })

    const preview = ok(await pixcap(['preview', set.json, '--images-dir', set.imagesDir, '--out', join(dir, 'prev'), '--json']))
    expect(preview.files).toEqual([join(dir, 'prev', '000000033471.png'), join(dir, 'prev', '000000052846.png')])
    expect((await sharp(join(dir, 'prev', '000000033471.png')).metadata()).format).toBe('png')

    const noImages = await pixcap(['convert', set.json, '--to', 'gpt4roi', '--out', join(dir, 'c0'), '--json'])
    expect(noImages.exitCode).toBe(2)
    expect(JSON.parse(noImages.stdout).error.message).toContain('--images-dir is needed by the llava-instruct source')
    const stopped = await pixcap(['convert', set.json, '--to', 'gpt4roi', '--images-dir', set.imagesDir, '--out', join(dir, 'c1'), '--json'])
    expect(stopped.exitCode).toBe(1)
    expect(JSON.parse(stopped.stdout).error.message).toContain('[3].conversations[0].value: the first turn holds 0 "<image>" tokens')

    const out = join(dir, 'c2')
    const conv = ok(await pixcap(['convert', set.json, '--to', 'llava', '--images-dir', set.imagesDir, '--out', out, '--format', 'jsonl', '--reject-invalid', '--json']))
    expect(countsOf(conv)).toMatchObject({ regions: { in: 0, inSamples: 0, rejected: 0 }, conversations: { in: 7, inSamples: 3, rejected: 4 }, rejectedByReason: { invalid: 3, no_image: 1 }, samples: 3 })
    const rows = await jsonl(join(out, 'jsonl/train.jsonl'))
    const items = set.items as { id: string; image: string; conversations: unknown }[]
    expect(rows).toEqual(items.slice(0, 3).map((i) => ({ id: i.id, image: i.image, conversations: i.conversations })))
    const rejects = await jsonl(join(out, 'rejects.jsonl'))
    expect(rejects.map((r) => [r.conversationId, r.reason])).toEqual([['000000000001', 'invalid'], ['000000000002', 'invalid'], ['000000000003', 'no_image'], ['000000000004', 'invalid']])

    // Cluster jobs split the items by image; merge-manifests sums the conversation counts.
    for (const i of [0, 1]) ok(await pixcap(['convert', set.json, '--to', 'gpt4roi', '--images-dir', set.imagesDir, '--reject-invalid', '--shard-index', String(i), '--num-shards', '2', '--out', join(dir, `job${i}`), '--json']))
    const merged = ok(await pixcap(['merge-manifests', join(dir, 'job0'), join(dir, 'job1'), '--out', join(dir, 'merged'), '--json']))
    expect((merged.manifest as { counts: Counts }).counts).toMatchObject({ conversations: { in: 7, inSamples: 3, rejected: 4 }, samples: 3 })
    ok(await pixcap(['card', join(dir, 'merged'), '--json']))
    expect(await readFile(join(dir, 'merged', 'README.md'), 'utf8')).toContain('; 7 image-level conversations in, 3 in samples and 4 rejected (invalid 3, no_image 1;')

    // A document format has no row for a conversation: each is a counted reject, and the manifest still adds up.
    const doc = ok(await pixcap(['convert', set.json, '--to', 'densecoco', '--images-dir', set.imagesDir, '--out', join(dir, 'c3'), '--reject-invalid', '--json']))
    expect(countsOf(doc)).toMatchObject({ conversations: { in: 7, inSamples: 0, rejected: 7 }, rejectedByReason: { unsupported_by_format: 3, invalid: 3, no_image: 1 } })
  }, 60_000)
})

describe('vcr through the CLI', () => {
  it('stats, validate, preview and convert (gpt4roi, sharegpt) read it as GPT4RoI does', async () => {
    const set = await writeVcrSet(dir)
    const stats = ok(await pixcap(['stats', set.jsonl, '--json']))
    expect(stats).toMatchObject({ source: 'vcr', conversations: 6, conversationRegions: 13 })
    const validate = await pixcap(['validate', set.jsonl, '--json'])
    expect(validate.exitCode).toBe(1)
    expect(JSON.parse(validate.stdout)).toMatchObject({ source: 'vcr', errors: 2, issuesByKind: { invalid_annotation: 1, missing_metadata: 1 } })
    const preview = ok(await pixcap(['preview', set.jsonl, '--images-dir', set.imagesDir, '--out', join(dir, 'prev'), '--json']))
    expect(preview.files).toEqual(['train-0', 'train-1', 'train-4', 'train-5'].map((id) => join(dir, 'prev', `${id}.png`)))

    const out = join(dir, 'g')
    const conv = ok(await pixcap(['convert', set.jsonl, '--to', 'gpt4roi', '--out', out, '--format', 'parquet,jsonl', '--reject-invalid', '--json']))
    // Lines 0, 1: the vcr conversation; lines 4, 5: also single_vcr / multi_vcr's; lines 2, 3: rejects.
    expect(countsOf(conv)).toMatchObject({ conversations: { in: 8, inSamples: 6, rejected: 2 }, rejectedByReason: { invalid: 1, no_image: 1 }, samples: 6 })
    const rows = (await jsonl(join(out, 'jsonl/train.jsonl'))) as { id: string; boxes: number[][]; conversations: { value: string }[] }[]
    expect(rows.map((r) => r.id)).toEqual(['train-0', 'train-1', 'train-4', 'train-4:single', 'train-5', 'train-5:multi'])
    for (const r of rows) expect(r.conversations.map((t) => t.value).join('').split('<bbox>').length - 1).toBe(r.boxes.length)
    expect(rows[0]!.boxes[0]).toEqual([10 / 320, 20 / 240, 110 / 320, 200 / 240])
    expect(rows[0]!.conversations[0]!.value.startsWith('The <image> provides an overview of the picture.\n')).toBe(true)

    const sg = ok(await pixcap(['convert', set.jsonl, '--to', 'sharegpt', '--out', join(dir, 's'), '--format', 'jsonl', '--reject-invalid', '--json']))
    expect(countsOf(sg).conversations).toEqual({ in: 8, inSamples: 6, rejected: 2 })
    const [first] = (await jsonl(join(dir, 's', 'jsonl/train.jsonl'))) as { messages: { content: string }[] }[]
    expect(first!.messages[0]!.content).toMatch(/^<image>\n.*region1 \[0\.031,0\.083,0\.344,0\.833\]/)
  }, 60_000)
})

describe('mix of a LLaVA-Instruct corpus with a Pix2Cap-COCO corpus', () => {
  it('mixes through the CLI with counts that add up, and the mix loads in datasets', async () => {
    const llava = await writeLlavaInstructSet(dir)
    const p2c = await writePix2CapSet(join(dir, 'p2c'), [
      { id: 7, photo: await sceneJpeg(7), regions: [{ bbox: [10, 10, 60, 40], caption: 'a blue car parked near the road' }, { bbox: [100, 100, 40, 40], caption: 'a small green tree' }] },
      { id: 8, photo: await sceneJpeg(8), regions: [{ bbox: [20, 30, 50, 50], caption: 'a yellow sign on a pole' }] },
    ])
    await convertToCorpus(p2c.json, join(dir, 'p2c-corpus'))
    await convertToCorpus(llava.json, join(dir, 'llava-corpus'), ['--images-dir', llava.imagesDir, '--reject-invalid'])
    const mixed = join(dir, 'mix')
    const r = ok(await pixcap(['mix', '--part', `${join(dir, 'p2c-corpus')}:1`, '--part', `${join(dir, 'llava-corpus')}:1`, '--seed', '3', '--out', mixed, '--json']))
    const parts = r.parts as { rows: { in: number; out: number; dropped: number; repeated: number } }[]
    expect(parts.map((p) => p.rows.in)).toEqual([2, 3])
    const manifest = JSON.parse(await readFile(join(mixed, 'manifest.json'), 'utf8')) as { counts: Counts }
    expect(manifest.counts.regions.in).toBe(manifest.counts.regions.inSamples + manifest.counts.regions.rejected)
    const rows = await jsonl(join(mixed, 'jsonl/train.jsonl'))
    expect(new Set(rows.map((x) => x.source))).toEqual(new Set(['pix2cap-coco', 'llava-instruct']))
    if (!HAS_PYTHON) return
    const code = `import datasets, json
d = datasets.load_dataset("parquet", data_files="${mixed}/data/train-*.parquet", split="train")
llava = [x for x in d if x["source"] == "llava-instruct"]
print(json.dumps({"rows": d.num_rows, "sources": sorted(set(d["source"])), "llava_boxes": [len(x["boxes"]) for x in llava], "first": llava[0]["conversations"][0]["value"] if llava else None}))`
    const py = await execa(PYTHON, ['-c', code], { env: { HF_DATASETS_CACHE: join(dir, 'hf-cache'), HF_HUB_OFFLINE: '1' } })
    const got = JSON.parse(py.stdout.trim().split('\n').pop()!) as { rows: number; sources: string[]; llava_boxes: number[]; first: string }
    expect(got.rows).toBe(rows.length)
    expect(got.sources).toEqual(['llava-instruct', 'pix2cap-coco'])
    expect(got.llava_boxes.every((n) => n === 0)).toBe(true)
    expect(got.first).toMatch(/^The <image> provides an overview of the picture\.\n/)
  }, 120_000)
})
