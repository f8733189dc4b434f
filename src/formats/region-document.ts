// What the GPT4RoI document formats (densecoco, vgdata) share: stream each image's usable regions (GPT4RoI's caption
// and 2-px-at-224 filters; every drop is a reject) into a COCO document via writeCocoDocument, write the image entry
// `{id, file_name, height, width}` (gpt4roi.md §5/§10) and hand the format its regions and a per-image rng.
import { chooseCaption, imageRng, usableRegions, type UsableRegion } from '../instruct/region-selection.js'
import type { ImageRecord } from '../records/region-record.js'
import type { RejectRecord } from '../records/reject.js'
import { writeCocoDocument, type CocoDocumentSink } from './coco-document-writer.js'
import type { DocumentResult } from './target-format.js'

/** How one document format lays out its regions. */
export interface RegionDocumentLayout {
  /** Why the loader would drop this whole image (its regions become `image_rule` rejects), or null to keep it. */
  imageRule?: (image: ImageRecord, kept: readonly UsableRegion[]) => string | null
  /** Emits the image's annotation(s); `caption(captions)` picks one caption with the image's rng. */
  annotate: (image: ImageRecord, kept: readonly UsableRegion[], caption: (captions: readonly string[]) => string, sink: CocoDocumentSink) => Promise<void>
  /** Keys after the annotations (computed once the stream is done, e.g. the categories seen). */
  tail: () => Record<string, unknown>
}

/** Writes `images` as a COCO document at `dest`; images left with no usable region are skipped. */
export async function writeRegionDocument(
  images: AsyncIterable<ImageRecord>,
  dest: string,
  opts: { seed: number; dropSmall224: boolean },
  layout: RegionDocumentLayout,
): Promise<DocumentResult> {
  const rejects: RejectRecord[] = []
  let nImages = 0
  let nRegions = 0
  await writeCocoDocument(
    dest,
    {},
    async (sink) => {
      for await (const image of images) {
        const { kept, rejects: dropped } = usableRegions(image, opts)
        rejects.push(...dropped)
        if (kept.length === 0) continue
        const rule = layout.imageRule?.(image, kept) ?? null
        if (rule !== null) {
          for (const { region } of kept) {
            rejects.push({ source: image.source, imageId: image.imageId, segmentId: region.segmentId, regionId: region.regionId, reason: 'image_rule', detail: rule })
          }
          continue
        }
        const rng = imageRng(opts.seed, image)
        await sink.image({ id: image.imageId, file_name: image.imagePath, height: image.height, width: image.width })
        await layout.annotate(image, kept, (captions) => chooseCaption(rng, captions), sink)
        nImages++
        nRegions += kept.length
      }
    },
    layout.tail,
  )
  return { images: nImages, regions: nRegions, rejects }
}
