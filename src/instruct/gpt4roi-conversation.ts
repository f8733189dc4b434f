// GPT4RoI region-instruction samples, built statically (reference/gpt4roi.md §4, §5 VGDATA/DENSECOCO, §10 steps 4-6).
// GPT4RoI builds these on the fly each epoch; a static corpus fixes the shuffle, the template choice and the cap
// with a seed, and records the template ids per sample so the corpus can be rebuilt exactly.
//
// Rules kept here:
// - regions are shuffled per image with an rng seeded by deriveSeed(seed, String(imageId)), so shards agree;
// - at most `maxRegions` (GPT4RoI: max_gt_per_img = 15) per sample; an image with more becomes several samples,
//   so no region is lost (GPT4RoI itself drops the surplus each epoch);
// - region k (1-based within the sample) is introduced as `region{k} <bbox>` (§2 text convention);
// - the first human turn starts with BEGIN_STRING (§4);
// - boxes are normalised xyxy [x/W, y/H, (x+w)/W, (y+h)/H] in the order of the `<bbox>` tokens (§3: the 224x224
//   stretch makes xyxy_224/224 equal x/W, y/H); the k-th `<bbox>` gets boxes[k] (§2), so the counts must agree.
import { PixcapError } from '../errors.js'
import type { ImageRecord, RegionRecord } from '../records/region-record.js'
import type { RejectRecord } from '../records/reject.js'
import type { Rng } from '../util/rng.js'
import { fillTemplate, type Template, type TemplateSet } from './template-set.js'
import { BBOX_TOKEN, BEGIN_STRING, GPT4ROI_MAX_REGIONS } from './gpt4roi-tokens.js'
import { chooseCaption, imageRng, normaliseBox, sampleId, usableRegions, type NormBox } from './region-selection.js'

/** One conversation turn in LLaVA/GPT4RoI roles. */
export interface Turn {
  from: 'human' | 'gpt'
  value: string
}

/** What the samples ask: one region per turn (GPT4RoI VGDATA/DENSECOCO), or caption -> region. */
export type ConversationTask = 'region_caption' | 'referring'

/** Options of buildGpt4RoiConversations. */
export interface ConversationOptions {
  seed: number
  templates: TemplateSet
  /** Regions per sample (default 15, GPT4RoI's cap). */
  maxRegions?: number
  task?: ConversationTask
  /** Reject boxes with w or h <= 2 px after the 224x224 stretch, as GPT4RoI's pipeline drops them (default false). */
  dropSmall224?: boolean
  /** Draw number when a corpus holds several epochs (`--epochs`); 0 (the default) keeps the single-draw ids. */
  epoch?: number
}

/** One sample: regions in `<bbox>` order, with their chosen captions and normalised boxes. */
export interface RegionSample {
  /** `<imageId>-<chunk>`: stable across runs and shards. */
  id: string
  chunk: number
  image: ImageRecord
  regions: RegionRecord[]
  captions: string[]
  boxes: NormBox[]
  conversations: Turn[]
  /** Template id of each human turn, in turn order. */
  templateIds: string[]
}

/** Samples of one image and the regions that could not be used, each with its reason. */
export interface ConversationResult {
  samples: RegionSample[]
  rejects: RejectRecord[]
}

/** `region{k} <bbox>`: the first mention of region k (1-based), gpt4roi.md §2. */
export function regionMention(k: number): string {
  return `region${k} ${BBOX_TOKEN}`
}

/** Number of occurrences of `token` in `text`. */
export function countToken(text: string, token: string): number {
  if (token === '') return text.split(token).length - 1
  // Non-overlapping, left to right (as split counts them), without building the pieces.
  let n = 0
  for (let at = text.indexOf(token); at !== -1; at = text.indexOf(token, at + token.length)) n++
  return n
}

/** Splits `n` items into ceil(n / max) consecutive chunks whose sizes differ by at most one (no 1-region tail sample). */
export function chunkSizes(n: number, max: number): number[] {
  if (n === 0) return []
  const chunks = Math.ceil(n / max)
  const base = Math.floor(n / chunks)
  const extra = n % chunks
  return Array.from({ length: chunks }, (_, i) => base + (i < extra ? 1 : 0))
}

function pickTemplate(rng: Rng, list: readonly Template[], kind: string, file: string): Template {
  if (list.length === 0) throw new PixcapError('schema', file, [kind], `the template set has no ${kind} templates; add some or choose another task`)
  return rng.pick(list)
}

