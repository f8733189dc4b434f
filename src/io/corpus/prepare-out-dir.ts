// Before a corpus is written into a folder: a folder that already holds a corpus is refused, unless the caller asks
// to overwrite it, and then exactly the files its manifest lists (and the manifest) are removed, never other files.
// Without this, a second `convert` into the same folder left the first run's arrow/ and jsonl/ files beside the new
// ones, and the new manifest did not mention them.
import { readdir, rm, stat } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import { z } from 'zod'
import { PixcapError } from '../../errors.js'
import { readJsonFile } from '../input/read-json.js'
import { resolveInside } from '../input/safe-path.js'
import { MANIFEST_FILE } from './manifest.js'

/** Folders and files inside a corpus that only a corpus writer puts there (ARCHITECTURE.md "A corpus on disk"). */
const CORPUS_DIRS = ['data', 'arrow', 'jsonl']
const CORPUS_FILES = ['rejects.jsonl', MANIFEST_FILE]

/** Only what is needed to know which files a previous manifest wrote. */
const ListedFiles = z.object({ files: z.array(z.object({ file: z.string() })) })

/** What {@link prepareOutDir} did. */
export interface PreparedOutDir {
  /** Files removed (corpus-relative), with --overwrite. */
  removed: string[]
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

/**
 * Checks `outDir` before a corpus is written into it. Refuses a folder that holds a corpus (a manifest, or files in
 * data/, arrow/, jsonl/, rejects.jsonl) unless `overwrite`; with `overwrite`, removes the files the previous manifest
 * lists, and refuses (removing nothing) when corpus files are there that it does not list.
 */
export async function prepareOutDir(outDir: string, o: { overwrite?: boolean } = {}): Promise<PreparedOutDir> {
  let s
  try {
    s = await stat(outDir)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { removed: [] }
    throw new PixcapError('io', outDir, [], `cannot use the output folder: ${(err as Error).message}`, { cause: err })
  }
  if (!s.isDirectory()) throw new PixcapError('io', outDir, [], 'the output path exists and is not a folder')
  const present = [...(await Promise.all(CORPUS_DIRS.map((d) => filesUnder(outDir, d)))).flat()]
  for (const f of CORPUS_FILES) if (await stat(join(outDir, f)).then(() => true, () => false)) present.push(f)
  if (present.length === 0) return { removed: [] }
  const manifestPath = join(outDir, MANIFEST_FILE)
  const hasManifest = present.includes(MANIFEST_FILE)
  const listed = hasManifest ? (await readJsonFile(manifestPath, ListedFiles)).files.map((f) => f.file) : []
  const show = (files: string[]): string => `${files.slice(0, 5).join(', ')}${files.length > 5 ? ` and ${files.length - 5} more` : ''}`
  if (!o.overwrite) {
    throw new PixcapError(
      'io', outDir, [],
      hasManifest
        ? `the output folder already holds a corpus (manifest.json lists ${listed.length} files); pass --overwrite to replace it (removes exactly those files), or choose another --out`
        : `the output folder holds corpus files but no manifest.json (${show(present)}); remove them or choose another --out`,
    )
  }
  // Every path the manifest names must stay inside the folder (a manifest is input too).
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
  const removed: string[] = []
  for (const t of targets) {
    await rm(t.abs, { force: true })
    removed.push(t.rel)
  }
  await rm(manifestPath, { force: true })
  removed.push(MANIFEST_FILE)
  return { removed }
}
