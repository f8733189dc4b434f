// Visual Genome region descriptions as stored on disk (VG v1.2, visualgenome.org "region_descriptions.json" and
// "image_data.json"; GRiT and GPT4RoI build their VG train/test files from them, reference/gpt4roi.md §5, §12):
//   region_descriptions.json: [{ id: <image id>, regions: [{ region_id, image_id, phrase, x, y, width, height }] }]
//   image_data.json:          [{ image_id (v1.0: id), width, height, url, coco_id, flickr_id }]
// Boxes are pixel x, y, width, height of the original image. Only the keys pixcap reads are declared.
import { z } from 'zod'

/** One image entry of region_descriptions.json; regions are checked one by one ({@link RawVgRegion}). */
const RawVgImageRegions = z.looseObject({
  id: z.number().int(),
  regions: z.array(z.unknown()),
})

/** The whole region_descriptions.json. */
export const RawVgRegionDescriptions = z.array(RawVgImageRegions)

/** One region. */
export const RawVgRegion = z.looseObject({
  region_id: z.number().int(),
  image_id: z.number().int().optional(),
  phrase: z.string(),
  x: z.number(),
  y: z.number(),
  width: z.number(),
  height: z.number(),
})
export type RawVgRegion = z.infer<typeof RawVgRegion>

/** One image_data.json entry (v1.2 keys `image_id`; v1.0 `id`). */
const RawVgImageData = z.looseObject({
  image_id: z.number().int().optional(),
  id: z.number().int().optional(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  url: z.string().optional(),
  coco_id: z.number().int().nullable().optional(),
})
type RawVgImageData = z.infer<typeof RawVgImageData>

/** The whole image_data.json. */
export const RawVgImageDataFile = z.array(RawVgImageData)

/** The file name that holds the sizes, looked for beside region_descriptions.json (VG ships both in one folder). */
export const VG_IMAGE_DATA_FILE = 'image_data.json'
