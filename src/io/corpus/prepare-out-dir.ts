// Before a corpus is written into a folder: a folder that already holds a corpus is refused, unless the caller asks
// to overwrite it, and then exactly the files its manifest lists (and the manifest) are removed, never other files.
// Without this, a second `convert` into the same folder left the first run's arrow/ and jsonl/ files beside the new
// ones, and the new manifest did not mention them.
// Crash safety (issue 17, finding 1): the caller holds the folder's lock (io/corpus-lock.ts) first. The old manifest
// is removed BEFORE its data, so a crash mid-way never leaves a manifest beside a mix of two corpora; the files being
// removed are journaled in the lock first. `.incomplete` files (no live writer can own them: we hold the lock) are
// swept and reported; a dead writer's journal is resumed (--resume) or cleaned up (--overwrite).
import { readdir, rm, stat } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import { z } from 'zod'
import { PixcapError } from '../../errors.js'
import { INCOMPLETE_SUFFIX } from '../../util/atomic-write.js'
import { failpoint } from '../../util/failpoint.js'
import { sha256File } from '../../util/sha256.js'
import { LOCK_FILE, type CorpusLockRecord, type HeldCorpusLock, type JournaledShard } from './corpus-lock.js'
import { plannedRealPath, type InputLocation } from '../input/outputs-over-inputs.js'
import { readJsonFile } from '../input/read-json.js'
import { resolveInside } from '../input/safe-path.js'
import { MANIFEST_FILE } from './manifest.js'
import type { BatchSize } from './shards.js'

/** Folders and files inside a corpus that only a corpus writer puts there (ARCHITECTURE.md "A corpus on disk"). */
export const CORPUS_DIRS = ['data', 'arrow', 'jsonl', 'json', 'vip']
const CORPUS_FILES = ['rejects.jsonl', MANIFEST_FILE]

/** Only what is needed to know which files a previous manifest wrote. */
const ListedFiles = z.object({ files: z.array(z.object({ file: z.string() })) })

/** What {@link prepareOutDir} did. */
export interface PreparedOutDir {
  /** Files removed (corpus-relative), with --overwrite. */
  removed: string[]
  /** `.incomplete` files of an interrupted writer that were removed (corpus-relative). */
  swept: string[]
  /** With --resume: the dead writer's finished shards that passed their checksum, and the batch sizes up to them. */
  resumed?: { shards: JournaledShard[]; batches: BatchSize[] }
  /** The writer that died while writing this folder, when there was one. */
  deadWriter?: { pid: number; host: string; startedAt: string; command: string }
}

/** Options of {@link prepareOutDir}. */
export interface PrepareOutDirOptions {
  overwrite?: boolean
  /** Continue a dead writer's conversion when its lock's key equals this one (the same inputs and options). */
  resumeKey?: string
  /** The lock this process holds on the folder (journals what is removed). */
  lock?: HeldCorpusLock
  /** The lock of a writer that died while writing the folder (from acquireCorpusLock). */
  dead?: CorpusLockRecord
  /** Inputs of the command: a file the old manifest lists is not removed when it is one of them. */
  inputs?: readonly InputLocation[]
}

