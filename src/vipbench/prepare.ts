// `pixcap vipbench prepare`: ViP-Bench -> GPT4RoI questions (reference/vipbench.md §7, Pix2Cap's
// convert_vip_to_gpt4roi.py behaviour): for each line of {split}/questions.jsonl, take the meta-data question of the
// same id, find each `<objN>` label's shape in source_image/{image_source stem}.json (a rectangle's corners or a
// polygon's bounding box), rewrite the tags to `region{N} <bbox>` and normalise the boxes by the source image size.
// The model sees the clean source image, so `image` points into source_image/.
import { join, parse as parsePath } from 'node:path'
import { z } from 'zod'
import { PixcapError } from '../errors.js'
import { BEGIN_STRING } from '../instruct/gpt4roi-tokens.js'
import { readJsonFile, readJsonlFile } from '../io/input/read-json.js'
import { checkRelativePath } from '../io/input/safe-path.js'
import type { RegionQuestion } from '../schemas/region-qa.js'
import { openAtomic } from '../util/atomic-write.js'
import { RawLabelMe, RawVipMetaFile, RawVipQuestion, type RawVipMeta } from './raw-schema.js'
import { rewriteObjTags, shapeBox, type PixelBox } from './region-tokens.js'


/** ViP-Bench splits: boxes drawn on the image, or human-drawn visual prompts (vipbench.md §2). */
export const VipSplit = z.enum(['bbox', 'human'])
export type VipSplit = z.infer<typeof VipSplit>

/**
 * One prepared question for the bridge's `infer`: the shared question line (src/schemas/region-qa.ts) with `image`
 * relative to `<root>/source_image`, plus the ViP-Bench key, `<objN>` labels and capabilities.
 */
export type VipBenchQuestion = RegionQuestion & {
  question_id: number
  key: string
  labels: string[]
  capability: string[]
  category?: string
}

/** Loads the meta-data file of a ViP-Bench root. */
export function loadVipMeta(root: string): Promise<RawVipMetaFile> {
  return readJsonFile(join(root, 'vip-bench-meta-data.json'), RawVipMetaFile)
}

/** Loads `{split}/questions.jsonl` as id -> question line. */
export async function loadVipQuestions(root: string, split: VipSplit): Promise<Map<string, RawVipQuestion>> {
  const lines = await readJsonlFile(join(root, split, 'questions.jsonl'), RawVipQuestion)
  return new Map(lines.map((q) => [`v1_${q.question_id}`, q]))
}

async function labelBoxes(root: string, meta: RawVipMeta, key: string): Promise<{ labelme: RawLabelMe; file: string }> {
  const where = { file: 'vip-bench-meta-data.json', path: [key, 'image_source'] }
  const stem = parsePath(checkRelativePath(meta.image_source, where)).name
  const file = join(root, 'source_image', `${stem}.json`)
  return { labelme: await readJsonFile(file, RawLabelMe), file }
}

/** Converts one split of ViP-Bench into GPT4RoI region questions. */
export async function prepareVipBench(opts: { root: string; split: VipSplit }): Promise<VipBenchQuestion[]> {
  const meta = await loadVipMeta(opts.root)
  const questions = await loadVipQuestions(opts.root, opts.split)
  const out: VipBenchQuestion[] = []
  for (const [key, q] of questions) {
    const m = meta[key]
    if (!m) throw new PixcapError('not_found', join(opts.root, opts.split, 'questions.jsonl'), [key], `question_id ${q.question_id} has no "${key}" entry in vip-bench-meta-data.json`)
    const { labelme, file } = await labelBoxes(opts.root, m, key)
    const boxFor = (label: string): PixelBox => {
      const shape = labelme.shapes.find((s) => s.label === label)
      if (!shape) {
        const have = labelme.shapes.map((s) => s.label).join(', ') || 'none'
        throw new PixcapError('not_found', file, ['shapes'], `no shape labelled "${label}" for ${key} (labels present: ${have})`)
      }
      return shapeBox(shape.points)
    }
    const rewritten = rewriteObjTags(m.question, boxFor, labelme.imageWidth, labelme.imageHeight)
    const image = checkRelativePath(labelme.imagePath, { file, path: ['imagePath'] })
    out.push({
      question_id: q.question_id,
      key,
      image,
      width: labelme.imageWidth,
      height: labelme.imageHeight,
      text: `${BEGIN_STRING}${rewritten.text}`,
      boxes: rewritten.boxes,
      labels: rewritten.labels,
      capability: m.capability,
      ...(q.category !== undefined ? { category: q.category } : {}),
    })
  }
  return out
}

/** Writes prepared questions as JSONL, atomically. */
export async function writeVipBenchQuestions(file: string, questions: VipBenchQuestion[]): Promise<void> {
  const out = await openAtomic(file)
  try {
    for (const q of questions) await out.write(`${JSON.stringify(q)}\n`)
    await out.commit()
  } catch (err) {
    await out.abort()
    throw err
  }
}
