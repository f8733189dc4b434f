// Pix2Cap-COCO as a registered source: a COCO-panoptic JSON whose segments carry `description` (reference/pix2cap.md §2).
import { hasKey, type SourceProbe } from '../source-probe.js'
import type { SourceDefinition } from '../source-reader.js'
import { PIX2CAP_SOURCE, readPix2Cap } from './read-pix2cap.js'

/** Detection: the first annotation has a `segments_info` list (COCO panoptic); its segments then must carry `description`. */
async function detect(probe: SourceProbe): Promise<boolean> {
  const first = await probe.firstElement('annotations')
  return hasKey(first, 'segments_info') && Array.isArray((first as { segments_info: unknown }).segments_info)
}

/** The Pix2Cap-COCO source. */
export const pix2capCoco: SourceDefinition = {
  name: PIX2CAP_SOURCE,
  description: 'Pix2Cap-COCO: COCO panoptic JSON with a description per segment, masks in panoptic PNGs',
  panopticMasks: true,
  detect,
  open: (o) => readPix2Cap(o),
}
