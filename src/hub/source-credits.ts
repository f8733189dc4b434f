// What the card says about each source a corpus was built from: licence (an id the Hub's `license` field accepts),
// the licence of the images it points at, a link and the citation to use. One entry per source id, the value of the
// records' `source` (PIX2CAP_SOURCE for Pix2Cap-COCO); a new source adds one entry here.
import { PIX2CAP_SOURCE } from '../sources/pix2cap/read-pix2cap.js'

/** The credits of one source. */
export interface SourceCredit {
  name: string
  /** The Hub licence id of the annotations. */
  license: string
  /** Terms of the images (not redistributed by a corpus without --embed-images, still owed attribution). */
  imageTerms: string
  url: string
  bibtex: string
}

/** Known sources by id. */
const SOURCE_CREDITS: Record<string, SourceCredit> = {
  // Licence: the Hub dataset card of geshang/Pix2Cap-COCO says apache-2.0 (reference/pix2cap.md "Sources", HF).
  // Authors and arXiv id: reference/pix2cap.md "Sources", P2C and ABS.
  [PIX2CAP_SOURCE]: {
    name: 'Pix2Cap-COCO',
    license: 'apache-2.0',
    imageTerms:
      'COCO 2017 images (and panoptic masks): the COCO terms of use; annotations CC BY 4.0, photos under their Flickr licences (e.g. CC BY-NC 2.0), see https://cocodataset.org/#termsofuse',
    url: 'https://huggingface.co/datasets/geshang/Pix2Cap-COCO',
    bibtex: [
      '@article{you2025pix2cap,',
      '  title   = {Pix2Cap-COCO: Advancing Visual Comprehension via Pixel-Level Captioning},',
      '  author  = {You, Zuyao and Wang, Junke and Kong, Lingyu and He, Bo and Wu, Zuxuan},',
      '  journal = {arXiv preprint arXiv:2501.13893},',
      '  year    = {2025}',
      '}',
    ].join('\n'),
  },
}

/** The credits for these source ids; unknown ids get an entry that says the licence is unknown, never a guess. */
export function creditsFor(sources: readonly string[]): (SourceCredit & { id: string })[] {
  return [...new Set(sources)].sort().map((id) => ({
    id,
    ...(SOURCE_CREDITS[id] ?? { name: id, license: 'other', imageTerms: 'unknown: state the terms of this source yourself', url: '', bibtex: '' }),
  }))
}
