import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { convertDataset } from '../../src/convert/convert-dataset.js'
import { RejectRecord } from '../../src/records/reject.js'
import { BUNDLED_SAMPLE_DIR } from '../helpers/fixtures.js'
import { useTempDir } from '../helpers/temp-dir.js'

const Doc = z.looseObject({
  annotations: z.array(z.looseObject({ image_id: z.number(), segments_info: z.array(z.looseObject({ id: z.number(), bbox: z.array(z.number()), iscrowd: z.number() })) })),
})

let dir: string
useTempDir('pixcap-masks-', (d) => (dir = d))

describe('convert --verify-masks', () => {
  it('rejects regions whose box the panoptic PNG contradicts, and keeps the accounting exact', async () => {
    const raw: unknown = JSON.parse(await readFile(join(BUNDLED_SAMPLE_DIR, 'pix2cap_sample_train.json'), 'utf8'))
    const doc = Doc.parse(raw)
    const ann = doc.annotations[0]!
    const seg = ann.segments_info.find((s) => s.iscrowd === 0)!
    seg.bbox = [seg.bbox[0]! + 1, seg.bbox[1]!, seg.bbox[2]!, seg.bbox[3]!]
    const annotations = join(dir, 'pix2cap_moved_train.json')
    await writeFile(annotations, JSON.stringify(doc)) // zod returns a copy: write the edited one
    const common = { annotations, panopticDir: join(BUNDLED_SAMPLE_DIR, 'panoptic'), to: 'gpt4roi' as const, formats: ['jsonl' as const] }

    const plain = await convertDataset({ ...common, outDir: join(dir, 'plain'), verifyMasks: false })
    const checked = await convertDataset({ ...common, outDir: join(dir, 'checked') }) // on by default with panopticDir
    expect(plain.manifest.counts.rejectedByReason.mask_mismatch).toBeUndefined()
    expect(checked.manifest.counts.rejectedByReason.mask_mismatch).toBe(1)
    expect(checked.manifest.counts.regions.inSamples).toBe(plain.manifest.counts.regions.inSamples - 1)
    const rejects = (await readFile(join(dir, 'checked/rejects.jsonl'), 'utf8')).trimEnd().split('\n').map((l) => RejectRecord.parse(JSON.parse(l)))
    const hit = rejects.find((r) => r.reason === 'mask_mismatch')!
    expect(hit.regionId).toBe(`${ann.image_id}:${seg.id}`)
    expect(hit.detail).toContain('bbox')
    await expect(convertDataset({ ...common, panopticDir: undefined, outDir: join(dir, 'x'), verifyMasks: true })).rejects.toThrow('verifyMasks needs panopticDir')
  })
})
