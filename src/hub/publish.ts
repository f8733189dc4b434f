// `pixcap publish`: one corpus -> one commit on a Hugging Face dataset repo, built on @huggingface/hub 2.17.5.
// What the library calls for this (read from its source, node_modules/@huggingface/hub/src/lib):
//   repo-exists.ts    GET  /api/datasets/{id}?expand[]=likes                      (404/401 -> missing)
//   create-repo.ts    POST /api/repos/create {name, organization, type:'dataset', visibility}
//   list-files.ts     GET  /api/datasets/{id}/tree/{rev}?recursive=true&expand=false   (Link: next pages)
//   create-branch.ts  POST /api/datasets/{id}/branch/{branch}
//   commit.ts         POST /api/datasets/{id}/preupload/{rev}  -> uploadMode lfs|regular per file
//                     POST /datasets/{id}.git/info/lfs/objects/batch -> per object: actions.upload.href, or no
//                          actions when the Hub already holds that sha256 (that is what makes a resume skip it)
//                     PUT  <href> (basic) or part PUTs + completion POST (multipart, header.chunk_size)
//                     POST /api/datasets/{id}/commit/{rev} (NDJSON: header, file {base64}, lfsFile {oid, size})
// We pass useXet: false, so the transfer is the LFS protocol above (the Hub still serves it) and the one our tests
// exercise against a local server. A publish sends only files whose content the revision does not already have
// (publish-plan.ts), retries transient failures (retry-fetch.ts), and never lets the token into a result or error.
import { openAsBlob } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { commitIter, createBranch, createRepo, HubApiError, listFiles, repoExists, type CommitOperation } from '@huggingface/hub'
import { OptionError, PixcapError, UsageError } from '../errors.js'
import { MANIFEST_FILE } from '../io/corpus/manifest.js'
import { resolveInside } from '../io/input/safe-path.js'
import { assertCorpusIntact, checkCorpus } from '../io/corpus/verify-corpus.js'
import { sha256File } from '../util/sha256.js'
import { gitBlobOidFile } from '../util/git-blob-oid.js'
import { cardManifestSha256 } from './card-merge.js'
import { planPublish, type LocalFile, type PlannedFile, type RemoteFile } from './publish-plan.js'
import { publishTargetKey, readPublishTarget, writePublishTarget } from './publish-record.js'
import { DEFAULT_RETRY_POLICY, retryingFetch, type RetryEvent, type RetryPolicy } from './retry-fetch.js'
import { tokenRedactor } from './token.js'
import { CARD_FILE } from './write-card.js'

/** The Hub, unless HF_ENDPOINT or `hubUrl` says otherwise (huggingface_hub constants.py ENDPOINT). */
export const DEFAULT_HUB_URL = 'https://huggingface.co'

/** Options of {@link publishDataset}. */
export interface PublishOptions {
  dir: string
  /** `namespace/name` of the dataset repo. */
  repo: string
  /** The branch to commit to (created from main when missing). */
  revision?: string
  private?: boolean
  /** Print the plan; no request at all. */
  dryRun?: boolean
  /** Needed unless dryRun. Never part of a result, event or error. */
  accessToken?: string
  hubUrl?: string
  fetch?: typeof fetch
  retry?: RetryPolicy
  signal?: AbortSignal
  commitTitle?: string
  onEvent?: (e: PublishEvent) => void
}

/** Progress of a publish, for the CLI to draw. */
export type PublishEvent =
  | RetryEvent
  | { kind: 'phase'; phase: 'checking' | 'creating-repo' | 'comparing' | 'preuploading' | 'uploadingLargeFiles' | 'committing' }
  | { kind: 'progress'; stage: 'uploaded files'; done: number; total: number }

/** What a publish did (or, with dryRun, would do). */
export interface PublishResult {
  repo: string
  revision: string
  hubUrl: string
  dryRun: boolean
  /** What the statuses compare with: the Hub itself, this corpus's last publish there, or nothing known. */
  comparedWith: 'hub' | 'last-publish' | 'nothing'
  repoCreated: boolean
  files: PlannedFile[]
  uploaded: number
  uploadBytes: number
  unchanged: number
  /** The new commit; null when nothing needed sending (or dry run). */
  commitUrl: string | null
  commitOid: string | null
}

