// VCR as GPT4RoI reads it (train.jsonl + per-image metadata under vcr1images/) as a registered source.
import type { SourceProbe } from '../source-probe.js'
import type { SourceDefinition } from '../source-reader.js'
import { readVcr, VCR_SOURCE } from './read-vcr.js'

/**
 * Detection: JSON lines whose first line is an object with `img_fn` and `metadata_fn` (VCR's own keys). The other
 * sources' files are one JSON value (an object, or LLaVA-Instruct's array), whose first line never parses alone as
 * an object with these keys.
 */
async function detect(probe: SourceProbe): Promise<boolean> {
  if ((await probe.topLevel()) !== 'object') return false
  const head = (await probe.head()).replace(/^\uFEFF/, '')
  const firstLine = head.slice(0, head.indexOf('\n') >= 0 ? head.indexOf('\n') : head.length).trim()
  let value: unknown
  try {
    value = JSON.parse(firstLine)
  } catch {
    return false
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  return 'img_fn' in value && 'metadata_fn' in value
}

/** The VCR source. */
export const vcr: SourceDefinition = {
  name: VCR_SOURCE,
  description: 'VCR as GPT4RoI reads it: train.jsonl (Q, A, rationale per line) + per-image metadata (boxes) under vcr1images/ (or --images-dir)',
  panopticMasks: false,
  detect,
  open: (o) => readVcr(o),
}
