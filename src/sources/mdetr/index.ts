// mdetr grounding files (RefCOCO, RefCOCO+, RefCOCOg, Flickr30k; final_* / finetune_*) as a registered source.
import { hasKey, type SourceProbe } from '../source-probe.js'
import type { SourceDefinition } from '../source-reader.js'
import { MDETR_SOURCE, readMdetr } from './read-mdetr.js'

/** Detection: the first annotation has a box and `tokens_positive` (character spans of the expression), no caption. */
async function detect(probe: SourceProbe): Promise<boolean> {
  const first = await probe.firstElement('annotations')
  return hasKey(first, 'bbox') && Array.isArray((first as { tokens_positive?: unknown }).tokens_positive) && !hasKey(first, 'caption') && !hasKey(first, 'segments_info')
}

/** The mdetr grounding source. */
export const mdetrGrounding: SourceDefinition = {
  name: MDETR_SOURCE,
  description: 'mdetr final_*/finetune_* grounding files: RefCOCO, RefCOCO+, RefCOCOg, Flickr30k (one entry per expression; joined per photo)',
  panopticMasks: false,
  detect,
  open: (o) => readMdetr(o),
}
