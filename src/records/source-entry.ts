// What a source reader yields per image: the canonical record (when the image is usable) and every region it could
// not turn into a RegionRecord, with the reason. The filter turns dropped regions into rejects, so a region the
// reader could not read is counted, never lost (ARCHITECTURE.md, corpus invariant).
import type { JsonPath } from '../errors.js'
import type { ImageId, ImageRecord, Origin } from './region-record.js'

/** A region the reader could not turn into a RegionRecord; the filter turns it into a reject (reason `invalid`/`no_image`). */
export interface DroppedRegion {
  imageId: ImageId
  segmentId?: number
  regionId?: string
  /** Set when the dropped item is an image-level conversation (counted with conversations, not regions). */
  conversationId?: string
  reason: 'invalid' | 'no_image'
  detail: string
  origin: Origin
}

/** One image as read: its record (null when the image is unknown or unusable) and its dropped regions. */
export interface SourceEntry {
  imageId: ImageId
  record: ImageRecord | null
  dropped: DroppedRegion[]
  /** JSON path of the image's own entry (e.g. `images[3]`), when there is one: checks of the photo point there. */
  imageEntryPath?: JsonPath
}
