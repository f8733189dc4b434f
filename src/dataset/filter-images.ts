// Applies a FilterPolicy to a stream of images: kept images (with their kept regions) stream on, every dropped region
// becomes a RejectRecord with a reason code and a human detail, and regions in = kept + rejected is checked at the end
// (ARCHITECTURE.md, corpus invariant). Segments the reader could not use (SourceEntry.dropped) become rejects too.
import { PixcapError } from '../errors.js'
import type { ImageRecord, RegionRecord, RejectReason, RejectRecord, SourceEntry } from '../records/index.js'
import { MARK_LEFTOVER } from './caption-checks.js'
import { charLength, MIN_CAPTION_CHARS, type FilterPolicy } from './filter-policy.js'

/** Counts of one filter run; `rejected` is by reason. */
export interface FilterCounts {
  imagesIn: number
  imagesKept: number
  /** Images with no region left (or none to begin with): not passed on. */
  imagesDropped: number
  regionsIn: number
  regionsKept: number
  /** Regions rejected (regions in = kept + rejectedTotal). */
  rejectedTotal: number
  /** Rejects by reason, conversations included. */
  rejected: Partial<Record<RejectReason, number>>
  /** Image-level conversations (records/region-record.ts ImageConversation): in = kept + rejected. */
  conversationsIn: number
  conversationsKept: number
  conversationsRejected: number
}

/** Options of filterImages. */
export interface FilterImagesOptions {
  /** Receives every reject in order (e.g. a rejects writer). Without it, rejects are kept in `rejects`. */
  onReject?: (reject: RejectRecord) => void | Promise<void>
}

/** The filtered stream: iterate it once; `counts` is final (and the invariant checked) when iteration ends. */
export interface FilteredImages extends AsyncIterable<ImageRecord> {
  counts: FilterCounts
  /** Collected rejects when no `onReject` was given. */
  rejects: RejectRecord[]
}

/** charLength(s) >= n, without walking s when its UTF-16 length decides it (a code point is 1 or 2 units). */
function hasAtLeastChars(s: string, n: number): boolean {
  if (s.length < n) return false
  if (s.length >= 2 * n) return true
  return charLength(s) >= n
}

/**
 * The common case without allocating: every caption is long enough, not too long, and (when asked) free of set-of-mark
 * labels, so the region is kept as it is. The same tests as the general path of checkRegion below.
 */
function everyCaptionPasses(captions: readonly string[], policy: FilterPolicy, minChars: number): boolean {
  if (captions.length === 0) return false
  for (let i = 0; i < captions.length; i++) {
    const c = captions[i]!
    if (!hasAtLeastChars(c.trim(), minChars)) return false
    if (!(c.length <= policy.maxCaptionChars || charLength(c.trim()) <= policy.maxCaptionChars)) return false
    if (policy.dropMarkLeftovers && MARK_LEFTOVER.test(c)) return false
  }
  return true
}