/** Throws PixcapError('invariant') unless `<bbox>` count = boxes = regions and every box is a valid normalised xyxy. */
export function checkSample(sample: RegionSample): void {
  const where = sample.image.origin
  const fail = (detail: string): never => {
    throw new PixcapError('invariant', where?.file ?? sample.image.source, where?.path ?? [], `sample ${sample.id}: ${detail}`)
  }
  const tokens = sample.conversations.reduce((n, t) => n + countToken(t.value, BBOX_TOKEN), 0)
  if (tokens !== sample.boxes.length) fail(`${tokens} "${BBOX_TOKEN}" tokens but ${sample.boxes.length} boxes; the k-th token must get boxes[k]`)
  if (sample.regions.length !== sample.boxes.length) fail(`${sample.regions.length} regions but ${sample.boxes.length} boxes`)
  sample.boxes.forEach((b, k) => {
    const ok = b.every((v) => Number.isFinite(v) && v >= 0 && v <= 1) && b[0] <= b[2] && b[1] <= b[3]
    if (!ok) fail(`boxes[${k}] = [${b.join(', ')}] is not a normalised xyxy box in [0, 1]; is the region's bbox inside the ${sample.image.width}x${sample.image.height} image?`)
  })
}

/** Builds the GPT4RoI samples of one image (pure and deterministic in (image, seed, templates, options)). */
export function buildGpt4RoiConversations(image: ImageRecord, options: ConversationOptions): ConversationResult {
  const maxRegions = options.maxRegions ?? GPT4ROI_MAX_REGIONS
  if (!Number.isInteger(maxRegions) || maxRegions < 1) throw new RangeError(`maxRegions must be a positive integer, got ${maxRegions}`)
  const task = options.task ?? 'region_caption'
  const { kept, rejects } = usableRegions(image, options)
  const rng = imageRng(options.seed, image)
  const order = rng.shuffle(kept)
  const samples: RegionSample[] = []
  let start = 0
  for (const [chunk, size] of chunkSizes(order.length, maxRegions).entries()) {
    const part = order.slice(start, start + size)
    start += size
    const captions = part.map((u) => chooseCaption(rng, u.captions))
    const sample: RegionSample = {
      id: sampleId(image.imageId, chunk, options.epoch ?? 0),
      chunk,
      image,
      regions: part.map((u) => u.region),
      captions,
      boxes: part.map((u) => normaliseBox(u.region.bbox, image.width, image.height)),
      conversations: [],
      templateIds: [],
    }
    if (task === 'region_caption') regionCaptionTurns(sample, rng, options.templates)
    else referringTurns(sample, rng, options.templates)
    checkSample(sample)
    samples.push(sample)
  }
  return { samples, rejects }
}

function regionCaptionTurns(sample: RegionSample, rng: Rng, templates: TemplateSet): void {
  sample.captions.forEach((caption, i) => {
    const tpl = pickTemplate(rng, templates.single_region, 'single_region', templates.name)
    const question = fillTemplate(tpl, { region: regionMention(i + 1) })
    sample.conversations.push({ from: 'human', value: i === 0 ? BEGIN_STRING + question : question }, { from: 'gpt', value: caption })
    sample.templateIds.push(tpl.id)
  })
}

// Referring: the first question introduces every region once (`region1 <bbox>,region2 <bbox>,...`, the comma-joined
// list of flickr30k.py); later questions name them as plain text, since later mentions carry no token (gpt4roi.md §2).
function referringTurns(sample: RegionSample, rng: Rng, templates: TemplateSet): void {
  const n = sample.regions.length
  const withTokens = Array.from({ length: n }, (_, i) => regionMention(i + 1)).join(',')
  const plain = Array.from({ length: n }, (_, i) => `region${i + 1}`).join(',')
  rng.shuffle(Array.from({ length: n }, (_, i) => i)).forEach((k, turn) => {
    const tpl = pickTemplate(rng, templates.referring, 'referring', templates.name)
    const question = fillTemplate(tpl, { region: turn === 0 ? withTokens : plain, caption: sample.captions[k] as string })
    sample.conversations.push({ from: 'human', value: turn === 0 ? BEGIN_STRING + question : question }, { from: 'gpt', value: `region${k + 1}` })
    sample.templateIds.push(tpl.id)
  })
}
