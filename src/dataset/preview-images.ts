// `pixcap preview`: writes one PNG per selected image with its regions drawn (src/io/png/region-preview.ts), so a
// person can check boxes, masks and categories at a glance before converting.
import { join } from 'node:path'
import type { ProgressSink } from '../util/progress.js'
import { renderRegionPreview } from '../io/png/region-preview.js'
import type { ImageRecord } from '../records/region-record.js'
import { openSource } from '../sources/open-source.js'
import { writeFileAtomic } from '../util/atomic-write.js'

/** What to preview. */
export interface PreviewImagesOptions {
  annotations: string
  /** A registered source name (sources/registry.ts); default: detected from the file's shape. */
  from?: string
  imagesDir: string
  panopticDir?: string
  categories?: string
  out: string
  /** Image ids to draw; all (up to `limit`) when empty. */
  imageIds?: string[]
  limit?: number
  onProgress?: ProgressSink
}

/** Renders previews; returns the written files. The images are chosen first, so progress counts to the number drawn. */
export async function previewImages(o: PreviewImagesOptions): Promise<{ files: string[] }> {
  const { reader } = await openSource({ annotations: o.annotations, imagesDir: o.imagesDir, ...(o.from !== undefined ? { from: o.from } : {}), ...(o.categories ? { categories: o.categories } : {}) })
  const wanted = new Set(o.imageIds ?? [])
  const limit = o.limit ?? (wanted.size > 0 ? Infinity : 12)
  const chosen: ImageRecord[] = []
  // Sources with one record per conversation (LLaVA-Instruct, VCR) repeat an image: it is drawn once.
  const seen = new Set<string>()
  for await (const image of reader.records()) {
    if (chosen.length >= limit) break
    if (wanted.size > 0 && !wanted.has(String(image.imageId))) continue
    if (seen.has(String(image.imageId))) continue
    seen.add(String(image.imageId))
    chosen.push(image)
  }
  const files: string[] = []
  for (const image of chosen) {
    // The regions image-level conversations refer to (VCR's objects) are drawn too: they are what `<bbox>` binds.
    const referred = (image.conversations ?? []).flatMap((c) => c.regions)
    const drawn = referred.length > 0 ? { ...image, regions: [...image.regions, ...referred] } : image
    const png = await renderRegionPreview({ image: drawn, imagesDir: o.imagesDir, ...(o.panopticDir ? { panopticDir: o.panopticDir } : {}) })
    // String ids come from the input (`train-12`, `000000033471`): only name characters reach the file name.
    const file = join(o.out, `${String(image.imageId).replace(/[^\w.-]/g, '_')}.png`)
    await writeFileAtomic(file, png)
    files.push(file)
    o.onProgress?.({ kind: 'progress', stage: 'previews', done: files.length, total: chosen.length })
  }
  return { files }
}
