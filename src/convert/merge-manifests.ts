// `pixcap merge-manifests`: joins the outputs of `convert --shard-index i --num-shards n` jobs into one corpus.
// Checks first, then copies: every job must have run the same conversion (format, split, seed, inputs, templates,
// filter policy, options, pixcap version) and the job indices must cover 0..n-1 exactly once. Files are hard-linked
// (copied across file systems) after their sha256 is verified against the job's manifest; rejects.jsonl files are
// concatenated in job order; counts are summed; the merged manifest is written last.
import { createReadStream } from 'node:fs'
import { copyFile, link, mkdir, rm } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { OptionError, PixcapError, UsageError } from '../errors.js'
import { FORMATS } from '../formats/registry.js'
import type { TargetFormat } from '../formats/target-format.js'
import { sidecarDataKind } from './convert-dataset.js'
import { writeManifest, readManifest, type Manifest, type ManifestCounts, type ManifestFile } from '../io/corpus/manifest.js'
import { OutputFile } from '../io/corpus/output-file.js'
import { writeFileAtomic } from '../util/atomic-write.js'
import { sha256, sha256File } from '../util/sha256.js'

/** Options of {@link mergeManifests}. */
export interface MergeOptions {
  dirs: string[]
  outDir: string
}

/** Fields that must agree across jobs, with how to name them in errors. */
const MUST_AGREE: [keyof Manifest, string][] = [
  ['command', 'command'],
  ['format', 'format and format options'],
  ['split', 'split'],
  ['seed', 'seed'],
  ['inputs', 'inputs (paths and sha256)'],
  ['templates', 'templates (file and sha256)'],
  ['filterPolicy', 'filter policy'],
  ['options', 'options'],
  ['pixcap', 'pixcap version'],
]

function addCounts(a: ManifestCounts, b: ManifestCounts): ManifestCounts {
  const byReason = { ...a.rejectedByReason }
  for (const [k, v] of Object.entries(b.rejectedByReason) as [keyof typeof byReason, number][]) byReason[k] = (byReason[k] ?? 0) + v
  return {
    images: { in: a.images.in + b.images.in, kept: a.images.kept + b.images.kept, dropped: a.images.dropped + b.images.dropped },
    regions: {
      in: a.regions.in + b.regions.in,
      kept: a.regions.kept + b.regions.kept,
      inSamples: a.regions.inSamples + b.regions.inSamples,
      rejected: a.regions.rejected + b.regions.rejected,
    },
    ...(a.conversations || b.conversations ? { conversations: addConversationCounts(a.conversations, b.conversations) } : {}),
    rejectedByReason: byReason,
    samples: a.samples + b.samples,
  }
}

type ConversationCounts = NonNullable<ManifestCounts['conversations']>

function addConversationCounts(a: ConversationCounts | undefined, b: ConversationCounts | undefined): ConversationCounts {
  const zero = { in: 0, inSamples: 0, rejected: 0 }
  const x = a ?? zero
  const y = b ?? zero
  return { in: x.in + y.in, inSamples: x.inSamples + y.inSamples, rejected: x.rejected + y.rejected }
}

/** Checks that the job manifests form one complete conversion; returns them in index order. */
function checkJobManifests(jobs: { dir: string; file: string; manifest: Manifest }[]): { dir: string; file: string; manifest: Manifest }[] {
  if (jobs.length === 0) throw new UsageError('merge-manifests needs at least one corpus directory')
  for (const j of jobs) {
    if (j.manifest.shard === null) {
      throw new PixcapError('schema', j.file, ['shard'], 'is null: this corpus was not written by a --shard-index/--num-shards job, so there is nothing to merge')
    }
  }
  const first = jobs[0]!
  const n = first.manifest.shard!.count
  for (const j of jobs) {
    if (j.manifest.shard!.count !== n) {
      throw new PixcapError('schema', j.file, ['shard', 'count'], `job says --num-shards ${j.manifest.shard!.count}, but ${first.file} says ${n}`)
    }
    for (const [key, what] of MUST_AGREE) {
      if (!isDeepStrictEqual(j.manifest[key], first.manifest[key])) {
        throw new PixcapError(
          'schema',
          j.file,
          [key],
          `${what} differ from ${first.file}: ${JSON.stringify(j.manifest[key])} vs ${JSON.stringify(first.manifest[key])}; every job must run the same conversion`,
        )
      }
    }
  }
  const byIndex = new Map<number, string>()
  for (const j of jobs) {
    const seen = byIndex.get(j.manifest.shard!.index)
    if (seen !== undefined) throw new UsageError(`shard ${j.manifest.shard!.index} of ${n} appears twice: ${seen} and ${j.file}`)
    byIndex.set(j.manifest.shard!.index, j.file)
  }
  const missing = Array.from({ length: n }, (_, i) => i).filter((i) => !byIndex.has(i))
  if (missing.length > 0) {
    throw new OptionError(`shards ${missing.join(', ')} of 0..${n - 1} are missing (got ${[...byIndex.keys()].sort((a, b) => a - b).join(', ')}); every job of {shard.count} ${n} must be merged`)
  }
  return [...jobs].sort((a, b) => a.manifest.shard!.index - b.manifest.shard!.index)
}

