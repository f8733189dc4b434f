// Visual Genome region_descriptions.json (+ image_data.json beside it) as a registered source.
import type { SourceProbe } from '../source-probe.js'
import type { SourceDefinition } from '../source-reader.js'
import { readVisualGenome, VISUAL_GENOME_SOURCE } from './read-visual-genome.js'

/** Detection: a top-level array whose first entry has `regions` holding `phrase` and `region_id`. */
async function detect(probe: SourceProbe): Promise<boolean> {
  if ((await probe.topLevel()) !== 'array') return false
  const head = await probe.head()
  return /^\s*\[\s*\{/.test(head) && head.includes('"regions"') && head.includes('"phrase"') && head.includes('"region_id"')
}

/** The Visual Genome region-descriptions source. */
export const visualGenome: SourceDefinition = {
  name: VISUAL_GENOME_SOURCE,
  description: 'Visual Genome region_descriptions.json (phrase + box per region), sizes from image_data.json beside it',
  panopticMasks: false,
  detect,
  open: (o) => readVisualGenome(o),
}
