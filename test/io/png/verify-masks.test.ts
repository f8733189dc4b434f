import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { ProgressEvent } from '../../../src/cli/progress.js'
import { rleArea, rleFromIds } from '../../../src/geometry/coco-rle.js'
import { decodePanopticPng, encodePanopticPng } from '../../../src/io/png/panoptic-png.js'
import { verifyMasks, type MaskCheck } from '../../../src/io/png/verify-masks.js'
import type { ImageRecord } from '../../../src/records/region-record.js'
import { BUNDLED_SAMPLE_DIR, COCO_SAMPLE_DIR, HAS_SHARED, PANOPTIC_SAMPLE_DIR, PIX2CAP_SAMPLE_JSON } from '../../helpers/fixtures.js'
import { minimalImageRecords, minimalPix2Cap, MinimalSegment } from '../../helpers/minimal-pix2cap.js'

const Sample = minimalPix2Cap(MinimalSegment)

/** The fixture as canonical records (a minimal mapping here; the real reader lives in src/sources). */
function fixtureRecords(): ImageRecord[] {
  return toRecords(Sample.parse(JSON.parse(readFileSync(PIX2CAP_SAMPLE_JSON, 'utf8'))), 'pix2cap_sample_val.json')
}

function toRecords(raw: z.infer<typeof Sample>, file: string): ImageRecord[] {
  return minimalImageRecords(raw, file, { source: 'test', split: 'val', captions: () => [] })
}

async function collect(it: AsyncIterable<MaskCheck>): Promise<MaskCheck[]> {
  const out: MaskCheck[] = []
  for await (const c of it) out.push(c)
  return out
}

