// The shared Pix2Cap sample as canonical ImageRecords, read with the project's reader (and, on request, filtered
// with the default policy), for the instruct and formats tests.
import { filterImages } from '../../src/dataset/filter-images.js'
import { DEFAULT_FILTER_POLICY } from '../../src/dataset/filter-policy.js'
import type { ImageRecord } from '../../src/records/region-record.js'
import type { RejectRecord } from '../../src/records/reject.js'
import { readPix2Cap } from '../../src/sources/pix2cap/read-pix2cap.js'
import { HAS_SHARED, PIX2CAP_SAMPLE_JSON } from './fixtures.js'

/** Every image of the shared sample with all its segments (no filtering); [] without the shared fixtures. */
export async function readSampleImages(): Promise<ImageRecord[]> {
  if (!HAS_SHARED) return []
  const out: ImageRecord[] = []
  for await (const im of readPix2Cap({ annotations: PIX2CAP_SAMPLE_JSON }).records()) out.push(im)
  return out
}

/** The sample after the default filter policy, with the filter's rejects. */
export async function readFilteredSampleImages(): Promise<{ images: ImageRecord[]; rejects: RejectRecord[] }> {
  if (!HAS_SHARED) return { images: [], rejects: [] }
  const filtered = filterImages(readPix2Cap({ annotations: PIX2CAP_SAMPLE_JSON }).entries(), DEFAULT_FILTER_POLICY)
  const images: ImageRecord[] = []
  for await (const im of filtered) images.push(im)
  return { images, rejects: filtered.rejects }
}
