// densecoco: a filtered Pix2Cap panoptic JSON for Pix2Cap's GPT4RoI `DENSECOCO` loader (reference/gpt4roi.md §10,
// reference/pix2cap.md §2-§3). Box convention: the source's pixel [x, y, w, h], unchanged (the loader converts to
// xyxy and normalises by the 224 stretch itself).
//
// What the loader needs, and what this file guarantees:
// - `annotations[i]` belongs to `images[i]`: COCOPanoptic zips the two lists BY POSITION (pix2cap.md §3);
// - only kept segments, each with `description` = one string (chosen with the per-image rng when the source has
//   several; the loader has no description filter, so empty ones are never written);
// - images the loader's `_filter_imgs` would drop (no thing segment, or min side < 32) are not written, and their
//   regions are reported as `image_rule` rejects, so nothing is lost silently at training time.
import { z } from 'zod'
import type { ImageRecord } from '../records/region-record.js'
import { optionsParser } from './format-options.js'
import { writeRegionDocument } from './region-document.js'
import type { DocumentFormat, DocumentResult, FormatContext } from './target-format.js'

/** DENSECOCO `_filter_imgs`: images whose shorter side is below this are dropped (gpt4roi.md §5 / pix2cap.md §4). */
export const DENSECOCO_MIN_IMAGE_SIDE = 32

/** densecoco options. */
export const DensecocoOptions = z
  .object({
    /** Pre-apply GPT4RoI's 2-px-at-224 filter so its drops show up as rejects (gpt4roi.md §3). */
    dropSmall224: z.boolean().default(true),
  })
  .strict()

const parseOptions = optionsParser('densecoco', DensecocoOptions)

/** The PNG name DENSECOCO derives from an image name (`file_name.replace('jpg','png')`, pix2cap.md §2). */
function pngName(image: ImageRecord): string {
  return image.maskPath ?? image.imagePath.replace(/\.[^./]+$/, '.png')
}

/** The densecoco document format. */
export const densecoco: DocumentFormat = {
  kind: 'document',
  name: 'densecoco',
  summary:
    "Pix2Cap panoptic JSON for GPT4RoI's DENSECOCO loader: annotations in the same order as images, kept segments only, " +
    'one description string each, pixel [x,y,w,h] boxes',
  options: DensecocoOptions,
  fileName: (split) => `densecoco/${split}.json`,
  async write(images: AsyncIterable<ImageRecord>, ctx: FormatContext, dest: string): Promise<DocumentResult> {
    const opts = parseOptions(ctx.options)
    const categories = new Map<number, { id: number; name: string; isthing: number }>()
    return writeRegionDocument(images, dest, { seed: ctx.seed, dropSmall224: opts.dropSmall224 }, {
      imageRule: (image, kept) =>
        Math.min(image.width, image.height) < DENSECOCO_MIN_IMAGE_SIDE
          ? `image is ${image.width}x${image.height}; DENSECOCO drops images whose shorter side is < ${DENSECOCO_MIN_IMAGE_SIDE}`
          : kept.some((u) => u.region.isThing)
            ? null
            : 'image has no thing segment left; DENSECOCO drops such images (_filter_imgs)',
      annotate: (image, kept, caption, sink) =>
        sink.annotation({
          image_id: image.imageId,
          file_name: pngName(image),
          segments_info: kept.map(({ region, captions }) => {
            categories.set(region.categoryId, { id: region.categoryId, name: region.category, isthing: region.isThing ? 1 : 0 })
            return {
              id: region.segmentId,
              category_id: region.categoryId,
              iscrowd: region.isCrowd ? 1 : 0,
              bbox: region.bbox,
              area: region.area,
              description: caption(captions),
            }
          }),
        }),
      tail: () => ({ categories: [...categories.values()].sort((a, b) => a.id - b.id) }),
    })
  },
}
