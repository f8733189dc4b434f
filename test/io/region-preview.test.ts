import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { previewColor, regionOverlaySvg } from '../../src/dataset/preview-svg.js'
import { renderRegionPreview } from '../../src/io/region-preview.js'
import type { ImageRecord } from '../../src/records/region-record.js'
import { HAS_SHARED, IMAGES_SAMPLE_DIR, PANOPTIC_SAMPLE_DIR, PIX2CAP_SAMPLE_JSON } from '../helpers/fixtures.js'

describe('region overlay svg', () => {
  it('draws one box and one escaped label per region', () => {
    const svg = regionOverlaySvg(100, 50, [
      { bbox: [10, 20, 30, 10], category: 'person', isCrowd: false },
      { bbox: [0, 0, 5, 5], category: 'a<b', isCrowd: true },
    ])
    expect(svg.match(/<rect /g)).toHaveLength(2)
    expect(svg).toContain('>1 person<')
    expect(svg).toContain('>2 a&lt;b (crowd)<')
    expect(svg).toContain('stroke-dasharray') // crowd drawn dashed
  })
})

describe.skipIf(!HAS_SHARED)('region preview on the panoptic fixture', () => {
  it('tints each segment with its colour and keeps the image size', async () => {
    const json = JSON.parse(await readFile(PIX2CAP_SAMPLE_JSON, 'utf8'))
    const ann = json.annotations[0]
    const img = json.images.find((i: { id: number }) => i.id === ann.image_id)
    const record: ImageRecord = {
      source: 'test', split: 'val', imageId: img.id, imagePath: img.file_name, maskPath: ann.file_name, width: img.width, height: img.height,
      regions: ann.segments_info.map((s: { id: number; category_id: number; bbox: [number, number, number, number]; area: number; iscrowd: number }) => ({
        regionId: `${img.id}:${s.id}`, segmentId: s.id, categoryId: s.category_id, category: String(s.category_id), isThing: true,
        isCrowd: s.iscrowd === 1, bbox: s.bbox, area: s.area, captions: [],
      })),
    }
    const png = await renderRegionPreview({ image: record, imagesDir: IMAGES_SAMPLE_DIR, panopticDir: PANOPTIC_SAMPLE_DIR, maskAlpha: 1 })
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true })
    expect([info.width, info.height]).toEqual([img.width, img.height])
    // With alpha 1 the centre pixel of a large segment is exactly that segment's colour.
    const mask = await sharp(join(PANOPTIC_SAMPLE_DIR, ann.file_name)).raw().toBuffer({ resolveWithObject: true })
    const k = record.regions.findIndex((r) => r.area > 20000 && !r.isCrowd)
    const seg = record.regions[k]!
    let hit = -1
    for (let i = 0; i < mask.info.width * mask.info.height; i++) {
      const id = mask.data[i * 3]! + (mask.data[i * 3 + 1]! << 8) + (mask.data[i * 3 + 2]! << 16)
      const x = i % mask.info.width
      if (id === seg.segmentId && x > seg.bbox[0] + 5 && x < seg.bbox[0] + seg.bbox[2] - 5) { hit = i; break }
    }
    expect(hit).toBeGreaterThanOrEqual(0)
    expect([...data.subarray(hit * info.channels, hit * info.channels + 3)]).toEqual(previewColor(k))
  })
})

describe('pixcap preview on the bundled sample', () => {
  it('writes one PNG per image, sized like the photo', async () => {
    const { main } = await import('../../src/cli/main.js')
    const { captureIo } = await import('../helpers/io.js')
    const { BUNDLED_SAMPLE_DIR } = await import('../helpers/fixtures.js')
    const { mkdtemp } = await import('node:fs/promises')
    const { tmpdir } = await import('node:os')
    const out = await mkdtemp(join(tmpdir(), 'pixcap-preview-'))
    const io = captureIo()
    const rc = await main(['preview', join(BUNDLED_SAMPLE_DIR, 'pix2cap_sample_train.json'), '--images-dir', join(BUNDLED_SAMPLE_DIR, 'images'),
      '--panoptic-dir', join(BUNDLED_SAMPLE_DIR, 'panoptic'), '--image-id', '2', '--image-id', '5', '--out', out, '--json'], io)
    expect(io.err()).toBe('')
    expect(rc).toBe(0)
    const { files } = JSON.parse(io.out()) as { files: string[] }
    expect(files.map((f) => f.slice(out.length + 1))).toEqual(['2.png', '5.png'])
    const meta = await sharp(files[0]!).metadata()
    expect([meta.width, meta.height, meta.format]).toEqual([192, 144, 'png'])
  })
})
