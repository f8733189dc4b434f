// A misbehaving judge (issue 17, findings 5 and 8): a server that echoes the Authorization header in its error body
// never gets the key onto the console; retry waits leave no abort listener behind; the judge timeout is an option.
import { getEventListeners } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { execa } from 'execa'
import { afterEach, describe, expect, it } from 'vitest'
import { createChatClient } from '../../src/vipbench/chat-client.js'
import { gradeVipBench, sleep } from '../../src/vipbench/grade.js'
import { PIXCAP_JUDGE_PROMPT } from '../../src/vipbench/judge-prompt.js'
import { loadVipMeta } from '../../src/vipbench/prepare.js'
import { REPO_ROOT } from '../helpers/fixtures.js'
import { writeVipFixture } from './vip-fixture.js'

const QUESTIONS = new Map([['v1_0', 'q0'], ['v1_1', 'q1'], ['v1_2', 'q2']])
const ANSWERS = { v1_0: 'a0', v1_1: 'a1', v1_2: 'a2' }

let servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => { s.closeAllConnections(); s.close(r) })))
  servers = []
})

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const s = createServer(handler)
  servers.push(s)
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}/v1`
}

describe('judge error bodies and Unicode secrets', () => {
  it.each([
    ['OPENAI_API_KEY', 'sk-ascii-0123456789'],
    // HTTP header values are Latin-1 (fetch refuses wider characters): non-ASCII keys are Latin-1 here.
    ['OPENAI_API_KEY', 'sk-ünïcødé-ÿ-42'],
    // A name that does not look secret: the key is masked because it is the key, not because of its name.
    ['JUDGE_AUTH', 'sk-ünïcødé-ÿ-43'],
  ])('the key in %s (%s) echoed by the server never reaches stdout or stderr', async (keyEnv, key) => {
    // The server answers 401 with the request's Authorization header, raw and JSON-escaped (Python's ensure_ascii).
    const baseUrl = await serve((req, res) => {
      req.resume()
      req.on('end', () => {
        const auth = req.headers.authorization ?? ''
        res.writeHead(401, { 'content-type': 'application/json' }).end(`{"error":"bad key ${auth}","echo":${JSON.stringify(auth).replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}}`)
      })
    })
    const root = await writeVipFixture()
    const answers = join(root, 'answers.json')
    await writeFile(answers, JSON.stringify(ANSWERS))
    const argv = ['vipbench', 'grade', '--root', root, '--answers', answers, '--base-url', baseUrl, '--model', 'judge', '--retry-delay-ms', '0', '--api-key-env', keyEnv]
    for (const json of [false, true]) {
      const r = await execa('node', [join(REPO_ROOT, 'bin/pixcap.js'), ...argv, ...(json ? ['--json'] : [])], { env: { ...process.env, [keyEnv]: key }, reject: false })
      expect(r.exitCode).toBe(1)
      const both = `${r.stdout}\n${r.stderr}`
      expect(both).toContain('HTTP 401')
      expect(both).toContain('***')
      expect(both).not.toContain(key.slice(3))
      expect(both).not.toContain(JSON.stringify(key).slice(4, -1).replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))
    }
  })
})

describe('judge retries and timeout', () => {
  it('retry waits remove their abort listener (15 API errors, then answers)', async () => {
    let calls = 0
    const client = { complete: async () => (++calls <= 15 ? Promise.reject(new Error('HTTP 500')) : { content: '0.5', model: 'j' }) }
    const ac = new AbortController()
    const root = await writeVipFixture()
    const summary = await gradeVipBench({ meta: await loadVipMeta(root), questions: QUESTIONS, answers: ANSWERS, client, judge: PIXCAP_JUDGE_PROMPT, runs: 1, gradeFile: join(root, 'g.json'), apiRetryDelayMs: 1, signal: ac.signal })
    expect(summary.graded).toBe(3)
    expect(calls).toBe(18)
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0)
  })

  it('sleep still rejects on abort', async () => {
    const ac = new AbortController()
    const p = sleep(60_000, ac.signal)
    ac.abort(new Error('stop'))
    await expect(p).rejects.toThrow('stop')
  })

  it('a hung judge costs the configured timeout, not 120 s', async () => {
    const baseUrl = await serve(() => {}) // accepts and never answers
    const root = await writeVipFixture()
    const started = Date.now()
    const err = await gradeVipBench({
      meta: await loadVipMeta(root), questions: QUESTIONS, answers: ANSWERS, judge: PIXCAP_JUDGE_PROMPT, runs: 1, gradeFile: join(root, 'g.json'),
      client: createChatClient({ baseUrl, model: 'j', timeoutMs: 300 }), apiRetryDelayMs: 0, maxApiRetries: 1,
    }).then(() => null, (e: unknown) => e as Error)
    expect(err?.message).toMatch(/judge request failed 2 times: .*(timeout|aborted)/i)
    expect(Date.now() - started).toBeLessThan(20_000)
  })

  it('the CLI takes --judge-timeout-s and refuses 0', async () => {
    const r = await execa('node', [join(REPO_ROOT, 'bin/pixcap.js'), 'vipbench', 'grade', '--root', 'x', '--answers', 'a', '--base-url', 'http://127.0.0.1:1/v1', '--model', 'j', '--judge-timeout-s', '0'], { reject: false })
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toContain('--judge-timeout-s must be at least 1')
  })
})
