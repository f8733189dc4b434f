// Attaches each region's COCO RLE (from its panoptic PNG) to the image records, for formats that carry masks
// (Osprey, the parquet mask column, ViP-LLaVA mask contours). Decoding is io/ work (sharp); the RLE itself is
// pycocotools-compatible (geometry/coco-rle.ts). A region whose segment is absent from the PNG keeps no `maskRle`,
// and the format rejects it as `missing_in_png`; an image whose PNG cannot be read is an error naming the file.
import { PixcapError } from '../../errors.js'
import type { ImageRecord } from '../../records/region-record.js'
import { decodeMaskGeometry } from './mask-decode.js'
import { resolveInside } from '../input/safe-path.js'

/** Passes each image on with `maskRle` set on every region its PNG holds. */
export async function* withRegionMasks(images: AsyncIterable<ImageRecord>, panopticDir: string): AsyncGenerator<ImageRecord> {
  for await (const image of images) {
    const file = image.origin?.file ?? image.source
    const where = { file, path: [...(image.origin?.path ?? []), 'file_name'] }
    if (image.maskPath === undefined) throw new PixcapError('schema', file, where.path, `image ${image.imageId} names no panoptic PNG; masks need one`)
    const png = resolveInside(panopticDir, image.maskPath, where)
    const decoded = await decodeMaskGeometry(png, true)
    if (!decoded.ok) throw new PixcapError('io', png, [], `panoptic PNG of image ${image.imageId}: ${decoded.message}`)
    if (decoded.width !== image.width || decoded.height !== image.height) {
      throw new PixcapError('schema', png, [], `PNG is ${decoded.width}x${decoded.height} but image ${image.imageId} is ${image.width}x${image.height}`)
    }
    const rles = new Map(decoded.rle)
    yield { ...image, regions: image.regions.map((r) => (rles.has(r.segmentId) ? { ...r, maskRle: rles.get(r.segmentId)! } : r)) }
  }
}
