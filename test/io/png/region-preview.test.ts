import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { LEGEND_MIN_WIDTH, legendLine, placeLabel, previewColor, previewLayout, regionOverlaySvg } from '../../../src/io/png/preview-svg.js'
import { renderRegionPreview } from '../../../src/io/png/region-preview.js'
import type { ImageRecord } from '../../../src/records/region-record.js'
import { HAS_SHARED, IMAGES_SAMPLE_DIR, PANOPTIC_SAMPLE_DIR, PIX2CAP_SAMPLE_JSON } from '../../helpers/fixtures.js'

describe('region overlay svg', () => {
  it('draws one box and one escaped label per region', () => {
    const svg = regionOverlaySvg(100, 50, [
      { bbox: [10, 20, 30, 10], category: 'person', isCrowd: false },
      { bbox: [0, 0, 5, 5], category: 'a<b', isCrowd: true },
    ])
    // A box and a label background per region.
    expect(svg.match(/<rect /g)).toHaveLength(4)
    expect(svg.match(/<rect class="label"/g)).toHaveLength(2)
    expect(svg).toContain('>1 person<')
    expect(svg).toContain('>2 a&lt;b (crowd)<')
    expect(svg).toContain('stroke-dasharray') // crowd drawn dashed
  })
})

describe('preview legibility', () => {
  it.each([
    { name: 'above the box when there is room', bbox: [50, 40, 10, 10], want: { x: 50, y: 20 } },
    { name: 'inside the top edge at the top of the image', bbox: [50, 5, 10, 10], want: { x: 50, y: 5 } },
    { name: 'pulled left at the right edge', bbox: [95, 40, 5, 5], want: { x: 70, y: 20 } },
    { name: 'pulled up at the bottom edge', bbox: [0, 99, 1, 1], want: { x: 0, y: 79 } },
  ])('placeLabel: $name', ({ bbox, want }) => {
    expect(placeLabel(bbox, 30, 20, 100, 100)).toEqual(want)
  })

  it('every label of a crowded image lies inside the image and no two labels overlap', () => {
    const regions = Array.from({ length: 8 }, (_, k) => ({ bbox: [90, 0, 10, 10 + k] as [number, number, number, number], category: `category${k}`, isCrowd: false }))
    const svg = regionOverlaySvg(120, 200, regions)
    const boxes = [...svg.matchAll(/<rect class="label" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/g)].map((m) => m.slice(1).map(Number) as [number, number, number, number])
    expect(boxes).toHaveLength(8)
    for (const [x, y, w, h] of boxes) {
      expect(x).toBeGreaterThanOrEqual(0)
      expect(y).toBeGreaterThanOrEqual(0)
      expect(x + w).toBeLessThanOrEqual(120)
      expect(y + h).toBeLessThanOrEqual(200)
    }
    for (let i = 0; i < boxes.length; i++) {
      for (let j = 0; j < i; j++) {
        const [ax, ay, aw, ah] = boxes[i]!
        const [bx, by, bw, bh] = boxes[j]!
        expect(ax < bx + bw && bx < ax + aw && ay < by + bh && by < ay + ah, `labels ${i} and ${j} overlap`).toBe(false)
      }
    }
  })

  it('the legend maps each number to its category and first caption, cut with an ellipsis', () => {
    expect(legendLine({ category: 'dog', captions: ['a brown dog', 'other'] }, 2, 80)).toBe('3 dog: a brown dog')
    expect(legendLine({ category: 'dog', captions: ['a brown dog on a sofa'] }, 0, 14)).toBe('1 dog: a brow…')
    expect(legendLine({ category: 'sky', captions: [] }, 0, 80)).toBe('1 sky: (no caption)')
    const layout = previewLayout(200, 100, [
      { bbox: [0, 0, 5, 5], category: 'cat', isCrowd: false, captions: ['a <small> cat'] },
      { bbox: [9, 9, 5, 5], category: 'mat', isCrowd: false, captions: ['a mat'] },
    ])
    expect(layout.width).toBe(LEGEND_MIN_WIDTH)
    expect(layout.height).toBeGreaterThan(100)
    expect(layout.svg).toContain('>1 cat: a &lt;small&gt; cat<')
    expect(layout.svg).toContain('>2 mat: a mat<')
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
    // The photo at the top left; the legend adds rows below (the fixture is 640 wide: no extra width).
    expect(info.width).toBe(Math.max(img.width, LEGEND_MIN_WIDTH))
    expect(info.height).toBeGreaterThan(img.height)
    // With alpha 1 the centre pixel of a large segment is exactly that segment's colour.
    const mask = await sharp(join(PANOPTIC_SAMPLE_DIR, ann.file_name)).raw().toBuffer({ resolveWithObject: true })
    const k = record.regions.findIndex((r) => r.area > 20000 && !r.isCrowd)
    const seg = record.regions[k]!
    let hit = -1
    for (let i = 0; i < mask.info.width * mask.info.height; i++) {
      const id = mask.data[i * 3]! + (mask.data[i * 3 + 1]! << 8) + (mask.data[i * 3 + 2]! << 16)
      const x = i % mask.info.width
      const y = Math.floor(i / mask.info.width)
      // Below the middle of the box: labels sit at the top of boxes.
      if (id === seg.segmentId && y > seg.bbox[1] + seg.bbox[3] / 2 && x > seg.bbox[0] + 5 && x < seg.bbox[0] + seg.bbox[2] - 5) { hit = i; break }
    }
    expect(hit).toBeGreaterThanOrEqual(0)
    expect([...data.subarray(hit * info.channels, hit * info.channels + 3)]).toEqual(previewColor(k))
  })
})

describe('pixcap preview on the bundled sample', () => {
  it('writes one PNG per image, the photo on top of its legend, and counts progress to the images drawn', async () => {
    const { main } = await import('../../../src/cli/main.js')
    const { captureIo } = await import('../../helpers/io.js')
    const { BUNDLED_SAMPLE_DIR } = await import('../../helpers/fixtures.js')
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
    expect([meta.width, meta.format]).toEqual([LEGEND_MIN_WIDTH, 'png'])
    expect(meta.height).toBeGreaterThan(144)
    // The photo's pixels are unchanged at the top left; right of it (the legend's extra width) is white.
    const { data, info } = await sharp(files[0]!).raw().toBuffer({ resolveWithObject: true })
    const right = (60 * info.width + 400) * info.channels
    expect([...data.subarray(right, right + 3)]).toEqual([255, 255, 255])

    const { previewImages } = await import('../../../src/dataset/preview-images.js')
    const events: { done: number; total?: number }[] = []
    const limited = await previewImages({ annotations: join(BUNDLED_SAMPLE_DIR, 'pix2cap_sample_train.json'), imagesDir: join(BUNDLED_SAMPLE_DIR, 'images'),
      out, imageIds: ['3', '4', 'not-an-id'], onProgress: (e) => events.push(e) })
    expect(limited.files).toHaveLength(2)
    expect(events.map((e) => [e.done, e.total])).toEqual([[1, 2], [2, 2]])
  })
})
