// densecoco and vgdata: streamed COCO-shaped documents.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execa } from 'execa'
import { afterAll, describe, expect, it } from 'vitest'
import { densecoco } from '../../src/formats/densecoco.js'
import type { FormatContext } from '../../src/formats/target-format.js'
import { vgdata } from '../../src/formats/vgdata.js'
import { loadTemplates } from '../../src/instruct/load-templates.js'
import type { ImageRecord, RegionRecord } from '../../src/records/region-record.js'
import { HAS_PYTHON, HAS_SHARED, PYTHON } from '../helpers/fixtures.js'
import { readFilteredSampleImages } from '../helpers/pix2cap-images.js'

const templates = (await loadTemplates()).templates
const { images } = await readFilteredSampleImages()
const ctx = (options: Record<string, unknown> = {}): FormatContext => ({ seed: 5, templates, maxRegions: 15, split: 'val', options })
const dir = await mkdtemp(join(tmpdir(), 'pixcap-docs-'))
afterAll(() => rm(dir, { recursive: true, force: true }))

async function* stream<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items
}

function region(id: number, over: Partial<RegionRecord> = {}): RegionRecord {
  return { regionId: `9:${id}`, segmentId: id, categoryId: 184, category: 'tree-merged', isThing: false, isCrowd: false, bbox: [0, 0, 50, 50], area: 2500, captions: [`region ${id}`], ...over }
}
function image(id: number, regions: RegionRecord[], size: [number, number] = [100, 100]): ImageRecord {
  return { source: 'test', split: 'val', imageId: id, imagePath: `${id}.jpg`, width: size[0], height: size[1], regions }
}

describe.skipIf(!HAS_SHARED)('densecoco on the filtered Pix2Cap sample', () => {
  it('annotations are in the same order as images, with only kept segments and one description each', async () => {
    // Feed the images in reverse order: the file must follow the stream, both lists alike.
    const input = [...images].reverse()
    const dest = join(dir, 'densecoco/val.json')
    const result = await densecoco.write(stream(input), ctx(), dest)
    const doc = JSON.parse(await readFile(dest, 'utf8'))
    expect(result).toEqual({ images: 2, regions: 45, rejects: [] })
    expect(doc.images.map((i: any) => i.id)).toEqual([439180, 142238])
    expect(doc.annotations.map((a: any) => a.image_id)).toEqual(doc.images.map((i: any) => i.id))
    doc.annotations.forEach((ann: any, i: number) => {
      const im = input[i]!
      expect(ann.file_name).toBe(im.maskPath)
      expect(ann.segments_info.map((s: any) => s.id)).toEqual(im.regions.map((r) => r.segmentId))
      ann.segments_info.forEach((s: any, k: number) => {
        const r = im.regions[k]!
        expect(typeof s.description).toBe('string')
        expect(r.captions).toContain(s.description)
        expect(s.bbox).toEqual(r.bbox)
        expect(s.iscrowd).toBe(0)
      })
    })
    expect(doc.categories).toEqual([
      { id: 1, name: 'person', isthing: 1 },
      { id: 8, name: 'truck', isthing: 1 },
      { id: 19, name: 'horse', isthing: 1 },
      { id: 37, name: 'sports ball', isthing: 1 },
      { id: 125, name: 'gravel', isthing: 0 },
      { id: 184, name: 'tree-merged', isthing: 0 },
      { id: 187, name: 'sky-other-merged', isthing: 0 },
      { id: 193, name: 'grass-merged', isthing: 0 },
    ])
    expect((await readdir(join(dir, 'densecoco'))).sort()).toEqual(['val.json']) // no side or temp files left
  })

  it.skipIf(!HAS_PYTHON)('pairs images and annotations by position the way the DENSECOCO loader does', async () => {
    const dest = join(dir, 'densecoco/val.json')
    await densecoco.write(stream(images), ctx(), dest)
    // mmdet COCOPanoptic.createIndex: for ann, img_info in zip(annotations, images): ann['file_name'] names its PNG.
    const script = [
      'import json, sys',
      'd = json.load(open(sys.argv[1]))',
      'pairs = list(zip(d["annotations"], d["images"]))',
      'assert all(a["image_id"] == i["id"] for a, i in pairs), "misaligned"',
      'assert all(a["file_name"] == i["file_name"].replace("jpg", "png") for a, i in pairs)',
      'print(sum(len(a["segments_info"]) for a, _ in pairs))',
    ].join('\n')
    const { stdout } = await execa(PYTHON, ['-c', script, dest])
    expect(stdout.trim()).toBe('45')
  })
})