describe.skipIf(!HAS_SHARED)('verifyMasks on the panopticapi sample', () => {
  it.each([0, 1, 2])('finds no issue in the real fixture, geometry in JSON order, input order (%i workers)', async (workers) => {
    const records = fixtureRecords()
    const events: ProgressEvent[] = []
    const checks = await collect(
      verifyMasks(records, { panopticDir: PANOPTIC_SAMPLE_DIR, workers, onProgress: (e) => events.push(e) }),
    )
    expect(checks.map((c) => c.imageId)).toEqual([142238, 439180])
    for (const [i, c] of checks.entries()) {
      expect(c.issues).toEqual([])
      expect(c.rle).toBeUndefined()
      expect(c.geometry).toEqual(records[i]!.regions.map((r) => ({ id: r.segmentId, area: r.area, bbox: r.bbox })))
    }
    expect(events).toEqual([
      { kind: 'progress', stage: 'masks', done: 1, total: 2 },
      { kind: 'progress', stage: 'masks', done: 2, total: 2 },
    ])
  })

  it('decodes PNGs the own decoder refuses (Adam7-interlaced) through sharp, with the same geometry and RLE', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pixcap-masks-interlaced-'))
    try {
      const { default: sharp } = await import('sharp')
      const records = fixtureRecords()
      for (const r of records) {
        await sharp(join(PANOPTIC_SAMPLE_DIR, r.maskPath!)).png({ progressive: true }).toFile(join(dir, r.maskPath!))
        expect(readFileSync(join(dir, r.maskPath!))[28]).toBe(1) // IHDR interlace method: Adam7
      }
      const plain = await collect(verifyMasks(records, { panopticDir: PANOPTIC_SAMPLE_DIR, workers: 0, withRle: true }))
      const interlaced = await collect(verifyMasks(records, { panopticDir: dir, workers: 0, withRle: true }))
      expect(interlaced).toEqual(plain)
      expect(interlaced.flatMap((c) => c.issues)).toEqual([])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('returns pycocotools RLE per segment with withRle, from an async iterable, concurrency 1', async () => {
    async function* gen(): AsyncGenerator<ImageRecord> {
      yield* fixtureRecords().reverse()
    }
    const checks = await collect(verifyMasks(gen(), { panopticDir: PANOPTIC_SAMPLE_DIR, concurrency: 1, withRle: true }))
    expect(checks.map((c) => c.imageId)).toEqual([439180, 142238])
    const map = await decodePanopticPng(join(PANOPTIC_SAMPLE_DIR, '000000142238.png'))
    const rle = checks[1]!.rle!
    expect(Object.keys(rle)).toHaveLength(18)
    expect(rle[3937500]).toEqual(rleFromIds(map, 3937500))
    // The same value as panoptic_coco_detection_format.json's first annotation (pycocotools).
    const detection = z
      .object({ annotations: z.array(z.object({ bbox: z.array(z.number()), segmentation: z.object({ counts: z.string() }) })) })
      .parse(JSON.parse(readFileSync(join(COCO_SAMPLE_DIR, 'sample_data/panoptic_coco_detection_format.json'), 'utf8')))
    expect(detection.annotations[0]!.bbox).toEqual([282, 207, 48, 149])
    expect(rle[3937500]!.counts).toBe(detection.annotations[0]!.segmentation.counts)
  })

  describe('perturbed copies', () => {
    let dir: string
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'pixcap-verify-'))
      await copyFile(join(PANOPTIC_SAMPLE_DIR, '000000142238.png'), join(dir, '000000142238.png'))
      // 439180 cropped by one column: a PNG of the wrong size.
      const map = await decodePanopticPng(join(PANOPTIC_SAMPLE_DIR, '000000439180.png'))
      const w = map.width - 1
      const ids = new Uint32Array(w * map.height)
      for (let y = 0; y < map.height; y++) ids.set(map.ids.subarray(y * map.width, y * map.width + w), y * w)
      await writeFile(join(dir, 'narrow.png'), await encodePanopticPng({ width: w, height: map.height, ids }))
      await writeFile(join(dir, 'broken.png'), 'not a png')
    })
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true })
    })

    it('reports an id removed from JSON, an id not in the PNG, a box and an area off by one', async () => {
      const [img] = fixtureRecords()
      const r = img!.regions
      r[3] = { ...r[3]!, bbox: [r[3]!.bbox[0], r[3]!.bbox[1], r[3]!.bbox[2] + 1, r[3]!.bbox[3]] }
      r[4] = { ...r[4]!, area: r[4]!.area - 1 }
      const removed = r.splice(7, 1)[0]!
      r.push({ ...r[0]!, segmentId: 999, regionId: '142238:999', origin: { file: 'pix2cap_sample_val.json', path: ['annotations', 0, 'segments_info', 18] } })
      const [check] = await collect(verifyMasks([img!], { panopticDir: dir }))
      const byKind = Object.fromEntries(check!.issues.map((i) => [i.kind, i]))
      expect(check!.issues.map((i) => i.kind).sort()).toEqual(['area_mismatch', 'bbox_mismatch', 'id_not_in_json', 'segment_not_in_png'])
      const b = r[3]!.bbox
      expect(byKind.bbox_mismatch).toEqual({
        imageId: 142238,
        segmentId: r[3]!.segmentId,
        kind: 'bbox_mismatch',
        file: 'pix2cap_sample_val.json',
        path: ['annotations', 0, 'segments_info', 3, 'bbox'],
        expected: b,
        found: [b[0], b[1], b[2] - 1, b[3]],
        message: `annotations[0].segments_info[3].bbox: JSON says [${b.join(', ')}], mask extent is [${[b[0], b[1], b[2] - 1, b[3]].join(', ')}]`,
      })
      expect(byKind.area_mismatch!.message).toBe(
        `annotations[0].segments_info[4].area: JSON says ${r[4]!.area}, mask has ${r[4]!.area + 1} pixels`,
      )
      expect(byKind.segment_not_in_png).toMatchObject({ segmentId: 999, path: ['annotations', 0, 'segments_info', 18, 'id'] })
      expect(byKind.segment_not_in_png!.message).toMatch(/^annotations\[0\]\.segments_info\[18\]\.id: segment id 999 \(RGB 231,3,0\) has no pixels in .*000000142238\.png$/)
      expect(byKind.id_not_in_json).toMatchObject({
        segmentId: removed.segmentId,
        path: ['annotations', 0, 'segments_info'],
        found: { id: removed.segmentId, area: removed.area, bbox: removed.bbox },
      })
      expect(byKind.id_not_in_json!.message).toContain(`has id ${removed.segmentId}`)
      expect(byKind.id_not_in_json!.message).toContain(`(${removed.area} pixels, box [${removed.bbox.join(', ')}]) that segments_info does not list`)
    })

    it('reports a PNG of the wrong size, a missing PNG and an unreadable one, and keeps going', async () => {
      // In-process here; the worker path returns the same issues (next test).
      const [a, b] = fixtureRecords()
      const narrow = { ...b!, maskPath: 'narrow.png' }
      const missing = { ...a!, imageId: 1, maskPath: 'gone.png' }
      const broken = { ...a!, imageId: 2, maskPath: 'broken.png' }
      const checks = await collect(verifyMasks([narrow, missing, broken, a!], { panopticDir: dir, concurrency: 2, workers: 0 }))
      expect(checks.map((c) => c.imageId)).toEqual([439180, 1, 2, 142238])
      expect(checks[0]!.issues).toEqual([
        {
          imageId: 439180,
          kind: 'size_mismatch',
          file: 'pix2cap_sample_val.json',
          path: ['annotations', 1],
          expected: [640, 360],
          found: [639, 360],
          message: `annotations[1]: panoptic PNG ${join(dir, 'narrow.png')} is 639x360; the image is 640x360`,
        },
      ])
      expect(checks[1]!.issues).toEqual([
        {
          imageId: 1,
          kind: 'png_missing',
          file: 'pix2cap_sample_val.json',
          path: ['annotations', 0, 'file_name'],
          expected: join(dir, 'gone.png'),
          message: `annotations[0].file_name: panoptic PNG ${join(dir, 'gone.png')} does not exist`,
        },
      ])
      expect(checks[2]!.issues).toHaveLength(1)
      expect(checks[2]!.issues[0]).toMatchObject({ kind: 'png_unreadable', file: join(dir, 'broken.png'), path: [] })
      expect(checks[2]!.issues[0]!.message).toContain(`cannot decode panoptic PNG ${join(dir, 'broken.png')}: `)
      expect(checks[3]!.issues).toEqual([])
    })

    it('gives the same issues through worker threads as in-process', async () => {
      const [a, b] = fixtureRecords()
      const input = [{ ...b!, maskPath: 'narrow.png' }, { ...a!, imageId: 1, maskPath: 'gone.png' }, { ...a!, imageId: 2, maskPath: 'broken.png' }, a!]
      const inProcess = await collect(verifyMasks(input, { panopticDir: dir, workers: 0 }))
      const pooled = await collect(verifyMasks(input, { panopticDir: dir, workers: 2 }))
      expect(pooled).toEqual(inProcess)
      expect(pooled.flatMap((c) => c.issues.map((i) => i.kind))).toEqual(['size_mismatch', 'png_missing', 'png_unreadable'])
    })

    it('refuses a mask path that escapes the panoptic root', async () => {
      const [a] = fixtureRecords()
      await expect(collect(verifyMasks([{ ...a!, maskPath: '../x.png' }], { panopticDir: dir }))).rejects.toThrow(
        'pix2cap_sample_val.json: annotations[0].file_name: "../x.png" escapes its root directory',
      )
    })
  })
})