/** Why a region fails the per-region rules, or null when it is kept (captions possibly reduced). */
export function checkRegion(
  region: RegionRecord,
  policy: FilterPolicy,
  image?: { width: number; height: number },
): { keep: RegionRecord } | { reason: RejectReason; detail: string } {
  if (policy.dropCrowd && region.isCrowd) {
    return { reason: 'crowd', detail: `iscrowd segment (${region.category}); crowd segments are dropped by default (--keep-crowd keeps them)` }
  }
  // Indexed, not destructured: outside optimised code an array pattern runs the iterator protocol, and this runs for
  // every region (an allocation profile put ~87 MB per 167k-region conversion here, most of it avoidable).
  const bbox = region.bbox
  const w = bbox[2]!
  const h = bbox[3]!
  if (region.area <= 0 || w < policy.minBoxSide || h < policy.minBoxSide) {
    const why = region.area <= 0 ? `area ${region.area} <= 0` : `a side below --min-box-side ${policy.minBoxSide}`
    return { reason: 'tiny_box', detail: `bbox ${JSON.stringify(region.bbox)} (w ${w}, h ${h}) has ${why}` }
  }
  // A box past the image cannot be normalised to [0, 1] (every format's boxes are); one such box is this region's
  // reject, not the end of the conversion.
  if (image) {
    const x = bbox[0]!
    const y = bbox[1]!
    if (x < 0 || y < 0 || x + w > image.width || y + h > image.height) {
      const where = x < 0 || y < 0 ? `starts at (${x}, ${y}), outside the image` : x + w > image.width ? `ends at x=${x + w} > image width ${image.width}` : `ends at y=${y + h} > image height ${image.height}`
      return { reason: 'box_outside_image', detail: `bbox ${JSON.stringify(region.bbox)} ${where}` }
    }
  }
  const minChars = Math.max(1, policy.minCaptionChars)
  if (everyCaptionPasses(region.captions, policy, minChars)) return { keep: region }
  const kept = region.captions.filter((c) => hasAtLeastChars(c.trim(), minChars))
  if (kept.length === 0) {
    const nonEmpty = region.captions.filter((c) => c.trim() !== '')
    if (nonEmpty.length === 0) {
      return { reason: 'empty_caption', detail: region.captions.length === 0 ? 'no caption' : `description ${JSON.stringify(region.captions.length === 1 ? region.captions[0] : region.captions)} is empty` }
    }
    return {
      reason: 'short_caption',
      detail: `every caption is shorter than --min-caption-chars ${policy.minCaptionChars}: ${nonEmpty.map((c) => `${JSON.stringify(c)} (${charLength(c.trim())})`).join(', ')}`,
    }
  }
  const notLong = kept.filter((c) => c.length <= policy.maxCaptionChars || charLength(c.trim()) <= policy.maxCaptionChars)
  if (notLong.length === 0) {
    return { reason: 'long_caption', detail: `every caption is longer than --max-caption-chars ${policy.maxCaptionChars}: ${kept.map((c) => `${JSON.stringify(c.slice(0, 40))}... (${charLength(c.trim())})`).join(', ')}` }
  }
  const clean = policy.dropMarkLeftovers ? notLong.filter((c) => !MARK_LEFTOVER.test(c)) : notLong
  if (clean.length === 0) {
    return { reason: 'mark_leftover', detail: `every caption names a set-of-mark label (--drop-mark-leftovers): ${notLong.map((c) => `"${MARK_LEFTOVER.exec(c)?.[0]}"`).join(', ')}` }
  }
  return { keep: clean.length === region.captions.length ? region : { ...region, captions: clean } }
}

/**
 * The X-Decoder whole-image rule: the first segment with `description == ''` or `len(description) < 3`, where len is
 * Python's (items of a list). Records hold captions as a list, so one caption is read as the string it most often
 * was; a one-element list in the source is therefore judged by its string (the loader would drop it: len 1 < 3).
 */
export function xdecoderImageRuleHit(image: ImageRecord): RegionRecord | null {
  for (const region of image.regions) {
    const c = region.captions
    const pyLen = c.length === 1 ? charLength(c[0]!) : c.length
    if ((c.length === 1 && c[0] === '') || pyLen < MIN_CAPTION_CHARS) return region
  }
  return null
}

function toSourceEntry(item: ImageRecord | SourceEntry): SourceEntry {
  return 'record' in item && 'dropped' in item ? item : { imageId: item.imageId, record: item, dropped: [] }
}