describe('densecoco rules', () => {
  it("drops images the loader's _filter_imgs would drop, as image_rule rejects", async () => {
    const stuffOnly = image(1, [region(1), region(2)])
    const tiny = image(2, [region(3, { isThing: true, categoryId: 1, category: 'person', bbox: [0, 0, 10, 10] })], [31, 200])
    const ok = image(3, [region(4, { isThing: true, categoryId: 1, category: 'person' }), region(5, { captions: ['x', 'y'] })])
    const dest = join(dir, 'rules/densecoco.json')
    const result = await densecoco.write(stream([stuffOnly, tiny, ok]), ctx({ dropSmall224: false }), dest)
    expect(result.images).toBe(1)
    expect(result.regions).toBe(2)
    expect(result.rejects.map((r) => [r.regionId, r.reason])).toEqual([
      ['9:1', 'image_rule'],
      ['9:2', 'image_rule'],
      ['9:3', 'image_rule'],
    ])
    expect(result.rejects[2]?.detail).toBe('image is 31x200; DENSECOCO drops images whose shorter side is < 32')
    const doc = JSON.parse(await readFile(dest, 'utf8'))
    expect(doc.images.map((i: any) => i.id)).toEqual([3])
    expect(doc.annotations[0].file_name).toBe('3.png')
  })

  it('leaves no file and no temp file when the stream fails', async () => {
    async function* failing(): AsyncGenerator<ImageRecord> {
      yield image(4, [region(6, { isThing: true })])
      throw new Error('reader broke')
    }
    const sub = join(dir, 'failing')
    await expect(densecoco.write(failing(), ctx(), join(sub, 'val.json'))).rejects.toThrow('reader broke')
    expect(await readdir(sub)).toEqual([])
  })
})

describe.skipIf(!HAS_SHARED)('vgdata on the filtered Pix2Cap sample', () => {
  it('one object category, unique annotation ids, a caption per annotation', async () => {
    const dest = join(dir, 'vgdata/val.json')
    const result = await vgdata.write(stream(images), ctx(), dest)
    expect(result).toEqual({ images: 2, regions: 45, rejects: [] })
    const doc = JSON.parse(await readFile(dest, 'utf8'))
    expect(doc.categories).toEqual([{ id: 1, name: 'object' }])
    const ids = doc.annotations.map((a: any) => a.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).toEqual(Array.from({ length: 45 }, (_, i) => i + 1))
    const regions = images.flatMap((im) => im.regions.map((r) => ({ im, r })))
    doc.annotations.forEach((a: any, i: number) => {
      const { im, r } = regions[i]!
      expect(a).toEqual({ id: i + 1, image_id: im.imageId, bbox: r.bbox, area: r.area, category_id: 1, caption: expect.any(String), iscrowd: 0 })
      expect(r.captions).toContain(a.caption)
    })
  })

  it.skipIf(!HAS_PYTHON)('loads with pycocotools COCO, as the VGDATA loader does', async () => {
    const dest = join(dir, 'vgdata/val.json')
    await vgdata.write(stream(images), ctx(), dest)
    const script = [
      'import sys, json, contextlib, io',
      'from pycocotools.coco import COCO',
      'with contextlib.redirect_stdout(io.StringIO()):',
      '    c = COCO(sys.argv[1])',
      'print(json.dumps({"imgs": sorted(c.getImgIds()), "anns": len(c.getAnnIds()), "cats": c.getCatIds(),',
      '  "per_img": [len(c.getAnnIds(imgIds=[i])) for i in sorted(c.getImgIds())]}))',
    ].join('\n')
    const { stdout } = await execa(PYTHON, ['-c', script, dest])
    expect(JSON.parse(stdout)).toEqual({ imgs: [142238, 439180], anns: 45, cats: [1], per_img: [16, 29] })
  })
})
