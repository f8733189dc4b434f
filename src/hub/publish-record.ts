// What the last successful publish of this corpus sent to a repo and revision, kept in `<corpus>/.pixcap/publish.json`.
// `--dry-run` makes no request, so this record is how it can still say which files are new or unchanged: it compares
// with what this corpus last put there. The record holds paths, sizes and hashes, never a token. It is not uploaded.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { PixcapError } from '../errors.js'
import { writeFileAtomic } from '../util/atomic-write.js'
import type { RemoteFile } from './publish-plan.js'

/** The record's path inside a corpus. */
const PUBLISH_RECORD_FILE = '.pixcap/publish.json'

const RecordedFile = z.object({ size: z.number().int().nonnegative(), oid: z.string().optional(), lfsOid: z.string().optional() })
const PublishTarget = z.object({ commitUrl: z.string().nullable(), files: z.record(z.string(), RecordedFile) })
const PublishRecord = z.object({ version: z.literal(1), targets: z.record(z.string(), PublishTarget) })
type PublishRecord = z.infer<typeof PublishRecord>

/** The key of one target: hub, repo and revision. */
export function publishTargetKey(hubUrl: string, repo: string, revision: string): string {
  return `${hubUrl.replace(/\/+$/, '')}/datasets/${repo}@${revision}`
}

async function readRecord(dir: string): Promise<PublishRecord> {
  const file = join(dir, PUBLISH_RECORD_FILE)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, targets: {} }
    throw new PixcapError('io', file, [], `cannot read the publish record: ${(err as Error).message}`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new PixcapError('invalid_json', file, [], `${(err as Error).message}; delete the file to forget earlier publishes`)
  }
  const parsed = PublishRecord.safeParse(json)
  if (!parsed.success) throw new PixcapError('schema', file, [], `not a publish record: ${z.prettifyError(parsed.error)}; delete the file to forget earlier publishes`)
  return parsed.data
}

/** What the last publish left at this target, or null when this corpus was never published there. */
export async function readPublishTarget(dir: string, key: string): Promise<{ commitUrl: string | null; files: Map<string, RemoteFile> } | null> {
  const t = (await readRecord(dir)).targets[key]
  if (!t) return null
  return { commitUrl: t.commitUrl, files: new Map(Object.entries(t.files).map(([path, f]) => [path, { path, ...f }])) }
}

/** Records the files now at the target (after a successful commit, or a publish that found nothing to send). */
export async function writePublishTarget(dir: string, key: string, commitUrl: string | null, files: readonly RemoteFile[]): Promise<void> {
  const record = await readRecord(dir)
  record.targets[key] = {
    commitUrl,
    files: Object.fromEntries(files.map((f) => [f.path, { size: f.size, ...(f.oid ? { oid: f.oid } : {}), ...(f.lfsOid ? { lfsOid: f.lfsOid } : {}) }])),
  }
  await writeFileAtomic(join(dir, PUBLISH_RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`)
}
