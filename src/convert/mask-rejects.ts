// --verify-masks: checks each kept image's panoptic PNG (verifyMasks, src/io/png/verify-masks.ts) and turns disagreements
// into rejects, so a corpus never carries a box the pixels contradict. A segment absent from the PNG, or an image
// whose PNG is missing, gives `missing_in_png`; a wrong bbox/area, an unreadable PNG or a PNG of the wrong size gives
// `mask_mismatch`. PNG ids that the JSON does not list are not regions, so they reject nothing.
import type { ImageRecord, RegionRecord, RejectReason, RejectRecord } from '../records/index.js'
import { verifyMasks, type MaskIssue } from '../io/png/verify-masks.js'

const REGION_REASON: Partial<Record<MaskIssue['kind'], RejectReason>> = {
  segment_not_in_png: 'missing_in_png',
  bbox_mismatch: 'mask_mismatch',
  area_mismatch: 'mask_mismatch',
}
const IMAGE_REASON: Partial<Record<MaskIssue['kind'], RejectReason>> = {
  png_missing: 'missing_in_png',
  png_unreadable: 'mask_mismatch',
  size_mismatch: 'mask_mismatch',
}

/** Counts of what the mask check removed. */
export interface MaskRejectCounts {
  regions: number
  /** Images left with no region. */
  images: number
}

/** Passes on each image with the regions its PNG confirms; every other region goes to `onReject`. */
export async function* withMaskChecks(
  images: AsyncIterable<ImageRecord>,
  panopticDir: string,
  onReject: (r: RejectRecord) => Promise<void>,
  counts: MaskRejectCounts,
): AsyncGenerator<ImageRecord> {
  const pending: ImageRecord[] = []
  const feed = (async function* () {
    for await (const image of images) {
      pending.push(image)
      yield image
    }
  })()
  for await (const check of verifyMasks(feed, { panopticDir })) {
    const image = pending.shift()!
    const reject = (r: RegionRecord, reason: RejectReason, detail: string) =>
      onReject({ source: image.source, imageId: image.imageId, segmentId: r.segmentId, regionId: r.regionId, reason, detail, ...(r.origin ? { origin: r.origin } : {}) })
    const imageIssue = check.issues.find((i) => IMAGE_REASON[i.kind] !== undefined)
    const bySegment = new Map<number, MaskIssue[]>()
    for (const issue of check.issues) {
      if (issue.segmentId !== undefined && REGION_REASON[issue.kind] !== undefined) bySegment.set(issue.segmentId, [...(bySegment.get(issue.segmentId) ?? []), issue])
    }
    const kept: RegionRecord[] = []
    for (const region of image.regions) {
      const issues = bySegment.get(region.segmentId)
      if (imageIssue) await reject(region, IMAGE_REASON[imageIssue.kind]!, imageIssue.message)
      else if (issues) await reject(region, REGION_REASON[issues[0]!.kind]!, issues.map((i) => i.message).join('; '))
      else {
        kept.push(region)
        continue
      }
      counts.regions++
    }
    if (kept.length === 0) {
      counts.images++
      continue
    }
    yield kept.length === image.regions.length ? image : { ...image, regions: kept }
  }
}
