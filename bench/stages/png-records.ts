// Reads the synthetic PNG subset (bench/synth.ts) as canonical ImageRecords for the mask stages. A minimal mapping
// (test/helpers/minimal-pix2cap.ts): the real Pix2Cap reader lives in src/sources; this keeps the mask stages
// independent of it.
import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import type { ImageRecord } from '../../src/records/region-record.js'
import { minimalImageRecords, minimalPix2Cap, MinimalSegment } from '../../test/helpers/minimal-pix2cap.js'

const Subset = minimalPix2Cap(MinimalSegment.extend({ description: z.string() }))

/** ImageRecords of every image in a Pix2Cap-format file that joins images and annotations by image_id. */
export async function readPngSubset(file: string): Promise<ImageRecord[]> {
  const raw = Subset.parse(JSON.parse(await readFile(file, 'utf8')))
  return minimalImageRecords(raw, file, { source: 'synth', split: 'train', captions: (s) => [s.description] })
}
