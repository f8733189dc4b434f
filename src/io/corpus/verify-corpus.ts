// A corpus checks itself against its manifest before anything leaves the machine (issue 15 "What to build" 3): every
// listed file exists inside the corpus with the recorded size and sha256, and regions in = regions in samples +
// regions rejected. Every problem is collected (not just the first), each with the manifest path that names it.
import { readFile, stat } from 'node:fs/promises'
import { PixcapError, toJsonPath, type JsonPath } from '../../errors.js'
import { sha256, sha256File } from '../../util/sha256.js'
import { checkRegionInvariant, readManifest, type Manifest } from './manifest.js'
import { resolveInside } from '../input/safe-path.js'

/** One way a corpus differs from its manifest. */
export interface CorpusIssue {
  kind: 'missing' | 'size' | 'sha256' | 'invariant' | 'path'
  /** Where in manifest.json, e.g. `files[2].sha256`. */
  path: string
  detail: string
}

/** The verified corpus: its manifest, the manifest's own sha256 (the card records it) and every issue found. */
export interface CorpusCheck {
  dir: string
  manifestFile: string
  manifest: Manifest
  manifestSha256: string
  issues: CorpusIssue[]
}

function issue(kind: CorpusIssue['kind'], path: JsonPath, detail: string): CorpusIssue {
  return { kind, path: toJsonPath(path), detail }
}

/** Reads the manifest and checks every file it lists (streamed sha256) and the region invariant. */
export async function checkCorpus(dir: string): Promise<CorpusCheck> {
  const { file, manifest } = await readManifest(dir)
  const manifestSha256 = sha256(await readFile(file))
  const issues: CorpusIssue[] = []
  try {
    checkRegionInvariant(manifest.counts, file)
  } catch (err) {
    if (!(err instanceof PixcapError)) throw err
    issues.push(issue('invariant', err.path, err.detail))
  }
  for (const [i, f] of manifest.files.entries()) {
    let abs: string
    try {
      abs = resolveInside(dir, f.file, { file, path: ['files', i, 'file'] })
    } catch (err) {
      issues.push(issue('path', ['files', i, 'file'], (err as Error).message))
      continue
    }
    const st = await stat(abs).catch(() => null)
    if (!st?.isFile()) {
      issues.push(issue('missing', ['files', i, 'file'], `${f.file} is listed but missing from ${dir}`))
      continue
    }
    if (st.size !== f.bytes) {
      issues.push(issue('size', ['files', i, 'bytes'], `${f.file} has ${st.size} bytes, the manifest says ${f.bytes}; was it changed or truncated after conversion?`))
      continue
    }
    const actual = await sha256File(abs)
    if (actual !== f.sha256) issues.push(issue('sha256', ['files', i, 'sha256'], `${f.file} has sha256 ${actual}, the manifest says ${f.sha256}; was it changed after conversion?`))
  }
  return { dir, manifestFile: file, manifest, manifestSha256, issues }
}

/** Throws a PixcapError listing every issue unless the corpus matches its manifest. */
export function assertCorpusIntact(check: CorpusCheck, action: string): void {
  if (check.issues.length === 0) return
  const first = check.issues[0]!
  const lines = check.issues.map((i) => `${i.path}: ${i.detail}`)
  throw new PixcapError(
    'invariant',
    check.manifestFile,
    [],
    `refusing to ${action}: the corpus fails ${check.issues.length} check${check.issues.length === 1 ? '' : 's'} against its manifest (first at ${first.path})\n  ${lines.join('\n  ')}`,
  )
}

