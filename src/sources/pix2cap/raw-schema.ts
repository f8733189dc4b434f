// On-disk shapes of a Pix2Cap-COCO JSON (COCO panoptic + `segments_info[].description`), reference/pix2cap.md §2.
// Raw* are snake_case as stored; read-pix2cap.ts maps them to canonical records. Unknown extra keys are allowed
// (COCO images carry license, coco_url, ...). Custom messages start with "expected" so formatZodIssue appends what
// was found.
import { z } from 'zod'

const int = (what: string) => z.number({ error: `expected ${what} (an integer)` }).int({ error: `expected ${what} (an integer)` })

/** `images[]`: id, file_name (the JPEG, relative to the split's image folder), width, height. */
export const RawImage = z.looseObject({
  id: int('the image id'),
  file_name: z.string({ error: 'expected a file name string' }).min(1, { error: 'expected a non-empty file name' }),
  width: int('the width in pixels').positive({ error: 'expected a positive width' }),
  height: int('the height in pixels').positive({ error: 'expected a positive height' }),
})
export type RawImage = z.infer<typeof RawImage>

/** COCO boxes are `[x, y, w, h]` in pixels (pix2cap.md §3). */
export const RawBBox = z
  .array(z.number({ error: 'expected a number' }), { error: 'expected 4 numbers [x, y, w, h]' })
  .length(4, { error: 'expected 4 numbers [x, y, w, h]' })

/** A segment's caption: one string, or a list of alternatives (the model code picks one; pix2cap.md §2). */
export const RawDescription = z.union([z.string(), z.array(z.string())], {
  error: 'expected a description string or a list of strings',
})

/** `annotations[].segments_info[]`: one panoptic segment with its Pix2Cap description. */
export const RawSegment = z.looseObject({
  id: int('the segment id'),
  category_id: int('a category id'),
  iscrowd: z.literal([0, 1], { error: 'expected iscrowd 0 or 1' }),
  bbox: RawBBox,
  area: z.number({ error: 'expected the area (a number of pixels)' }).nonnegative({ error: 'expected a non-negative area' }),
  description: RawDescription,
})
export type RawSegment = z.infer<typeof RawSegment>

/**
 * `annotations[]` with its segments left unparsed: each segment is validated on its own so that one bad segment is
 * reported (and rejected as `invalid`) without losing the rest of the image.
 */
export const RawAnnotationShell = z.looseObject({
  image_id: int('the image id'),
  file_name: z.string({ error: 'expected the panoptic PNG file name' }).min(1, { error: 'expected a non-empty file name' }),
  segments_info: z.array(z.unknown(), { error: 'expected a list of segments' }),
})
export type RawAnnotationShell = z.infer<typeof RawAnnotationShell>

/** `categories[]` (COCO panoptic: 133 categories, ids 1..200 with gaps, 80 things and 53 stuff). */
export const RawCategory = z.looseObject({
  id: int('the category id'),
  name: z.string({ error: 'expected a category name' }),
  isthing: z.literal([0, 1], { error: 'expected isthing 0 or 1' }),
  supercategory: z.string({ error: 'expected a supercategory name' }).optional(),
  color: z.array(z.number()).length(3, { error: 'expected an RGB colour [r, g, b]' }).optional(),
})
export type RawCategory = z.infer<typeof RawCategory>

/** A separate categories file (`--categories`): a bare list, or an object with `categories` (panoptic_coco_categories.json is a list). */
export const RawCategoriesFile = z.union([z.array(z.unknown()), z.looseObject({ categories: z.array(z.unknown()) })], {
  error: 'expected a list of categories or an object with a "categories" list',
})
