// The pure and small parts of src/hub: token lookup order, retry policy, the publish plan, histogram bars,
// YAML features, card merging.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { yamlFeatureOf, sizeCategory } from '../../src/hub/card-front-matter.js'
import { mergeCard, CARD_END, USER_SECTION } from '../../src/hub/card-merge.js'
import { summarizeHistogram } from '../../src/hub/card-stats.js'
import { histogramBars, MAX_BARS } from '../../src/hub/histogram-svg.js'
import { planPublish, type LocalFile } from '../../src/hub/publish-plan.js'
import { retryingFetch, type RetryEvent } from '../../src/hub/retry-fetch.js'
import { findHubToken, hubTokenPath, tokenRedactor } from '../../src/hub/token.js'
import { t } from '../../src/records/field-spec.js'
import { gitBlobOid } from '../../src/util/git-blob-oid.js'
import { useTempDir } from '../helpers/temp-dir.js'

let tmp: string
useTempDir('pixcap-hub-', (d) => (tmp = d))

describe('Hub token lookup (huggingface_hub order)', () => {
  it('flag, then HF_TOKEN, then HUGGING_FACE_HUB_TOKEN, then the token file', async () => {
    const home = join(tmp, 'home')
    await mkdir(join(home, '.cache/huggingface'), { recursive: true })
    await writeFile(join(home, '.cache/huggingface/token'), 'hf_file\n')
    expect(await findHubToken({ flag: 'hf_flag', env: { HF_TOKEN: 'hf_env' }, home })).toEqual({ token: 'hf_flag', source: 'flag' })
    expect(await findHubToken({ env: { HF_TOKEN: 'hf_env', HUGGING_FACE_HUB_TOKEN: 'hf_old' }, home })).toEqual({ token: 'hf_env', source: 'env:HF_TOKEN' })
    expect(await findHubToken({ env: { HF_TOKEN: '  ', HUGGING_FACE_HUB_TOKEN: 'hf_old' }, home })).toEqual({ token: 'hf_old', source: 'env:HUGGING_FACE_HUB_TOKEN' })
    expect(await findHubToken({ env: {}, home })).toEqual({ token: 'hf_file', source: 'file', file: join(home, '.cache/huggingface/token') })
    expect(await findHubToken({ env: { HF_HOME: join(tmp, 'nowhere') }, home })).toBeNull()
  })

  it('token file path: HF_TOKEN_PATH, HF_HOME, XDG_CACHE_HOME, ~/.cache', () => {
    expect(hubTokenPath({ HF_TOKEN_PATH: '/a/t', HF_HOME: '/b' }, '/h')).toBe('/a/t')
    expect(hubTokenPath({ HF_HOME: '/b', XDG_CACHE_HOME: '/x' }, '/h')).toBe('/b/token')
    expect(hubTokenPath({ XDG_CACHE_HOME: '/x' }, '/h')).toBe('/x/huggingface/token')
    expect(hubTokenPath({}, '/h')).toBe('/h/.cache/huggingface/token')
  })

  it('a malformed token is refused without showing it; the redactor masks it', async () => {
    await expect(findHubToken({ flag: 'secret-value-123', env: {} })).rejects.toThrow('the Hub token from --token does not start with "hf_"; is it a Hugging Face user access token? (value not shown)')
    await findHubToken({ flag: 'secret-value-123', env: {} }).catch((e: Error) => expect(e.message).not.toContain('secret-value-123'))
    expect(tokenRedactor('hf_abc')('x hf_abc y hf_abc')).toBe('x *** y ***')
  })
})

