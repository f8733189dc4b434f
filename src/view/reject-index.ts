// Where a rejected region lies, so the rejects page can draw it: rejects.jsonl names image and segment ids only, so
// the source annotations the manifest lists (role `annotations`, read by the source their shape names) are streamed once, on first use, keeping just the
// images that have rejects: their photo path, panoptic PNG, size and the box of every segment. A segment the reader
// itself could not parse (reason `invalid`) has no box and is listed without a drawing.
import { existsSync } from 'node:fs'
import { openSource } from '../sources/open-source.js'

/** The drawable facts of one image that has rejects. */
interface RejectImage {
  imagePath: string
  maskPath: string | null
  width: number
  height: number
  /** Pixel [x, y, w, h] by segment id. */
  boxes: Map<number, [number, number, number, number]>
}

/** Image facts by image id (as a string). */
export type RejectIndex = Map<string, RejectImage>

/** Streams the annotations and keeps the images in `imageIds`; an empty index when the file is gone. */
export async function buildRejectIndex(o: { annotations: string | null; categories?: string | null; imagesDir?: string | null; imageIds: ReadonlySet<string> }): Promise<RejectIndex> {
  const index: RejectIndex = new Map()
  if (!o.annotations || !existsSync(o.annotations) || o.imageIds.size === 0) return index
  // The images folder the corpus was converted with: sources that read sizes or metadata there need it (llava-instruct, vcr).
  const { reader } = await openSource({ annotations: o.annotations, ...(o.categories && existsSync(o.categories) ? { categories: o.categories } : {}), ...(o.imagesDir && existsSync(o.imagesDir) ? { imagesDir: o.imagesDir } : {}) })
  for await (const image of reader.records()) {
    const key = String(image.imageId)
    if (!o.imageIds.has(key)) continue
    index.set(key, {
      imagePath: image.imagePath,
      maskPath: image.maskPath ?? null,
      width: image.width,
      height: image.height,
      boxes: new Map(image.regions.map((r) => [r.segmentId, [...r.bbox] as [number, number, number, number]])),
    })
  }
  return index
}
