// A minimal Pix2Cap-shaped JSON schema and a minimal mapping to ImageRecords, for tests and bench stages that must not
// depend on the real reader in src/sources (mask verification, PNG decoding, the bundled sample's self-check).
// No vitest import here: bench/stages uses it too.
import { z } from 'zod'
import { regionIdOf, type ImageRecord } from '../../src/records/region-record.js'

const Box = z.tuple([z.number(), z.number(), z.number(), z.number()])

/** The segment fields every minimal reader checks; `.extend` it with the caption field a caller needs. */
export const MinimalSegment = z.object({ id: z.number(), category_id: z.number(), iscrowd: z.number(), area: z.number(), bbox: Box })

/** `{ images, annotations }` joined by image_id, with segments of the given shape. */
export function minimalPix2Cap<S extends z.ZodType<z.infer<typeof MinimalSegment>>>(segment: S) {
  return z.object({
    images: z.array(z.object({ id: z.number(), file_name: z.string(), width: z.number(), height: z.number() })),
    annotations: z.array(z.object({ image_id: z.number(), file_name: z.string(), segments_info: z.array(segment) })),
  })
}

type MinimalFile<Seg> = {
  images: { id: number; file_name: string; width: number; height: number }[]
  annotations: { image_id: number; file_name: string; segments_info: Seg[] }[]
}

/**
 * One ImageRecord per annotation (every region a thing, category named by its id), with origins pointing into
 * `file`; `captions` maps a segment to its region captions.
 */
export function minimalImageRecords<Seg extends z.infer<typeof MinimalSegment>>(
  raw: MinimalFile<Seg>,
  file: string,
  o: { source: string; split: string; captions: (segment: Seg) => string[] },
): ImageRecord[] {
  const byId = new Map(raw.images.map((i) => [i.id, i]))
  return raw.annotations.map((ann, a): ImageRecord => {
    const img = byId.get(ann.image_id)
    if (img === undefined) throw new Error(`${file}: annotations[${a}]: image_id ${ann.image_id} has no images[] entry`)
    return {
      source: o.source,
      split: o.split,
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
        captions: o.captions(s),
        origin: { file, path: ['annotations', a, 'segments_info', i] },
      })),
    }
  })
}