async function placeFile(src: string, dest: string): Promise<void> {
  await mkdir(dirname(dest), { recursive: true })
  await rm(dest, { force: true })
  try {
    await link(src, dest)
  } catch {
    await copyFile(src, dest)
  }
}

/** Merges job corpora into `outDir`; returns the merged manifest. */
export async function mergeManifests(o: MergeOptions): Promise<{ manifestPath: string; manifest: Manifest }> {
  const out = resolve(o.outDir)
  for (const d of o.dirs) if (resolve(d) === out) throw new OptionError(`{outDir} ${o.outDir} is one of the inputs; merge into a new directory`)
  const jobs = checkJobManifests(await Promise.all(o.dirs.map(async (dir) => ({ dir, ...(await readManifest(dir)) }))))
  const first = jobs[0]!.manifest
  const format: TargetFormat | undefined = (FORMATS as Record<string, TargetFormat>)[first.format.name]

  const files: ManifestFile[] = []
  const seen = new Set<string>()
  const rejects = await OutputFile.open(join(out, 'rejects.jsonl'))
  let rejectRows = 0
  try {
    for (const job of jobs) {
      for (const f of job.manifest.files) {
        if (f.kind === 'sidecar') continue // regenerated below for the whole corpus
        const src = join(job.dir, f.file)
        const actual = await sha256File(src).catch((err: unknown) => {
          throw new PixcapError('not_found', src, [], `listed in ${job.file} but unreadable: ${(err as Error).message}`)
        })
        if (actual !== f.sha256) throw new PixcapError('schema', src, [], `sha256 ${actual} does not match ${job.file} (${f.sha256}); the file changed after its job finished`)
        if (f.kind === 'rejects') {
          for await (const chunk of createReadStream(src)) await rejects.write(chunk as Buffer)
          rejectRows += f.rows
          continue
        }
        if (seen.has(f.file)) throw new PixcapError('schema', job.file, ['files'], `${f.file} is also written by another job; job outputs must not overlap`)
        seen.add(f.file)
        await placeFile(src, join(out, f.file))
        files.push(f)
      }
    }
    files.push({ ...(await rejects.commit(join(out, 'rejects.jsonl'), rejectRows)), file: 'rejects.jsonl', kind: 'rejects' })
  } catch (err) {
    await rejects.abort()
    throw err
  }

  const counts = jobs.slice(1).reduce((acc, j) => addCounts(acc, j.manifest.counts), jobs[0]!.manifest.counts)
  if (format?.kind === 'rows' && format.sidecars) {
    const written = first.options.formats
    const primary = sidecarDataKind(Array.isArray(written) ? written.filter((x): x is string => typeof x === 'string') : [])
    const dataFiles = files.filter((f) => f.kind === primary).map((f) => f.file)
    for (const side of format.sidecars({ name: 'pix2cap_coco', splits: [{ split: first.split, rows: counts.samples, files: dataFiles }] })) {
      await writeFileAtomic(join(out, side.path), side.content)
      files.push({ file: side.path, kind: 'sidecar', rows: 0, bytes: Buffer.byteLength(side.content), sha256: sha256(side.content) })
    }
  }
  const { createdAt: _drop, ...rest } = first
  const manifest: Manifest = {
    ...rest,
    shard: null,
    mergedFrom: jobs.map((j) => ({ index: j.manifest.shard!.index, dir: j.dir })),
    counts,
    files,
  }
  return { manifestPath: await writeManifest(out, manifest), manifest }
}
