// The source seam through the real CLI: a COCO-style region-caption file (GPT4RoI's VG train.json shape) goes through
// stats, validate, convert (detected and named with --from) and eval vg-prepare as child processes.
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { execa } from 'execa'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../helpers/fixtures.js'
import { useTempDir } from '../helpers/temp-dir.js'

let dir: string
useTempDir('pixcap-sources-cli-', (d) => (dir = d))

const BIN = join(REPO_ROOT, 'bin/pixcap.js')
const pixcap = (args: string[]) => execa('node', [BIN, ...args], { cwd: dir, reject: false })

const vgTrain = {
  images: [{ id: 2345, file_name: 'VG_100K/2345.jpg', width: 40, height: 20 }, { id: 2346, file_name: 'VG_100K/2346.jpg', width: 30, height: 30 }],
  annotations: [
    { id: 1, image_id: 2345, bbox: [4, 2, 8, 6], caption: 'a small brown dog' },
    { id: 2, image_id: 2345, bbox: [20, 10, 10, 5], caption: 'a red ball on the grass' },
    { id: 3, image_id: 2346, bbox: [0, 0, 15, 15], caption: 'ok' },
    { id: 4, image_id: 777, bbox: [0, 0, 1, 1], caption: 'an image that is not listed' },
  ],
}

describe('sources through the CLI', () => {
  it('stats, convert and vg-prepare read the same COCO region-caption file; nothing is lost', async () => {
    const file = join(dir, 'vg_train.json')
    await writeFile(file, JSON.stringify(vgTrain))
    const stats = await pixcap(['stats', file, '--json'])
    expect(stats.exitCode).toBe(0)
    expect(JSON.parse(stats.stdout)).toMatchObject({ source: 'coco-region-captions', split: 'train', stats: { images: 2, regions: 3 }, reader: { errors: 1, droppedSegments: 1 } })

    const validate = await pixcap(['validate', file, '--json'])
    expect(validate.exitCode).toBe(1)
    expect(JSON.parse(validate.stdout)).toMatchObject({ ok: false, source: 'coco-region-captions', issuesByKind: { annotation_without_image: 1 } })

    // Input errors stop a conversion unless --reject-invalid counts them as rejects.
    const stopped = await pixcap(['convert', file, '--to', 'gpt4roi', '--out', 'c0', '--json'])
    expect(stopped.exitCode).toBe(1)
    expect(JSON.parse(stopped.stdout).error.message).toContain('annotations[3].image_id: image_id 777 has no entry in images')
    const out = join(dir, 'c1')
    const conv = await pixcap(['convert', file, '--to', 'gpt4roi', '--out', out, '--format', 'jsonl', '--reject-invalid', '--json'])
    expect(conv.exitCode, conv.stderr).toBe(0)
    const result = JSON.parse(conv.stdout)
    expect(result.reader).toMatchObject({ source: 'coco-region-captions', errors: 1 })
    expect(result.manifest.options.source).toBe('coco-region-captions')
    expect(result.manifest.counts).toMatchObject({ regions: { in: 4, kept: 2, rejected: 2 }, rejectedByReason: { no_image: 1, short_caption: 1 } })
    const rows = (await readFile(join(out, 'jsonl/train.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l))
    expect(rows.map((r) => r.image)).toEqual(['VG_100K/2345.jpg'])
    expect(JSON.stringify(rows[0].conversations)).toContain('a small brown dog')

    // --from names the source; a wrong name or a source without masks given --panoptic-dir is a usage error.
    const named = await pixcap(['convert', file, '--from', 'coco-region-captions', '--to', 'gpt4roi', '--out', 'c2', '--reject-invalid', '--json'])
    expect(named.exitCode).toBe(0)
    const bad = await pixcap(['convert', file, '--from', 'vg', '--to', 'gpt4roi', '--out', 'c3', '--json'])
    expect(bad.exitCode).toBe(2)
    expect(JSON.parse(bad.stdout).error.message).toBe('--from must be one of pix2cap-coco, coco-region-captions, visual-genome, mdetr-grounding, coco-instances, llava-instruct, vcr, got "vg"')
    const masks = await pixcap(['convert', file, '--to', 'gpt4roi', '--out', 'c4', '--panoptic-dir', dir, '--json'])
    expect(masks.exitCode).toBe(2)
    expect(JSON.parse(masks.stdout).error.message).toBe('--panoptic-dir: source coco-region-captions has no panoptic masks to check or read')
    const wrong = await pixcap(['convert', file, '--from', 'pix2cap-coco', '--to', 'gpt4roi', '--out', 'c5', '--json'])
    expect(wrong.exitCode).toBe(1)

    const prep = await pixcap(['eval', 'vg-prepare', '--annotations', file, '--out', join(dir, 'q/questions.jsonl'), '--json'])
    expect(prep.exitCode, prep.stderr).toBe(0)
    expect(JSON.parse(prep.stdout)).toMatchObject({ layout: 'grit', questions: 3, unusedAnnotations: 1 })
  })
})
