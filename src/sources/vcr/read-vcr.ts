// VCR -> canonical ImageRecords, one per annotation line, each with one image-level conversation whose regions are
// the image's objects, mapped as GPT4RoI's VCRDataset maps them (jshilong/GPT4RoI gpt4roi/datasets/vcr.py,
// VCRDataset.load_annotations and __getitem__; the `vcr` entry of gpt4roi/configs/stage2.py):
//   - files: the annotation line names `img_fn` and `metadata_fn`, both under the images root (`img_prefix`;
//     `os.path.join(self.img_prefix, metadata_fn)`); the metadata's `boxes` are the regions, in object order;
//   - regions: EVERY object of the image, region{k} = object k-1 (`for i in range(num_objects): f'region{i+1} <bbox>'`);
//     its box is boxes[k-1][:4], pixel xyxy, which GPT4RoI divides by [w, h, w, h] of the photo (__getitem__);
//     here it becomes pixel [x, y, w, h] = [x1, y1, x2 - x1, y2 - y1], so formats normalise it back to x1/W ... y2/H;
//   - turns: human = the prefix listing every `region{k} <bbox>`, then question_orig; gpt = answer_orig; human = a
//     "why" question; gpt = rationale_orig (`qa_s` in load_annotations). Each object number n in the three texts
//     becomes `{objects[n-1]} at region{n}` (`replace_numbers_with_tags`, pattern `\b(\d+)\b`);
//   - the first human turn starts with `<image>\n`, which the gpt4roi format turns into GPT4RoI's begin string
//     (vcr.py __getitem__ prepends `begin_str`; formats/image-conversation.ts).
// Where pixcap differs, on purpose:
//   - upstream names object n by `class_names[int(n)]` while calling it `region{n}`; the numbers are 1-based (the
//     same file's SingleVCRDataset and MultiVCRDataset index `bboxes[q_digits - 1]` and `class_names[index - 1]`),
//     so upstream names the NEXT object; pixcap names objects[n-1], the object region{n} is;
//   - an annotation with a number that names no object (0, or past the object count) is skipped upstream (the
//     IndexError inside replace_numbers_with_tags returns None); here it is a reject with reason `invalid`, so the
//     manifest counts it;
//   - a box past the photo's edge is clamped to it (GPT4RoI feeds it as is; normalised boxes must lie in [0, 1]);
//   - the prefix and "why" phrases are pixcap's own wording (vcr-phrasing.ts).
// The stage-2 config reads the same file through single_vcr and multi_vcr too: where those loaders use a line, its
// record carries their conversation as well (vcr-variants.ts), with id `<annot_id>:single` / `<annot_id>:multi`.
import { basename, dirname, join } from 'node:path'
import { stat } from 'node:fs/promises'
import { PixcapError, type JsonPath } from '../../errors.js'
import { readJsonFileSync } from '../../io/input/read-json-sync.js'
import { readJsonlLines } from '../../io/input/jsonl-lines.js'
import { checkRelativePath, resolveInside } from '../../io/input/safe-path.js'
import { BBOX_TOKEN } from '../../instruct/gpt4roi-tokens.js'
import { addSourceIssue, IMAGE_TOKEN, regionIdOf, type DroppedRegion, type RegionRecord, type SourceEntry, type SourceReport } from '../../records/index.js'
import { parseWithProblems } from '../../util/zod-issues.js'
import type { OpenSourceOptions, SourceReader } from '../source-reader.js'
import { onePassReader } from '../one-pass-reader.js'
import { isRawVcrAnnotation, RawVcrAnnotation, RawVcrMetadata } from './raw-schema.js'
import { phraseFor, VCR_PREFIXES, VCR_WHY_QUESTIONS } from './vcr-phrasing.js'
import { vcrVariant } from './vcr-variants.js'

/** The `source` of every record this reader produces. */
export const VCR_SOURCE = 'vcr'

/** GPT4RoI's layout: `./data/vcr/train.jsonl` beside `./data/vcr/vcr1images` (gpt4roi/configs/stage2.py). */
export const VCR_IMAGES_FOLDER = 'vcr1images'