describe('verifyMasks on the bundled sample', () => {
  it('finds no issue in any of its 12 images (its bbox/area come from the pixels)', async () => {
    const file = join(BUNDLED_SAMPLE_DIR, 'pix2cap_sample_train.json')
    const raw = Sample.parse(JSON.parse(readFileSync(file, 'utf8')))
    const records = toRecords(raw, file)
    const checks = await collect(verifyMasks(records, { panopticDir: join(BUNDLED_SAMPLE_DIR, 'panoptic'), withRle: true }))
    expect(checks.map((c) => c.imageId)).toEqual(raw.images.map((i) => i.id))
    expect(checks.flatMap((c) => c.issues)).toEqual([])
    expect(checks.reduce((n, c) => n + c.geometry.length, 0)).toBe(73)
    // Every segment's RLE decodes to its JSON area.
    for (const [k, c] of checks.entries()) {
      for (const region of records[k]!.regions) expect(rleArea(c.rle![region.segmentId]!)).toBe(region.area)
    }
  })
})

describe('verifyMasks streaming', () => {
  it('pulls a bounded number of images ahead and stops pulling when the consumer stops', async () => {
    let pulled = 0
    function* many(): Generator<ImageRecord> {
      for (let i = 0; i < 100; i++) {
        pulled++
        yield { source: 't', split: 's', imageId: i, imagePath: 'x.jpg', width: 1, height: 1, regions: [] }
      }
    }
    const seen: MaskCheck[] = []
    for await (const c of verifyMasks(many(), { panopticDir: tmpdir(), concurrency: 3 })) {
      seen.push(c)
      if (seen.length === 2) break
    }
    // Without a maskPath each image is a png_missing issue; 2 consumed + at most 4 * 3 pulled ahead.
    expect(seen[0]!.issues[0]!.kind).toBe('png_missing')
    expect(pulled).toBeLessThanOrEqual(2 + 12)
  })
})
