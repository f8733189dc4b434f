// manifest.json: the record of how a corpus was made (ARCHITECTURE.md "A corpus on disk"). Written LAST and atomically,
// after every data file is in place and the region invariant has been checked, so a manifest means a complete corpus.
// No timestamps by default: the same input and seed give a byte-identical manifest too (`createdAt` is optional).
import { join } from 'node:path'
import { z } from 'zod'
import { PixcapError } from '../../errors.js'
import { RejectReason } from '../../records/reject.js'
import { readJsonFile } from '../input/read-json.js'
import { writeFileAtomic } from '../../util/atomic-write.js'

/** The file name inside a corpus. */
export const MANIFEST_FILE = 'manifest.json'
/** Bumped when the manifest's shape changes incompatibly. */
const MANIFEST_VERSION = 1

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/)

/** An input file, identified by content. */
export const ManifestInput = z.object({
  role: z.string(),
  /** As given on the command line. */
  path: z.string(),
  bytes: z.number().int().nonnegative(),
  sha256: Sha256,
})
export type ManifestInput = z.infer<typeof ManifestInput>

/** An output file, relative to the corpus root (POSIX separators). */
export const ManifestFile = z.object({
  file: z.string(),
  /** parquet, arrow, jsonl, rejects, document, sidecar. */
  kind: z.string(),
  rows: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  sha256: Sha256,
})
export type ManifestFile = z.infer<typeof ManifestFile>

/** Counts; `regions.in = regions.inSamples + regions.rejected` always holds in a written manifest. */
export const ManifestCounts = z.object({
  images: z.object({ in: z.number().int(), kept: z.number().int(), dropped: z.number().int() }),
  regions: z.object({
    in: z.number().int(),
    /** Passed the filter policy. */
    kept: z.number().int(),
    /** Present in the written samples. */
    inSamples: z.number().int(),
    rejected: z.number().int(),
  }),
  /**
   * Image-level conversations (LLaVA-Instruct-150k, VCR; records/region-record.ts ImageConversation), present when
   * the input had any: each counts once, written as one row or rejected (docs/sources.md "Counting").
   */
  conversations: z.object({ in: z.number().int(), inSamples: z.number().int(), rejected: z.number().int() }).optional(),
  rejectedByReason: z.partialRecord(RejectReason, z.number().int()),
  samples: z.number().int(),
})
export type ManifestCounts = z.infer<typeof ManifestCounts>

/** The whole manifest. */
export const Manifest = z.object({
  manifestVersion: z.literal(MANIFEST_VERSION),
  pixcap: z.object({ version: z.string() }),
  command: z.string(),
  createdAt: z.string().optional(),
  format: z.object({ name: z.string(), kind: z.enum(['rows', 'document']), options: z.record(z.string(), z.unknown()) }),
  split: z.string(),
  seed: z.number().int(),
  inputs: z.array(ManifestInput),
  templates: z.object({ file: z.string(), sha256: Sha256 }).nullable(),
  filterPolicy: z.record(z.string(), z.unknown()),
  /** Everything else that shapes the output (formats, max regions, shard caps, embed images...). */
  options: z.record(z.string(), z.unknown()),
  /** This corpus is job `index` of `count`; null for a whole corpus (also after merge-manifests). */
  shard: z.object({ index: z.number().int().nonnegative(), count: z.number().int().positive() }).nullable(),
  /** Shard manifests this one was merged from (merge-manifests), in index order. */
  mergedFrom: z.array(z.object({ index: z.number().int(), dir: z.string() })).optional(),
  counts: ManifestCounts,
  files: z.array(ManifestFile),
})
export type Manifest = z.infer<typeof Manifest>

/** Throws unless regions in = regions in samples + regions rejected (and kept = in - filter rejects is consistent). */
export function checkRegionInvariant(counts: ManifestCounts, where: string): void {
  const { regions } = counts
  if (regions.in !== regions.inSamples + regions.rejected) {
    throw new PixcapError(
      'invariant',
      where,
      ['counts', 'regions'],
      `regions in (${regions.in}) != regions in samples (${regions.inSamples}) + regions rejected (${regions.rejected}); refusing to write a manifest for a corpus that lost or double-counted ${regions.in - regions.inSamples - regions.rejected} regions`,
    )
  }
  const conv = counts.conversations
  if (conv && conv.in !== conv.inSamples + conv.rejected) {
    throw new PixcapError('invariant', where, ['counts', 'conversations'], `conversations in (${conv.in}) != conversations in samples (${conv.inSamples}) + rejected (${conv.rejected}); refusing to write a manifest for a corpus that lost or double-counted ${conv.in - conv.inSamples - conv.rejected} conversations`)
  }
  const byReason = Object.values(counts.rejectedByReason).reduce((a, b) => a + (b ?? 0), 0)
  if (byReason !== regions.rejected + (conv?.rejected ?? 0)) {
    throw new PixcapError('invariant', where, ['counts', 'rejectedByReason'], `rejects by reason sum to ${byReason}, but ${regions.rejected} regions${conv ? ` and ${conv.rejected} conversations` : ''} were rejected`)
  }
}

/** Validates, checks the invariant and writes `<dir>/manifest.json` atomically. Call it after every other file. */
export async function writeManifest(dir: string, manifest: Manifest): Promise<string> {
  const dest = join(dir, MANIFEST_FILE)
  const parsed = Manifest.safeParse(manifest)
  if (!parsed.success) throw new PixcapError('schema', dest, [], `internal: invalid manifest: ${z.prettifyError(parsed.error)}`)
  checkRegionInvariant(parsed.data.counts, dest)
  await writeFileAtomic(dest, `${JSON.stringify(parsed.data, null, 2)}\n`)
  return dest
}

/** Reads and validates `<dir>/manifest.json` (or a manifest file path). */
export async function readManifest(dirOrFile: string): Promise<{ file: string; manifest: Manifest }> {
  const file = dirOrFile.endsWith('.json') ? dirOrFile : join(dirOrFile, MANIFEST_FILE)
  try {
    return { file, manifest: await readJsonFile(file, Manifest) }
  } catch (err) {
    if (err instanceof PixcapError && (err.code === 'not_found' || err.code === 'io')) {
      const why = err.cause instanceof Error ? err.cause.message : err.detail
      throw new PixcapError('not_found', file, [], `cannot read manifest: ${why}; was the conversion finished? (the manifest is written last)`, { cause: err.cause })
    }
    throw err
  }
}