async function filesUnder(root: string, dir: string): Promise<string[]> {
  let entries
  try {
    entries = await readdir(join(root, dir), { withFileTypes: true, recursive: true })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
  return entries.filter((e) => !e.isDirectory()).map((e) => relative(root, join(e.parentPath ?? e.path, e.name)).split(sep).join('/'))
}

const show = (files: readonly string[]): string => `${files.slice(0, 5).join(', ')}${files.length > 5 ? ` and ${files.length - 5} more` : ''}`
const exists = (p: string): Promise<boolean> => stat(p).then(() => true, () => false)

/** `.incomplete` files in the folder's top level and in its corpus folders (corpus-relative). */
async function incompleteFiles(outDir: string): Promise<string[]> {
  const top = (await readdir(outDir, { withFileTypes: true })).filter((e) => !e.isDirectory()).map((e) => e.name)
  const nested = (await Promise.all(CORPUS_DIRS.map((d) => filesUnder(outDir, d)))).flat()
  return [...top, ...nested].filter((f) => f.endsWith(INCOMPLETE_SUFFIX))
}

/** The prefix of a dead writer's finished shards whose files are all there with their journaled size and sha256. */
async function verifiedShards(outDir: string, shards: readonly JournaledShard[]): Promise<JournaledShard[]> {
  const kept: JournaledShard[] = []
  for (const shard of shards) {
    for (const f of shard.files) {
      const abs = resolveInside(outDir, f.tmp, { file: join(outDir, LOCK_FILE), path: ['shards', kept.length, 'files'] })
      const size = await stat(abs).then((s) => s.size, () => -1)
      if (size !== f.bytes || (await sha256File(abs)) !== f.sha256) return kept
    }
    kept.push(shard)
  }
  return kept
}

async function removeAll(outDir: string, rel: readonly string[], lockFile: string): Promise<string[]> {
  const removed: string[] = []
  for (const [i, f] of rel.entries()) {
    const abs = resolveInside(outDir, f, { file: lockFile, path: ['files', i] })
    if (await exists(abs)) removed.push(f)
    await rm(abs, { force: true })
  }
  return removed
}

/**
 * Checks `outDir` before a corpus is written into it (the caller holds its lock). Refuses a folder that holds a
 * corpus (a manifest, or files in data/, arrow/, jsonl/, json/, rejects.jsonl) unless `overwrite`; with `overwrite`,
 * removes the manifest first, then the files it lists, and refuses (removing nothing) when corpus files are there
 * that it does not list. `.incomplete` files are swept. A dead writer's leftovers need `resumeKey` (its finished
 * shards are kept when their checksums hold) or `overwrite` (removed), unless they are only temporary files.
 */
export async function prepareOutDir(outDir: string, o: PrepareOutDirOptions = {}): Promise<PreparedOutDir> {
  let s
  try {
    s = await stat(outDir)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { removed: [], swept: [] }
    throw new PixcapError('io', outDir, [], `cannot use the output folder: ${(err as Error).message}`, { cause: err })
  }
  if (!s.isDirectory()) throw new PixcapError('io', outDir, [], 'the output path exists and is not a folder')
  const lockFile = join(outDir, LOCK_FILE)
  const manifestPath = join(outDir, MANIFEST_FILE)
  const hasManifest = await exists(manifestPath)
  const dead = o.dead
  const deadWriter = dead ? { deadWriter: { pid: dead.pid, host: dead.host, startedAt: dead.startedAt, command: dead.command } } : {}
  const who = dead ? `a pixcap ${dead.command} (pid ${dead.pid} on ${dead.host || '?'}, started ${dead.startedAt})` : ''
  const incomplete = await incompleteFiles(outDir)
  const sweep = async (keep: ReadonlySet<string> = new Set()): Promise<string[]> => {
    const gone = incomplete.filter((f) => !keep.has(f))
    for (const f of gone) await rm(join(outDir, f), { force: true })
    return gone
  }

  // A dead writer's journal, and no manifest: the folder is a half-written corpus (a manifest is only ever written
  // last, over a whole corpus, and the old one is removed first).
  if (dead && !hasManifest) {
    const leftovers = [...new Set([...dead.removing, ...dead.committing])]
    const canResume = o.resumeKey !== undefined && dead.key === o.resumeKey
    if (o.resumeKey !== undefined && !canResume && !o.overwrite) {
      throw new PixcapError('io', outDir, [], `${who} died while writing this folder with other inputs or options; run it again with the same ones to resume, or pass --overwrite to start over`)
    }
    if (!canResume && !o.overwrite && (leftovers.length > 0 || dead.shards.length > 0)) {
      throw new PixcapError(
        'io', outDir, [],
        `${who} died while writing this folder (${dead.shards.length} finished shard${dead.shards.length === 1 ? '' : 's'}, ${incomplete.length} temporary files); ` +
          'pass --resume to continue it (same inputs and options), or --overwrite to start over',
      )
    }
    // Finish what the dead writer was doing: its removal of the old corpus, and its renames into final names.
    const removed = await removeAll(outDir, leftovers, lockFile)
    if (canResume) {
      const shards = await verifiedShards(outDir, dead.shards)
      const keep = new Set(shards.flatMap((sh) => sh.files.map((f) => f.tmp)))
      const batches = dead.batches.slice(0, shards.reduce((n, sh) => n + sh.batches, 0))
      const swept = await sweep(keep)
      await checkNothingElse(outDir, keep)
      return { removed, swept, resumed: { shards, batches }, ...deadWriter }
    }
    const swept = await sweep()
    await checkNothingElse(outDir, new Set())
    return { removed, swept, ...deadWriter }
  }
  if (o.resumeKey !== undefined && hasManifest && !o.overwrite) {
    throw new PixcapError('io', outDir, [], 'the output folder holds a complete corpus (manifest.json) and no interrupted conversion; nothing to resume (pass --overwrite to replace it)')
  }

  // No interrupted writer (or one whose corpus is whole: its manifest was written): temporary files are leftovers.
  const swept = await sweep()
  const present = [...(await Promise.all(CORPUS_DIRS.map((d) => filesUnder(outDir, d)))).flat()]
  for (const f of CORPUS_FILES) if (await exists(join(outDir, f))) present.push(f)
  if (present.length === 0) return { removed: [], swept, ...deadWriter }
  const listed = hasManifest ? (await readJsonFile(manifestPath, ListedFiles)).files.map((f) => f.file) : []
  if (!o.overwrite) {
    throw new PixcapError(
      'io', outDir, [],
      hasManifest
        ? `the output folder already holds a corpus (manifest.json lists ${listed.length} files); pass --overwrite to replace it (removes exactly those files), or choose another --out`
        : `the output folder holds corpus files but no manifest.json (${show(present)}); remove them or choose another --out`,
    )
  }
  // Every path the manifest names must stay inside the folder (a manifest is input too), and must not be an input.
  const targets = listed.map((rel, i) => ({ rel, abs: resolveInside(outDir, rel, { file: manifestPath, path: ['files', i, 'file'] }) }))
  const listedSet = new Set([...targets.map((t) => relative(outDir, t.abs).split(sep).join('/')), MANIFEST_FILE])
  const unlisted = present.filter((f) => !listedSet.has(f))
  if (unlisted.length > 0) {
    throw new PixcapError(
      'io', outDir, [],
      hasManifest
        ? `--overwrite removes only what manifest.json lists, but the folder also holds ${show(unlisted)}; remove those yourself or choose another --out`
        : `--overwrite needs the previous manifest.json to know what to remove; the folder holds ${show(unlisted)} without one`,
    )
  }
  const inputs = new Map<string, InputLocation>()
  for (const i of o.inputs ?? []) if (i.kind === 'file') inputs.set(await plannedRealPath(i.path), i)
  for (const [n, t] of targets.entries()) {
    const input = inputs.get(await plannedRealPath(t.abs))
    if (input) throw new PixcapError('io', manifestPath, ['files', n, 'file'], `--overwrite would remove ${t.rel}, which is ${input.role} of this command (${input.path}); nothing was removed`)
  }
  // Journal first, then the manifest, then its data: a crash at any point leaves no manifest beside a partial corpus.
  await o.lock?.update({ removing: targets.map((t) => t.rel) })
  await rm(manifestPath, { force: true })
  const removed: string[] = []
  for (const t of targets) {
    await rm(t.abs, { force: true })
    removed.push(t.rel)
    await failpoint('overwrite-removed-one')
  }
  removed.push(MANIFEST_FILE)
  return { removed, swept, ...deadWriter }
}

/** After a dead writer's leftovers are gone, refuses corpus files that nobody journaled (e.g. put there by hand). */
async function checkNothingElse(outDir: string, keep: ReadonlySet<string>): Promise<void> {
  const present = [...(await Promise.all(CORPUS_DIRS.map((d) => filesUnder(outDir, d)))).flat()].filter((f) => !keep.has(f))
  for (const f of CORPUS_FILES) if (await exists(join(outDir, f))) present.push(f)
  if (present.length > 0) {
    throw new PixcapError('io', outDir, [], `the output folder holds corpus files that the interrupted conversion did not write (${show(present)}); remove them or choose another --out`)
  }
}
