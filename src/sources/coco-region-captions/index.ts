// COCO-style region captions as a registered source: `images` + `annotations` with `bbox` and `caption` per region
// (GRiT/GLaMM Visual Genome test files, GPT4RoI's VG train.json; reference/gpt4roi.md §12).
import { hasKey, type SourceProbe } from '../source-probe.js'
import type { SourceDefinition } from '../source-reader.js'
import { COCO_REGION_CAPTIONS_SOURCE, readCocoRegionCaptions } from './read-coco-region-captions.js'

/** Detection: the first annotation has a `caption` string and a `bbox`, and no `segments_info`. */
async function detect(probe: SourceProbe): Promise<boolean> {
  const first = await probe.firstElement('annotations')
  return hasKey(first, 'bbox') && typeof (first as { caption?: unknown }).caption === 'string' && !hasKey(first, 'segments_info')
}

/** The COCO region-captions source. */
export const cocoRegionCaptions: SourceDefinition = {
  name: COCO_REGION_CAPTIONS_SOURCE,
  description: 'COCO-style region captions: images + annotations with bbox and caption (VG test.json/train.json of GRiT, GLaMM, GPT4RoI)',
  panopticMasks: false,
  detect,
  open: (o) => readCocoRegionCaptions(o),
}