/** Metadata files kept parsed at once (an image's questions are adjacent lines in VCR's files). */
const METADATA_CACHE = 256

/** `text` with each object number n as `{objects[n-1]} at region{n}`, or the first number that names no object. */
export function tagObjectNumbers(text: string, objects: readonly string[]): { text: string } | { bad: number } {
  let bad: number | undefined
  const out = text.replace(/\b(\d+)\b/g, (m) => {
    const n = Number(m)
    const name = n >= 1 ? objects[n - 1] : undefined
    if (name === undefined) {
      bad ??= n
      return m
    }
    return `${name} at region${n}`
  })
  return bad === undefined ? { text: out } : { bad }
}

/** Opens a VCR annotation file; nothing is read until iterated. */
export function readVcr(options: OpenSourceOptions): SourceReader {
  return onePassReader(VCR_SOURCE, options, readEntries)
}

type Metadata = { ok: RawVcrMetadata } | { reason: DroppedRegion['reason']; detail: string }

async function* readEntries(options: OpenSourceOptions, split: string, report: SourceReport): AsyncGenerator<SourceEntry> {
  const file = options.annotations
  const originFile = basename(file)
  const imagesDir = options.imagesDir ?? join(dirname(file), VCR_IMAGES_FOLDER)
  const c = report.counts
  const metadata = new Map<string, Metadata>()
  const images = new Set<string>()
  const loadMetadata = (rel: string, where: JsonPath): Metadata => {
    const known = metadata.get(rel)
    if (known) return known
    let result: Metadata
    try {
      const abs = resolveInside(imagesDir, rel, { file, path: where })
      result = { ok: readJsonFileSync(abs, RawVcrMetadata) }
    } catch (err) {
      if (!(err instanceof PixcapError)) throw err
      result = { reason: err.code === 'not_found' ? 'no_image' : 'invalid', detail: err.code === 'path_escape' ? err.detail : `metadata ${err.message}` }
    }
    if (metadata.size >= METADATA_CACHE) metadata.clear()
    metadata.set(rel, result)
    return result
  }
  for await (const { line, value } of readJsonlLines(file)) {
    const at = `line ${line}`
    c.annotations++
    c.segments++
    options.onProgress?.({ kind: 'progress', stage: 'lines', done: c.annotations })
    const o = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {}
    const rawId = typeof o.annot_id === 'string' && o.annot_id !== '' ? o.annot_id : at
    const rawImage = typeof o.img_id === 'string' && o.img_id !== '' ? o.img_id : typeof o.img_fn === 'string' && o.img_fn !== '' ? o.img_fn : at
    const drop = (reason: DroppedRegion['reason'], path: JsonPath, detail: string): SourceEntry => {
      c.droppedSegments++
      addSourceIssue(report, { kind: reason === 'no_image' ? 'missing_metadata' : 'invalid_annotation', severity: 'error', path: [...path], imageId: rawImage, detail })
      return { imageId: rawImage, record: null, dropped: [{ imageId: rawImage, conversationId: rawId, reason, detail, origin: { file: originFile, path: [...path] } }] }
    }
    const parsed = isRawVcrAnnotation(value) ? { ok: true as const, data: value } : parseWithProblems(RawVcrAnnotation, value, [at])
    if (!parsed.ok) {
      const first = parsed.problems[0]
      yield drop('invalid', first?.path ?? [at], first?.detail ?? 'does not match a VCR annotation')
      continue
    }
    const ann = parsed.data
    let imagePath: string
    try {
      imagePath = checkRelativePath(ann.img_fn, { file, path: [at, 'img_fn'] })
    } catch (err) {
      if (!(err instanceof PixcapError)) throw err
      yield drop('invalid', err.path, err.detail)
      continue
    }
    const meta = loadMetadata(ann.metadata_fn, [at, 'metadata_fn'])
    if (!('ok' in meta)) {
      yield drop(meta.reason, [at, 'metadata_fn'], meta.detail)
      continue
    }
    const { boxes, width, height } = meta.ok
    if (boxes.length !== ann.objects.length) {
      yield drop('invalid', [at, 'objects'], `${ann.objects.length} objects but ${boxes.length} boxes in ${ann.metadata_fn}; region{k} must be object k and box k`)
      continue
    }
    const texts = { question_orig: ann.question_orig, answer_orig: ann.answer_orig, rationale_orig: ann.rationale_orig }
    const tagged: Partial<Record<keyof typeof texts, string>> = {}
    let badText: SourceEntry | undefined
    for (const [key, text] of Object.entries(texts) as [keyof typeof texts, string][]) {
      const t = tagObjectNumbers(text, ann.objects)
      if ('bad' in t) {
        badText = drop('invalid', [at, key], `number ${t.bad} names no object (the image has ${ann.objects.length}: 1..${ann.objects.length}); GPT4RoI's vcr.py skips such annotations`)
        break
      }
      if (t.text.includes(BBOX_TOKEN) || t.text.includes(IMAGE_TOKEN)) {
        badText = drop('invalid', [at, key], `holds "${BBOX_TOKEN}" or "${IMAGE_TOKEN}", which would bind to no region or image`)
        break
      }
      tagged[key] = t.text
    }
    if (badText) {
      yield badText
      continue
    }
    const imageId = ann.img_id ?? imagePath
    const metaOrigin = basename(ann.metadata_fn)
    const regions: RegionRecord[] = boxes.map((b, k) => {
      const x1 = Math.min(Math.max(b[0]!, 0), width)
      const y1 = Math.min(Math.max(b[1]!, 0), height)
      const w = Math.min(Math.max(b[2]!, 0), width) - x1
      const h = Math.min(Math.max(b[3]!, 0), height) - y1
      return {
        regionId: regionIdOf(imageId, k),
        segmentId: k,
        // VCR objects carry a class name and no category id.
        categoryId: -1,
        category: ann.objects[k]!,
        isThing: true,
        isCrowd: false,
        bbox: [x1, y1, Math.max(w, 0), Math.max(h, 0)],
        area: Math.max(w, 0) * Math.max(h, 0),
        captions: [],
        origin: { file: metaOrigin, path: ['boxes', k] },
      }
    })
    const mentions = regions.map((_, k) => `region${k + 1} ${BBOX_TOKEN}`).join(',')
    const prefix = phraseFor(VCR_PREFIXES, rawId, 'prefix').replace('{regions}', mentions)
    const conversationId = ann.annot_id ?? `${originFile}:${line}`
    const origin = { file: originFile, path: [at] }
    const variant = vcrVariant(ann, phraseFor(VCR_WHY_QUESTIONS, rawId, 'why-variant'))
    const variants = variant
      ? [{ id: `${conversationId}:${variant.kind}`, turns: variant.turns.map((t, i) => (i === 0 ? { ...t, value: `${IMAGE_TOKEN}\n${t.value}` } : t)), regions: variant.objects.map((k) => regions[k]!), origin }]
      : []
    if (!images.has(imagePath)) {
      images.add(imagePath)
      c.images++
    }
    c.records++
    yield {
      imageId,
      record: {
        source: VCR_SOURCE,
        split,
        imageId,
        imagePath,
        width,
        height,
        regions: [],
        conversations: [
          {
            id: conversationId,
            turns: [
              { from: 'human', value: `${IMAGE_TOKEN}\n${prefix} ${tagged.question_orig}` },
              { from: 'gpt', value: tagged.answer_orig! },
              { from: 'human', value: phraseFor(VCR_WHY_QUESTIONS, rawId, 'why') },
              { from: 'gpt', value: tagged.rationale_orig! },
            ],
            regions,
            origin,
          },
          ...variants,
        ],
        origin,
      },
      dropped: [],
      imageEntryPath: [at],
    }
  }
  report.bytesRead = (await stat(file)).size
  report.complete = true
}