const REPO_ID = /^[A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*$/
const BRANCH = /^[\w][\w./-]*$/

/** The files a publish sends: the card, its linked pictures, the manifest and every file the manifest lists. */
async function localFiles(dir: string, manifestFiles: readonly string[], cardText: string, cardPath: string): Promise<LocalFile[]> {
  const paths = new Set<string>([CARD_FILE, MANIFEST_FILE, ...manifestFiles])
  // Relative links of the card (pictures, other docs) travel with it; absolute URLs and anchors do not.
  for (const m of cardText.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = m[1]!
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#') || target.startsWith('/')) continue
    const rel = target.split('#')[0]!
    const abs = resolveInside(dir, rel, { file: cardPath, path: ['links', rel] })
    const st = await stat(abs).catch(() => null)
    if (!st?.isFile()) throw new PixcapError('not_found', cardPath, [], `the card links to ${rel}, which is not in the corpus; rerun pixcap card or fix the link`)
    paths.add(rel)
  }
  const out: LocalFile[] = []
  for (const path of [...paths].sort()) {
    const abs = join(dir, path)
    out.push({ path, bytes: (await stat(abs)).size, sha256: await sha256File(abs), gitOid: await gitBlobOidFile(abs) })
  }
  return out
}

/** Rewrites library errors into PixcapErrors with the token masked (it travels only in headers, but be sure). */
function hubError(err: unknown, redact: (s: string) => string, what: string, signal: AbortSignal | undefined): unknown {
  if (err instanceof PixcapError || err instanceof UsageError) return err
  const e = err as Error
  // An interruption stays an interruption (the CLI exits 130), whatever the library wrapped it in.
  if (e?.name === 'AbortError' || signal?.aborted) return err
  if (err instanceof HubApiError) {
    const hint = err.statusCode === 401 || err.statusCode === 403 ? ' (is the token valid, with write access to this namespace?)' : ''
    return new PixcapError('io', redact(err.url), [], redact(`${what} failed: HTTP ${err.statusCode}: ${err.message}${hint}`))
  }
  return new PixcapError('io', what, [], redact(`${what} failed: ${e?.message ?? String(err)}`))
}

/** Publishes a corpus (see the module header); with `dryRun`, returns the plan without a single request. */
export async function publishDataset(o: PublishOptions): Promise<PublishResult> {
  if (!REPO_ID.test(o.repo)) throw new OptionError(`{repo} must be namespace/name (e.g. my-org/pix2cap-sft), got "${o.repo}"`)
  const revision = o.revision ?? 'main'
  if (!BRANCH.test(revision) || revision.includes('..')) throw new OptionError(`{revision} must be a branch name, got "${revision}"`)
  const hubUrl = (o.hubUrl ?? DEFAULT_HUB_URL).replace(/\/+$/, '')
  const emit = o.onEvent ?? (() => {})

  emit({ kind: 'phase', phase: 'checking' })
  const check = await checkCorpus(o.dir)
  assertCorpusIntact(check, 'publish')
  const cardPath = join(o.dir, CARD_FILE)
  const cardText = await readFile(cardPath, 'utf8').catch(() => null)
  if (cardText === null) throw new PixcapError('not_found', cardPath, [], 'the corpus has no dataset card; write it with `pixcap card <corpus>` first')
  const described = cardManifestSha256(cardText)
  if (described !== check.manifestSha256) {
    throw new PixcapError(
      'invariant',
      cardPath,
      [],
      described === null
        ? 'the card has no pixcap:card block, so it does not describe this corpus; run `pixcap card <corpus>` (your own text is kept)'
        : `the card describes manifest sha256 ${described}, but manifest.json is ${check.manifestSha256}; run \`pixcap card <corpus>\` again`,
    )
  }
  const local = await localFiles(o.dir, check.manifest.files.map((f) => f.file), cardText, cardPath)
  const key = publishTargetKey(hubUrl, o.repo, revision)
  const base = { repo: o.repo, revision, hubUrl, dryRun: o.dryRun === true }

  if (o.dryRun) {
    const last = await readPublishTarget(o.dir, key)
    const plan = planPublish(local, last?.files ?? null)
    return { ...base, comparedWith: last ? 'last-publish' : 'nothing', repoCreated: false, files: plan.files, uploaded: 0, uploadBytes: plan.uploadBytes, unchanged: plan.unchanged, commitUrl: null, commitOid: null }
  }

  if (!o.accessToken) throw new OptionError('publishing needs a Hugging Face token: {accessToken}, HF_TOKEN, or `hf auth login`')
  // The library ignores a signal that is already aborted (reference/ecosystem.md §5), so check before each call.
  const aborted = () => {
    if (o.signal?.aborted) throw new DOMException('publish interrupted', 'AbortError')
  }
  const redact = tokenRedactor(o.accessToken)
  const fetch = retryingFetch({ ...(o.fetch ? { fetch: o.fetch } : {}), policy: o.retry ?? DEFAULT_RETRY_POLICY, onRetry: emit })
  const repo = { type: 'dataset' as const, name: o.repo }
  const auth = { accessToken: o.accessToken, hubUrl, fetch }
  let repoCreated = false
  let remote = new Map<string, RemoteFile>()
  try {
    aborted()
    if (!(await repoExists({ repo, ...auth }))) {
      emit({ kind: 'phase', phase: 'creating-repo' })
      aborted()
      await createRepo({ repo, ...auth, ...(o.private ? { visibility: 'private' as const } : {}) })
      repoCreated = true
    }
    emit({ kind: 'phase', phase: 'comparing' })
    aborted()
    const list = async () => {
      const m = new Map<string, RemoteFile>()
      for await (const e of listFiles({ repo, recursive: true, revision, ...auth })) {
        if (e.type !== 'file') continue
        m.set(e.path, { path: e.path, size: e.size, ...(e.oid ? { oid: e.oid } : {}), ...(e.lfs ? { lfsOid: e.lfs.oid } : {}) })
      }
      return m
    }
    try {
      remote = await list()
    } catch (err) {
      if (!(err instanceof HubApiError && err.statusCode === 404 && revision !== 'main')) throw err
      aborted()
      await createBranch({ repo, branch: revision, ...auth })
      remote = await list()
    }
  } catch (err) {
    throw hubError(err, redact, `preparing ${o.repo}@${revision}`, o.signal)
  }

  const plan = planPublish(local, remote)
  const recordFiles = () => local.map((f) => ({ path: f.path, size: f.bytes, oid: f.gitOid, lfsOid: f.sha256 }))
  if (plan.upload.length === 0) {
    await writePublishTarget(o.dir, key, null, recordFiles())
    return { ...base, comparedWith: 'hub', repoCreated, files: plan.files, uploaded: 0, uploadBytes: 0, unchanged: plan.unchanged, commitUrl: null, commitOid: null }
  }

  const operations: CommitOperation[] = []
  for (const f of plan.upload) operations.push({ operation: 'addOrUpdate', path: f.path, content: await openAsBlob(join(o.dir, f.path)) })
  let done = 0
  const finished = new Set<string>()
  let output
  try {
    aborted()
    const it = commitIter({
      repo,
      ...auth,
      operations,
      title: o.commitTitle ?? `pixcap publish: ${plan.upload.length} file${plan.upload.length === 1 ? '' : 's'} (${check.manifest.format.name}, manifest ${check.manifestSha256.slice(0, 12)})`,
      branch: revision,
      useXet: false,
      ...(o.signal ? { abortSignal: o.signal } : {}),
    })
    for (;;) {
      const next = await it.next()
      if (next.done) {
        output = next.value
        break
      }
      const e = next.value
      if (e.event === 'phase') emit({ kind: 'phase', phase: e.phase })
      else if (e.state === 'uploading' && e.progress >= 1 && !finished.has(e.path)) {
        finished.add(e.path)
        emit({ kind: 'progress', stage: 'uploaded files', done: ++done, total: plan.upload.length })
      }
    }
  } catch (err) {
    throw hubError(err, redact, `committing to ${o.repo}@${revision}`, o.signal)
  }
  const commitUrl = output?.commit.url ?? null
  await writePublishTarget(o.dir, key, commitUrl, recordFiles())
  return {
    ...base,
    comparedWith: 'hub',
    repoCreated,
    files: plan.files,
    uploaded: plan.upload.length,
    uploadBytes: plan.uploadBytes,
    unchanged: plan.unchanged,
    commitUrl: commitUrl === null ? null : redact(commitUrl),
    commitOid: output?.commit.oid ?? null,
  }
}
