// COCO object-detection annotations as stored on disk (`instances_{train,val}2017.json`, cocodataset.org data
// format): images[] { id, file_name, width, height }, annotations[] { id, image_id, category_id, bbox [x, y, w, h],
// area, iscrowd, segmentation }, categories[] { id, name, supercategory }. GPT4RoI's stage-1 `coco_det` reads them
// and answers each region with its class name (reference/gpt4roi.md §5). Only the keys pixcap reads are declared.
import { z } from 'zod'

const RawCocoInstancesImage = z.looseObject({
  id: z.number().int(),
  file_name: z.string().min(1),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
})

/** `bbox` is checked by checkRegionBox so a bad box drops one region, not the file. */
const RawCocoInstance = z.looseObject({
  id: z.number().int(),
  image_id: z.number().int(),
  category_id: z.number().int(),
  bbox: z.unknown(),
  area: z.number().nonnegative().optional(),
  iscrowd: z.union([z.literal(0), z.literal(1)]).optional(),
})

export const RawCocoInstancesFile = z.looseObject({
  images: z.array(RawCocoInstancesImage),
  annotations: z.array(RawCocoInstance),
  categories: z.array(z.looseObject({ id: z.number().int(), name: z.string().min(1), supercategory: z.string().optional() })),
})
export type RawCocoInstancesFile = z.infer<typeof RawCocoInstancesFile>
