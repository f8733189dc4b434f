// mdetr's pre-processed grounding annotations as stored on disk: `final_refcoco_{train,val,testA,testB}.json`,
// `final_refcoco+_*`, `final_refcocog_{train,val,test}.json`, `final_flickr_separateGT_*` / `_mergedGT_*`, and the
// `finetune_refcoco*_train.json` files GPT4RoI trains on (reference/gpt4roi.md §5: RefCOCO/RefCOCOP/RefCOCOG/
// flickr30k loaders). COCO format where each "image" is one expression or sentence:
//   images[]:      { id, file_name (COCO_train2014_000000xxxxxx.jpg | <flickr id>.jpg), height, width, caption,
//                    original_id? (the COCO image id), dataset_name?, tokens_negative? }
//   annotations[]: { id, image_id, bbox [x, y, w, h], area, category_id, iscrowd, tokens_positive [[start, end]...] }
// `tokens_positive` are character spans of `caption` that name the box. Only the keys pixcap reads are declared.
import { z } from 'zod'

/** One expression/sentence entry. */
export const RawMdetrImage = z.looseObject({
  id: z.number().int(),
  file_name: z.string().min(1),
  height: z.number().int().positive(),
  width: z.number().int().positive(),
  caption: z.string(),
  original_id: z.number().int().optional(),
  dataset_name: z.string().optional(),
})
export type RawMdetrImage = z.infer<typeof RawMdetrImage>

/** One box with the spans of the caption that refer to it. `bbox` is checked by checkRegionBox. */
export const RawMdetrAnnotation = z.looseObject({
  id: z.number().int(),
  image_id: z.number().int(),
  bbox: z.unknown(),
  area: z.number().nonnegative().optional(),
  category_id: z.number().int().optional(),
  iscrowd: z.union([z.literal(0), z.literal(1)]).optional(),
  tokens_positive: z.array(z.array(z.number().int()).length(2)).optional(),
})
export type RawMdetrAnnotation = z.infer<typeof RawMdetrAnnotation>

/** The whole file. */
export const RawMdetrFile = z.looseObject({
  images: z.array(RawMdetrImage),
  annotations: z.array(RawMdetrAnnotation),
  categories: z.array(z.looseObject({ id: z.number().int(), name: z.string() })).optional(),
})
export type RawMdetrFile = z.infer<typeof RawMdetrFile>
