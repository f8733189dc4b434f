// The source registry: a new source is one folder under sources/ plus one line here (STYLE.md §7). Detection tries
// every entry (sources/open-source.ts); each source's `detect` must say no to the others' files.
import { cocoRegionCaptions } from './coco-region-captions/index.js'
import { pix2capCoco } from './pix2cap/index.js'
import { visualGenome } from './visual-genome/index.js'
import { mdetrGrounding } from './mdetr/index.js'
import { cocoInstances } from './coco-instances/index.js'
import { llavaInstruct } from './llava-instruct/index.js'
import { vcr } from './vcr/index.js'
import type { SourceDefinition } from './source-reader.js'

/** Every source by name (the value of `--from` and the `source` of its records). */
export const SOURCES = {
  'pix2cap-coco': pix2capCoco,
  'coco-region-captions': cocoRegionCaptions,
  'visual-genome': visualGenome,
  'mdetr-grounding': mdetrGrounding,
  'coco-instances': cocoInstances,
  'llava-instruct': llavaInstruct,
  vcr,
} satisfies Record<string, SourceDefinition>

/** A registered source name. */
export type SourceName = keyof typeof SOURCES