describe('retryingFetch', () => {
  it('retries 503 and network errors with doubling waits, then returns the success', async () => {
    let n = 0
    const server = createServer((req, res) => {
      n++
      if (n === 1) return void res.writeHead(503).end()
      if (n === 2) return void req.socket.destroy()
      res.writeHead(200).end('ok')
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const events: RetryEvent[] = []
    const f = retryingFetch({ policy: { maxRetries: 5, baseWaitMs: 5, maxWaitMs: 8 }, onRetry: (e) => events.push(e) })
    const res = await f(`http://127.0.0.1:${(server.address() as AddressInfo).port}/x`, { method: 'POST', body: 'b' })
    server.close()
    expect(await res.text()).toBe('ok')
    expect(events.map((e) => [e.attempt, e.waitMs, e.reason.startsWith('HTTP') ? e.reason : 'network'])).toEqual([[1, 5, 'HTTP 503'], [2, 8, 'network']])
  })

  it('gives up after maxRetries (returning the last response) and never retries a 4xx', async () => {
    const calls: number[] = []
    const f = retryingFetch({ fetch: async () => (calls.push(1), new Response('', { status: 502 })), policy: { maxRetries: 2, baseWaitMs: 1, maxWaitMs: 1 } })
    expect((await f('http://x/')).status).toBe(502)
    expect(calls).toHaveLength(3)
    const g = retryingFetch({ fetch: async () => (calls.push(1), new Response('', { status: 403 })), policy: { maxRetries: 2, baseWaitMs: 1, maxWaitMs: 1 } })
    expect((await g('http://x/')).status).toBe(403)
    expect(calls).toHaveLength(4)
  })
})

describe('planPublish', () => {
  const file = (path: string, content: string): LocalFile => ({ path, bytes: Buffer.byteLength(content), sha256: `sha-${content}`, gitOid: gitBlobOid(content) })
  it('unchanged by LFS sha256 or git blob oid; changed by content; new when absent', () => {
    const local = [file('a.parquet', 'A'), file('README.md', 'card'), file('b.parquet', 'B2'), file('c.json', 'C')]
    const remote = new Map([
      ['a.parquet', { path: 'a.parquet', size: 1, oid: 'pointer', lfsOid: 'sha-A' }],
      ['README.md', { path: 'README.md', size: 4, oid: gitBlobOid('card') }],
      ['b.parquet', { path: 'b.parquet', size: 2, lfsOid: 'sha-B1' }],
    ])
    const plan = planPublish(local, remote)
    expect(plan.files.map((f) => f.status)).toEqual(['unchanged', 'unchanged', 'changed', 'new'])
    expect(plan.uploadBytes).toBe(3)
    expect(planPublish(local, null).unchanged).toBe(0)
  })
  it('git blob oid is what git computes', () => {
    expect(gitBlobOid('hello\n')).toBe('ce013625030ba8dba906f756967f9e9ca394464a') // git hash-object
  })
})

describe('card pieces', () => {
  it('histogram bars: one per value up to MAX_BARS, then equal bins covering min..max', () => {
    expect(histogramBars(new Map([[3, 2], [5, 1]]))).toEqual([{ lo: 3, hi: 3, count: 2 }, { lo: 4, hi: 4, count: 0 }, { lo: 5, hi: 5, count: 1 }])
    const wide = histogramBars(new Map([[0, 1], [99, 4]]))
    expect(wide.length).toBeLessThanOrEqual(MAX_BARS)
    expect(wide.reduce((a, b) => a + b.count, 0)).toBe(5)
    expect(wide.at(-1)).toMatchObject({ hi: 99, count: 4 })
  })
  it('summary: mean, numpy median, range', () => {
    expect(summarizeHistogram(new Map([[1, 1], [2, 1], [10, 2]]))).toEqual({ mean: 23 / 4, median: 6, min: 1, max: 10 })
    expect(summarizeHistogram(new Map())).toBeNull()
  })
  it('YAML features in datasets\' simplified form', () => {
    expect(yamlFeatureOf(t.image())).toEqual({ dtype: 'image' })
    expect(yamlFeatureOf(t.list(t.list(t.float32())))).toEqual({ list: { list: 'float32' } })
    expect(yamlFeatureOf(t.list(t.struct([t.field('from', t.string())])))).toEqual({ list: [{ name: 'from', dtype: 'string' }] })
    expect(yamlFeatureOf(t.struct([t.field('x', t.int32())]))).toEqual({ struct: [{ name: 'x', dtype: 'int32' }] })
    expect([sizeCategory(999), sizeCategory(1000), sizeCategory(250_000)]).toEqual(['n<1K', '1K<n<10K', '100K<n<1M'])
  })
  it('merge: a hand-written README is kept below the block; a lost end marker is an error', () => {
    const sha = 'a'.repeat(64)
    const base = { file: 'README.md', generated: { configs: [] }, defaults: { license: 'x' }, block: 'GEN', manifestSha256: sha }
    const fresh = mergeCard({ ...base, existing: null })
    expect(fresh).toContain(USER_SECTION)
    const kept = mergeCard({ ...base, existing: '# My dataset\n\nhand-written\n' })
    expect(kept).toContain(`GEN\n${CARD_END}\n\n# My dataset\n\nhand-written\n`)
    expect(() => mergeCard({ ...base, existing: fresh.replace(CARD_END, '') })).toThrow('the card has a begin marker without an end marker after it')
  })
})
