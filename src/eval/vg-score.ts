// Scoring VG region captions from the per-rank result shards GPT4RoI's inference writes:
// `{results_dir}/{ckpt_basename}_vg_{rank}.json` = [{ image_id, caption }] (gpt4roi.md §12). Upstream merges EVERY file
// in the directory; we merge only files matching that pattern, in rank order, and refuse a directory that mixes
// checkpoints unless --ckpt picks one. torch's DistributedSampler pads the last ranks by repeating samples, so an image
// can appear twice: the first caption (lowest rank) is kept and the drop is counted, never silent.
import { readdir, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { z } from 'zod'
import { PixcapError } from '../errors.js'
import { readJsonFile } from '../io/input/read-json.js'
import { writeFileAtomic } from '../util/atomic-write.js'
import { sha256, sha256File } from '../util/sha256.js'
import { RawCaptionResult, readCaptionReferences, type CaptionPredictions } from './caption-files.js'
import { evaluateCaptions, writePerSampleScores, type EvaluateCaptionsOptions, type EvaluateCaptionsResult } from './evaluate-captions.js'

/** `{ckpt}_vg_{rank}.json`: the shard names upstream inference writes. */
const VG_SHARD_PATTERN = /^(?<ckpt>.+)_vg_(?<rank>\d+)\.json$/

/** A result shard found in a directory. */
export interface VgShard {
  file: string
  ckpt: string
  rank: number
}

/** Lists the shards of one checkpoint in rank order (plan as data; tested without reading shards). */
export function planVgShards(names: readonly string[], dir: string, ckpt?: string): { shards: VgShard[]; ignored: string[] } {
  const shards: VgShard[] = []
  const ignored: string[] = []
  for (const name of names) {
    const m = VG_SHARD_PATTERN.exec(name)
    if (!m?.groups || (ckpt !== undefined && m.groups.ckpt !== ckpt)) ignored.push(name)
    else shards.push({ file: join(dir, name), ckpt: m.groups.ckpt as string, rank: Number(m.groups.rank) })
  }
  const ckpts = [...new Set(shards.map((s) => s.ckpt))]
  if (ckpts.length > 1) {
    throw new PixcapError('schema', dir, [], `holds result shards of ${ckpts.length} checkpoints (${ckpts.map((c) => JSON.stringify(c)).join(', ')}); pass --ckpt to pick one`)
  }
  if (shards.length === 0) {
    throw new PixcapError('not_found', dir, [], `no result shards named {ckpt}_vg_{rank}.json${ckpt ? ` for checkpoint ${JSON.stringify(ckpt)}` : ''}`)
  }
  shards.sort((a, b) => a.rank - b.rank)
  shards.forEach((s, i) => {
    if (s.rank !== i) throw new PixcapError('not_found', dir, [], `rank ${i} is missing: found ranks ${shards.map((x) => x.rank).join(', ')}`)
  })
  return { shards, ignored }
}

/** Options of scoreVgRegionCaptions. */
export interface VgScoreOptions extends Omit<EvaluateCaptionsOptions, 'pred'> {
  /** A directory of shards or a single results file. */
  pred: string
  ckpt?: string
  /** Also write the merged results (COCO results format) here. */
  merged?: string
}

/** What scoreVgRegionCaptions reports. */
export interface VgScoreResult extends EvaluateCaptionsResult {
  /** predSha256 here is the sha256 of the merged results (the text --merged writes). */
  shards: string[]
  ignoredFiles: string[]
  duplicatesDropped: number
  mergedFile?: string
}

/** Merges the shards (or reads one file), then scores like `eval captions`. */
export async function scoreVgRegionCaptions(opts: VgScoreOptions): Promise<VgScoreResult> {
  const isDir = (await stat(opts.pred).catch((err: unknown) => {
    throw new PixcapError('not_found', opts.pred, [], 'not found', { cause: err })
  })).isDirectory()
  const { shards, ignored } = isDir
    ? planVgShards((await readdir(opts.pred)).sort(), opts.pred, opts.ckpt)
    : { shards: [{ file: opts.pred, ckpt: basename(opts.pred), rank: 0 }], ignored: [] }
  const preds: CaptionPredictions = { hyps: new Map(), ids: new Map() }
  const merged: { image_id: string | number; caption: string }[] = []
  let duplicatesDropped = 0
  for (const shard of shards) {
    const rows = await readJsonFile(shard.file, z.array(RawCaptionResult))
    for (const row of rows) {
      const key = String(row.image_id)
      if (preds.hyps.has(key)) {
        duplicatesDropped++
        continue
      }
      preds.hyps.set(key, row.caption)
      preds.ids.set(key, row.image_id)
      merged.push({ image_id: row.image_id, caption: row.caption })
    }
  }
  const [refs, refSha256] = await Promise.all([readCaptionReferences(opts.ref), sha256File(opts.ref)])
  const r = await evaluateCaptions(preds, refs, { ...opts, predFile: opts.pred })
  const mergedText = `${JSON.stringify(merged)}\n`
  if (opts.merged !== undefined) await writeFileAtomic(opts.merged, mergedText)
  if (opts.perSample !== undefined) await writePerSampleScores(opts.perSample, r.ids, r.perSample, preds)
  return {
    pred: opts.pred, ref: opts.ref, refSha256, predSha256: sha256(mergedText), tokenize: opts.tokenize ?? true,
    images: r.ids.length, missingPredictions: r.missing.length, missingExamples: r.missing.slice(0, 5),
    scores: r.scores, notComputed: r.notComputed,
    shards: shards.map((s) => s.file), ignoredFiles: ignored, duplicatesDropped,
    ...(opts.merged !== undefined ? { mergedFile: opts.merged } : {}),
    ...(opts.perSample !== undefined ? { perSampleFile: opts.perSample } : {}),
  }
}