/** Filters `images` (records, or reader entries carrying dropped segments) by `policy`. */
export function filterImages(
  images: AsyncIterable<ImageRecord | SourceEntry> | Iterable<ImageRecord | SourceEntry>,
  policy: FilterPolicy,
  options: FilterImagesOptions = {},
): FilteredImages {
  const counts: FilterCounts = { imagesIn: 0, imagesKept: 0, imagesDropped: 0, regionsIn: 0, regionsKept: 0, rejectedTotal: 0, rejected: {}, conversationsIn: 0, conversationsKept: 0, conversationsRejected: 0 }
  const rejects: RejectRecord[] = []
  const emit = async (reject: RejectRecord): Promise<void> => {
    if (reject.conversationId !== undefined) counts.conversationsRejected++
    else counts.rejectedTotal++
    counts.rejected[reject.reason] = (counts.rejected[reject.reason] ?? 0) + 1
    if (options.onReject) await options.onReject(reject)
    else rejects.push(reject)
  }
  const rejectRegion = (source: string, imageId: ImageRecord['imageId'], r: RegionRecord, reason: RejectReason, detail: string) =>
    emit({ source, imageId, segmentId: r.segmentId, regionId: r.regionId, reason, detail, ...(r.origin ? { origin: r.origin } : {}) })

  async function* run(): AsyncGenerator<ImageRecord> {
    let source = 'unknown'
    for await (const item of images) {
      const { record, dropped, imageId } = toSourceEntry(item)
      if (record) source = record.source
      const droppedConversations = dropped.filter((d) => d.conversationId !== undefined).length
      counts.regionsIn += dropped.length - droppedConversations + (record?.regions.length ?? 0)
      counts.conversationsIn += droppedConversations + (record?.conversations?.length ?? 0)
      for (const d of dropped) {
        await emit({
          source: record?.source ?? source,
          imageId: d.imageId,
          ...(d.segmentId !== undefined ? { segmentId: d.segmentId } : {}),
          ...(d.regionId !== undefined ? { regionId: d.regionId } : {}),
          ...(d.conversationId !== undefined ? { conversationId: d.conversationId } : {}),
          reason: d.reason,
          detail: d.detail,
          origin: d.origin,
        })
      }
      if (!record) continue
      counts.imagesIn++
      const ruleOn = policy.imageRule === 'xdecoder-all' || (policy.imageRule === 'xdecoder-train' && record.split === 'train')
      const hit = ruleOn ? xdecoderImageRuleHit(record) : null
      if (hit) {
        const c = hit.captions
        const what = c.length === 1 ? `${JSON.stringify(c[0])} (${c[0] === '' ? 'empty' : `len ${charLength(c[0]!)} < ${MIN_CAPTION_CHARS}`})` : `a list of ${c.length} captions (Python len ${c.length} < ${MIN_CAPTION_CHARS})`
        const why = `image ${imageId} dropped by --image-rule ${policy.imageRule}: segment ${hit.segmentId} has description ${what}`
        for (const r of record.regions) await rejectRegion(record.source, imageId, r, 'image_rule', why)
        counts.imagesDropped++
        continue
      }
      const kept: RegionRecord[] = []
      for (const r of record.regions) {
        const verdict = checkRegion(r, policy, record)
        if ('keep' in verdict) kept.push(verdict.keep)
        else await rejectRegion(record.source, imageId, r, verdict.reason, verdict.detail)
      }
      // Conversations pass the filter whole: the caption rules are about captioned regions, which they are not.
      const conversations = record.conversations?.length ?? 0
      if (kept.length === 0 && conversations === 0) {
        counts.imagesDropped++
        continue
      }
      counts.imagesKept++
      counts.regionsKept += kept.length
      counts.conversationsKept += conversations
      yield kept.length === record.regions.length && kept.every((r, i) => r === record.regions[i]) ? record : { ...record, regions: kept }
    }
    if (counts.regionsIn !== counts.regionsKept + counts.rejectedTotal) {
      throw new PixcapError(
        'invariant',
        source,
        [],
        `regions in (${counts.regionsIn}) != regions kept (${counts.regionsKept}) + rejected (${counts.rejectedTotal}); a region was lost or counted twice`,
      )
    }
    if (counts.conversationsIn !== counts.conversationsKept + counts.conversationsRejected) {
      throw new PixcapError('invariant', source, [], `conversations in (${counts.conversationsIn}) != kept (${counts.conversationsKept}) + rejected (${counts.conversationsRejected}); a conversation was lost or counted twice`)
    }
  }

  let started = false
  return {
    counts,
    rejects,
    [Symbol.asyncIterator]() {
      // Counts accumulate over one pass; a second pass over a spent input would corrupt them.
      if (started) throw new Error('filterImages: the result can be iterated only once')
      started = true
      return run()
    },
  }
}
