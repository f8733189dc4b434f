// pixcap publish end to end: the real CLI as a child process against a local server speaking the Hub endpoints that
// @huggingface/hub calls (test/helpers/hub-server.ts). One corpus, made by the real `convert` and `card`, published
// through the life of a repo: dry run, creation, a retried failure, an interruption, the resume, a no-op republish.
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { execa, type ResultPromise } from 'execa'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BUNDLED_SAMPLE_DIR, REPO_ROOT } from '../helpers/fixtures.js'
import { startHubServer } from '../helpers/hub-server.js'
import { useTempDir } from '../helpers/temp-dir.js'

const TOKEN = 'hf_pixcapTestToken0123456789abcdef'
const BIN = join(REPO_ROOT, 'bin/pixcap.js')
const REPO = 'pixcap-test/sample-sft'

let tmp: string
useTempDir('pixcap-publish-', (d) => (tmp = d))

describe('pixcap publish against a local Hub', () => {
  let hub: Awaited<ReturnType<typeof startHubServer>>
  let corpus: string
  /** Every byte the CLI printed, to check the token never appears. */
  const captured: string[] = []

  const cli = (args: string[], env: Record<string, string> = {}) => {
    const child = execa('node', [BIN, ...args], { reject: false, env: { HF_ENDPOINT: hub.url, HF_HOME: join(tmp, 'hf-home'), HF_TOKEN: '', ...env }, extendEnv: true })
    return child
  }
  const finish = async (child: ResultPromise) => {
    const r = await child
    const out = { exitCode: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr) }
    captured.push(out.stdout, out.stderr)
    return out
  }

  beforeAll(async () => {
    hub = await startHubServer({ token: TOKEN })
    corpus = join(tmp, 'corpus')
    const s = BUNDLED_SAMPLE_DIR
    const conv = await execa('node', [BIN, 'convert', join(s, 'pix2cap_sample_train.json'), '--to', 'gpt4roi', '--panoptic-dir', join(s, 'panoptic'), '--images-dir', join(s, 'images'), '--out', corpus, '--format', 'parquet,arrow,jsonl', '--json'])
    expect(JSON.parse(conv.stdout).ok).toBe(true)
    const card = await execa('node', [BIN, 'card', corpus, '--repo', REPO, '--json'])
    expect(JSON.parse(card.stdout).pictures).toHaveLength(3)
  }, 120_000)
  afterAll(async () => {
    await hub?.close()
  })

  it('--dry-run prints the plan and makes no request (no token needed)', async () => {
    const r = await finish(cli(['publish', corpus, '--repo', REPO, '--dry-run']))
    expect(r.exitCode).toBe(0)
    expect(hub.requests).toHaveLength(0)
    expect(r.stdout).toContain(`publish plan for ${hub.url}/datasets/${REPO}@main (dry run: no request made)`)
    for (const f of ['README.md', 'manifest.json', 'data/train-00000-of-00001.parquet', 'arrow/train-00000-of-00001.arrow', 'jsonl/train.jsonl', 'rejects.jsonl', 'assets/card/example.png']) {
      expect(r.stdout).toMatch(new RegExp(`  new +\\d+  ${f.replace(/[.]/g, '\\.')}\\n`))
    }
    expect(r.stdout).toContain('9 files to upload')
  })

  it('without any token, publish says how to give one', async () => {
    const r = await finish(cli(['publish', corpus, '--repo', REPO]))
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toContain('no Hugging Face token: pass --token, set HF_TOKEN, or log in')
    expect(hub.requests).toHaveLength(0)
  })

  it('creates the repo, retries a 503, and an interruption after 2 LFS uploads leaves no commit', async () => {
    hub.faults.push({ match: (r) => r.path.includes('/preupload/'), status: 503, times: 1 })
    let puts = 0
    hub.faults.push({ match: (r) => r.method === 'PUT' && ++puts > 2, hang: true, times: 100 })
    const child = cli(['publish', corpus, '--repo', REPO, '--private'], { HF_TOKEN: TOKEN })
    const deadline = Date.now() + 60_000
    while (hub.hungCount() < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    expect(hub.hungCount()).toBe(3)
    expect(hub.lfsPuts.size).toBe(2)
    child.kill('SIGTERM')
    const r = await finish(child)
    expect(r.exitCode).toBe(130)
    expect(r.stderr).toMatch(/retrying POST \/api\/datasets\/pixcap-test\/sample-sft\/preupload\/main after HTTP 503 \(retry 1\/5/)
    expect(hub.requests.filter((q) => q.path.includes('/preupload/'))).toHaveLength(2)
    expect(hub.repos.get(REPO)?.private).toBe(true)
    expect(hub.commitCount()).toBe(0)
    hub.faults.length = 0
  }, 90_000)

  it('the resume uploads only what is missing, in one commit, and prints its URL', async () => {
    const before = new Map(hub.lfsPuts)
    const putsBefore = hub.requests.filter((q) => q.method === 'PUT').length
    const r = await finish(cli(['publish', corpus, '--repo', REPO, '--json'], { HF_TOKEN: TOKEN }))
    expect(r.exitCode).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out).toMatchObject({ ok: true, repoCreated: false, uploaded: 9, unchanged: 0, comparedWith: 'hub', tokenSource: 'env:HF_TOKEN' })
    expect(out.commitUrl).toMatch(new RegExp(`^${hub.url}/datasets/${REPO}/commit/[0-9a-f]{40}$`))
    expect(hub.commitCount()).toBe(1)
    // The two objects that finished before the interruption were not sent again; the other three were, once each.
    const newPuts = hub.requests.filter((q) => q.method === 'PUT').slice(putsBefore).map((q) => q.path.split('/').pop())
    expect(newPuts).toHaveLength(3)
    for (const oid of before.keys()) expect(newPuts).not.toContain(oid)
    expect([...hub.lfsPuts.values()].every((n) => n === 1)).toBe(true)
    expect(hub.lfsPuts.size).toBe(5)
    // Everything landed with the same bytes: the repo's files are the corpus's files.
    const files = hub.repos.get(REPO)!.branches.get('main')!
    expect([...files.keys()].sort()).toEqual(out.files.map((f: { path: string }) => f.path).sort())
    const manifest = JSON.parse(await readFile(join(corpus, 'manifest.json'), 'utf8'))
    for (const f of manifest.files) if (f.file.endsWith('.parquet')) expect(files.get(f.file)?.lfsOid).toBe(f.sha256)
  }, 60_000)

  it('a second publish uploads nothing and makes no commit (token from the token file)', async () => {
    await mkdir(join(tmp, 'hf-home'), { recursive: true })
    await writeFile(join(tmp, 'hf-home', 'token'), `${TOKEN}\n`)
    const n = hub.requests.length
    const r = await finish(cli(['publish', corpus, '--repo', REPO]))
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toContain(`nothing to upload: all 9 files are already at ${hub.url}/datasets/${REPO}/tree/main`)
    const after = hub.requests.slice(n)
    expect(after.map((q) => `${q.method} ${q.path.split('?')[0]}`)).toEqual([`GET /api/datasets/${REPO}`, `GET /api/datasets/${REPO}/tree/main`])
    expect(after.every((q) => q.authorization === `Bearer ${TOKEN}`)).toBe(true)
    expect(hub.commitCount()).toBe(1)
  })

  it('--dry-run after a publish compares with it: everything unchanged, still no request', async () => {
    const n = hub.requests.length
    const r = await finish(cli(['publish', corpus, '--repo', REPO, '--dry-run', '--json']))
    const out = JSON.parse(r.stdout)
    expect(out).toMatchObject({ ok: true, dryRun: true, comparedWith: 'last-publish', unchanged: 9, uploadBytes: 0 })
    expect(hub.requests.length).toBe(n)
  })

  it('a new branch gets only the changed card; the Hub refusing the commit is an error without the token', async () => {
    await appendFile(join(corpus, 'README.md'), '\nA note added by hand.\n')
    hub.faults.push({ match: (r) => r.path.includes('/commit/'), status: 403, times: 1 })
    const denied = await finish(cli(['publish', corpus, '--repo', REPO, '--revision', 'v2', '--token', TOKEN, '--json']))
    expect(denied.exitCode).toBe(1)
    const err = JSON.parse(denied.stdout)
    expect(err).toMatchObject({ ok: false, error: { code: 'io' } })
    expect(err.error.message).toContain('HTTP 403')
    expect(hub.faults[0]!.times).toBe(0)
    hub.faults.length = 0
    const r = await finish(cli(['publish', corpus, '--repo', REPO, '--revision', 'v2', '--token', TOKEN, '--json']))
    const out = JSON.parse(r.stdout)
    expect(out).toMatchObject({ ok: true, revision: 'v2', uploaded: 1, unchanged: 8, tokenSource: 'flag' })
    expect(out.files.filter((f: { status: string }) => f.status === 'changed').map((f: { path: string }) => f.path)).toEqual(['README.md'])
    expect(hub.repos.get(REPO)!.branches.get('main')!.get('README.md')).not.toEqual(hub.repos.get(REPO)!.branches.get('v2')!.get('README.md'))
  })

  it('refuses a corpus that fails its own manifest checks, before any request', async () => {
    const rejects = join(corpus, 'rejects.jsonl')
    const original = await readFile(rejects)
    await appendFile(rejects, '{"x":1}\n')
    const n = hub.requests.length
    const r = await finish(cli(['publish', corpus, '--repo', REPO, '--json'], { HF_TOKEN: TOKEN }))
    await writeFile(rejects, original)
    expect(r.exitCode).toBe(1)
    const err = JSON.parse(r.stdout).error
    expect(err.code).toBe('invariant')
    expect(err.detail).toMatch(/refusing to publish: the corpus fails 1 check against its manifest \(first at files\[3\]\.bytes\)/)
    expect(err.detail).toContain('rejects.jsonl has')
    expect(hub.requests.length).toBe(n)
  })

  it('the token never appears in anything the CLI printed', () => {
    expect(captured.length).toBeGreaterThan(10)
    for (const text of captured) expect(text).not.toContain(TOKEN)
    // ... while the server did receive it (so the check above is not vacuous).
    expect(hub.requests.some((q) => q.authorization === `Bearer ${TOKEN}`)).toBe(true)
  })
})
