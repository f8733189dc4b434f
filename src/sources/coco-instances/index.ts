// COCO instances (object detection annotations) as a registered source.
import { hasKey, type SourceProbe } from '../source-probe.js'
import type { SourceDefinition } from '../source-reader.js'
import { COCO_INSTANCES_SOURCE, readCocoInstances } from './read-coco-instances.js'

/** Detection: the first annotation has a box, a category_id and a segmentation, and no caption or tokens_positive. */
async function detect(probe: SourceProbe): Promise<boolean> {
  const first = await probe.firstElement('annotations')
  return hasKey(first, 'bbox') && hasKey(first, 'category_id') && hasKey(first, 'segmentation') && !hasKey(first, 'caption') && !hasKey(first, 'tokens_positive') && !hasKey(first, 'segments_info')
}

/** The COCO instances source. */
export const cocoInstances: SourceDefinition = {
  name: COCO_INSTANCES_SOURCE,
  description: 'COCO instances_*.json (object detection): one region per instance, captioned with its category name (GPT4RoI coco_det)',
  panopticMasks: false,
  detect,
  open: (o) => readCocoInstances(o),
}
