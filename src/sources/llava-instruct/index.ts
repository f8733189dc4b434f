// LLaVA-Instruct-150k (llava_instruct_150k.json) as a registered source: image-level conversations, no regions.
import type { SourceProbe } from '../source-probe.js'
import type { SourceDefinition } from '../source-reader.js'
import { LLAVA_INSTRUCT_SOURCE, readLlavaInstruct } from './read-llava-instruct.js'

/**
 * Detection: a top-level array whose first item has `conversations` (and `image`) as keys. Every other registered
 * source's file is a JSON object (or, VCR, JSON lines of objects), so no other source says yes to it.
 */
async function detect(probe: SourceProbe): Promise<boolean> {
  if ((await probe.topLevel()) !== 'array') return false
  const head = await probe.head()
  const firstItem = /^\s*\[\s*\{/.test(head.replace(/^\uFEFF/, ''))
  return firstItem && /"conversations"\s*:\s*\[/.test(head) && /"image"\s*:/.test(head)
}

/** The LLaVA-Instruct-150k source. */
export const llavaInstruct: SourceDefinition = {
  name: LLAVA_INSTRUCT_SOURCE,
  description: 'LLaVA-Instruct-150k (llava_instruct_150k.json): image-level conversations without regions; sizes from the photos (--images-dir)',
  panopticMasks: false,
  detect,
  open: (o) => readLlavaInstruct(o),
}
