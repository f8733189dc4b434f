// A tiny loader for the shared Pix2Cap sample, used by the instruct and formats tests until they can use the
// reader: it maps the JSON to ImageRecords directly (join by image_id, description string | string[]).
import { readFileSync } from 'node:fs'
import { z } from 'zod'
import type { ImageRecord } from '../../src/records/region-record.js'
import { PIX2CAP_SAMPLE_JSON } from './fixtures.js'

const Sample = z.object({
  images: z.array(z.object({ id: z.number(), file_name: z.string(), width: z.number(), height: z.number() })),
  annotations: z.array(
    z.object({
      image_id: z.number(),
      file_name: z.string(),
      segments_info: z.array(
        z.object({
          id: z.number(),
          category_id: z.number(),
          iscrowd: z.number(),
          bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
          area: z.number(),
          description: z.union([z.string(), z.array(z.string())]),
        }),
      ),
    }),
  ),
  categories: z.array(z.object({ id: z.number(), name: z.string(), isthing: z.number() })),
})

/** Every image of the shared sample with all its segments (no filtering). */
export function loadSampleImages(file = PIX2CAP_SAMPLE_JSON): ImageRecord[] {
  const doc = Sample.parse(JSON.parse(readFileSync(file, 'utf8')))
  const cats = new Map(doc.categories.map((c) => [c.id, c]))
  return doc.images.map((img) => {
    const ai = doc.annotations.findIndex((a) => a.image_id === img.id)
    const ann = doc.annotations[ai]
    if (ann === undefined) throw new Error(`no annotation for image ${img.id}`)
    return {
      source: 'pix2cap-coco',
      split: 'val',
      imageId: img.id,
      imagePath: img.file_name,
      maskPath: ann.file_name,
      width: img.width,
      height: img.height,
      origin: { file: 'pix2cap_sample_val.json', path: ['annotations', ai] },
      regions: ann.segments_info.map((s, si) => {
        const cat = cats.get(s.category_id)
        return {
          regionId: `${img.id}:${s.id}`,
          segmentId: s.id,
          categoryId: s.category_id,
          category: cat?.name ?? '?',
          isThing: cat?.isthing === 1,
          isCrowd: s.iscrowd === 1,
          bbox: s.bbox,
          area: s.area,
          captions: typeof s.description === 'string' ? [s.description] : s.description,
          origin: { file: 'pix2cap_sample_val.json', path: ['annotations', ai, 'segments_info', si] },
        }
      }),
    }
  })
}
