// Reads the synthetic PNG subset (bench/synth.ts) as canonical ImageRecords for the mask stages. A minimal mapping:
// the real Pix2Cap reader lives in src/sources; this keeps the mask stages independent of it.
import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import { regionIdOf, type ImageRecord } from '../../src/records/region-record.js'

const Subset = z.object({
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
          area: z.number(),
          bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
          description: z.string(),
        }),
      ),
    }),
  ),
})

/** ImageRecords of every image in a Pix2Cap-format file that joins images and annotations by image_id. */
export async function readPngSubset(file: string): Promise<ImageRecord[]> {
  const raw = Subset.parse(JSON.parse(await readFile(file, 'utf8')))
  const byId = new Map(raw.images.map((i) => [i.id, i]))
  return raw.annotations.map((ann, a): ImageRecord => {
    const img = byId.get(ann.image_id)
    if (img === undefined) throw new Error(`${file}: annotations[${a}]: image_id ${ann.image_id} has no images[] entry`)
    return {
      source: 'synth',
      split: 'train',
      imageId: ann.image_id,
      imagePath: img.file_name,
      maskPath: ann.file_name,
      width: img.width,
      height: img.height,
      origin: { file, path: ['annotations', a] },
      regions: ann.segments_info.map((s, i) => ({
        regionId: regionIdOf(ann.image_id, s.id),
        segmentId: s.id,
        categoryId: s.category_id,
        category: String(s.category_id),
        isThing: true,
        isCrowd: s.iscrowd === 1,
        bbox: s.bbox,
        area: s.area,
        captions: [s.description],
        origin: { file, path: ['annotations', a, 'segments_info', i] },
      })),
    }
  })
}
