// vgdata: a VG-style COCO-instances JSON read by GPT4RoI's unchanged `VGDATA` loader, the alternative target of
// reference/gpt4roi.md §10 (fields from §5: images{id,file_name,height,width}, annotations{id,image_id,bbox,area,
// category_id,caption,iscrowd}, categories=[{id:1,name:'object'}]; annotation ids asserted unique by the loader).
// Box convention: pixel [x, y, w, h] of the original image, as in the source.
// Annotation ids are 1..N in write order, unique within the file. One annotation per kept region, in source order
// (VGDATA shuffles at load time). `iscrowd` carries the region's flag: VGDATA turns crowd boxes into ignore boxes,
// so a filter policy that keeps crowds keeps them visible here.
import { z } from 'zod'
import type { ImageRecord } from '../records/region-record.js'
import { optionsParser } from './format-options.js'
import { writeRegionDocument } from './region-document.js'
import type { DocumentFormat, DocumentResult, FormatContext } from './target-format.js'

/** The single category VG-style files use (gpt4roi.md §5 VGDATA). */
export const VG_OBJECT_CATEGORY = { id: 1, name: 'object' } as const

/** vgdata options. */
export const VgdataOptions = z.object({ dropSmall224: z.boolean().default(true) }).strict()

const parseOptions = optionsParser('vgdata', VgdataOptions)

/** The vgdata document format. */
export const vgdata: DocumentFormat = {
  kind: 'document',
  name: 'vgdata',
  summary:
    "VG-style COCO instances JSON for GPT4RoI's VGDATA loader: one `object` category, a caption per annotation, " +
    'unique annotation ids, pixel [x,y,w,h] boxes',
  options: VgdataOptions,
  fileName: (split) => `vgdata/${split}.json`,
  async write(images: AsyncIterable<ImageRecord>, ctx: FormatContext, dest: string): Promise<DocumentResult> {
    const opts = parseOptions(ctx.options)
    let nextId = 1
    return writeRegionDocument(images, dest, { seed: ctx.seed, dropSmall224: opts.dropSmall224 }, {
      async annotate(image, kept, caption, sink) {
        for (const { region, captions } of kept) {
          await sink.annotation({
            id: nextId++,
            image_id: image.imageId,
            bbox: region.bbox,
            area: region.area,
            category_id: VG_OBJECT_CATEGORY.id,
            caption: caption(captions),
            iscrowd: region.isCrowd ? 1 : 0,
          })
        }
      },
      tail: () => ({ categories: [VG_OBJECT_CATEGORY] }),
    })
  },
}
