import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { main } from '../../src/cli/main.js'
import { createChatClient } from '../../src/vipbench/chat-client.js'
import { gradeVipBench } from '../../src/vipbench/grade.js'
import { parseEvaluatorPrompt, PIXCAP_JUDGE_PROMPT } from '../../src/vipbench/judge-prompt.js'
import { loadVipMeta } from '../../src/vipbench/prepare.js'
import { startChatServer } from '../helpers/chat-server.js'
import { captureIo } from '../helpers/io.js'
import { VIP_META, writeVipFixture } from './vip-fixture.js'

const ANSWERS = { v1_0: 'It says STOP.', v1_1: 'Yes, the left one is bigger.', v1_2: 'The answer is 7.' }
const questions = new Map([
  ['v1_0', 'What is written on the sign within the red rectangle?'],
  ['v1_1', 'Is the animal in the blue box bigger than the one in the green box?'],
  ['v1_2', 'What is 3 + the digit inside the yellow rectangle?'],
])
const idOf = (content: string) => Object.entries(ANSWERS).find(([, a]) => content.includes(`| ${a} |`))?.[0]

let servers: { close(): Promise<void> }[] = []
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()))
  servers = []
})

describe('vipbench grade against a local chat-completions server', () => {
  it('builds the evaluator-shaped query and retries malformed answers with the meta question', async () => {
    const root = await writeVipFixture()
    const server = await startChatServer((req) => {
      const id = idOf(req.content)
      if (id === 'v1_0') return '1.0'
      // v1_1: first answer unparseable, the retry parses.
      if (id === 'v1_1') return req.content.endsWith(PIXCAP_JUDGE_PROMPT.retrySuffix) ? '0.5 partly' : 'Correctness: 0.5'
      return 'maybe' // v1_2 never parses
    })
    servers.push(server)
    const gradeFile = join(root, 'grades.json')
    const summary = await gradeVipBench({
      meta: await loadVipMeta(root), questions, answers: ANSWERS, judge: PIXCAP_JUDGE_PROMPT, runs: 1, gradeFile,
      client: createChatClient({ baseUrl: server.baseUrl, model: 'judge', apiKey: 'sk-test' }), apiRetryDelayMs: 1,
    })
    const byId = (id: string) => server.requests.filter((r) => idOf(r.content) === id)
    // First query: prompt + "\n" + "question | spaced answer | prediction | " with the SPLIT question.
    expect(byId('v1_0')).toHaveLength(1)
    expect(byId('v1_0')[0]?.content).toBe(`${PIXCAP_JUDGE_PROMPT.prompt}\nWhat is written on the sign within the red rectangle? | STOP <OR> stop sign | It says STOP. | `)
    expect(byId('v1_0')[0]).toMatchObject({ maxTokens: 3, temperature: 0, authorization: 'Bearer sk-test' })
    // Retry uses the META question plus the suffix, still at temperature 0 for the first retry.
    const v11 = byId('v1_1')
    expect(v11).toHaveLength(2)
    expect(v11[1]?.content).toBe(`${PIXCAP_JUDGE_PROMPT.prompt}\n${VIP_META.v1_1.question} | yes | ${ANSWERS.v1_1} | ${PIXCAP_JUDGE_PROMPT.retrySuffix}`)
    // Never-parsing answers: 1 query + 5 retries, temperature +0.5 after each retry, then score 0.0.
    expect(byId('v1_2').map((r) => r.temperature)).toEqual([0, 0, 0.5, 1, 1.5, 2])
    expect(summary).toMatchObject({ graded: 3, queries: 9, unparseable: ['v1_2'] })
    const grades = JSON.parse(await readFile(gradeFile, 'utf8'))
    expect(grades.v1_0).toEqual({ model: ['judge-0613'], content: ['1.0'], score: [1] })
    expect(grades.v1_1).toEqual({ model: ['judge-0613'], content: ['0.5'], score: [0.5] })
    expect(grades.v1_2.score).toEqual([0])
  })

  it('resumes after a crash without re-asking graded ids, then adds a second run', async () => {
    const root = await writeVipFixture()
    const gradeFile = join(root, 'grades.json')
    const meta = await loadVipMeta(root)
    // The judge fails hard after two answers: the job stops with an error, progress saved.
    const flaky = await startChatServer((_req, i) => (i < 2 ? '0.8' : 500))
    servers.push(flaky)
    await expect(
      gradeVipBench({ meta, questions, answers: ANSWERS, judge: PIXCAP_JUDGE_PROMPT, runs: 2, gradeFile, client: createChatClient({ baseUrl: flaky.baseUrl, model: 'judge' }), apiRetryDelayMs: 1, maxApiRetries: 2 }),
    ).rejects.toThrow(/judge request failed 3 times.*run again to resume/)
    const partial = JSON.parse(await readFile(gradeFile, 'utf8'))
    expect(Object.keys(partial)).toEqual(['v1_0', 'v1_1'])

    const healthy = await startChatServer(() => '0.6')
    servers.push(healthy)
    const summary = await gradeVipBench({ meta, questions, answers: ANSWERS, judge: PIXCAP_JUDGE_PROMPT, runs: 2, gradeFile, client: createChatClient({ baseUrl: healthy.baseUrl, model: 'judge' }), apiRetryDelayMs: 1 })
    // Run 0: only v1_2 is asked; run 1: all three.
    expect(healthy.requests.map((r) => idOf(r.content))).toEqual(['v1_2', 'v1_0', 'v1_1', 'v1_2'])
    expect(summary).toMatchObject({ graded: 4, skippedAlreadyGraded: 2 })
    const grades = JSON.parse(await readFile(gradeFile, 'utf8'))
    expect(grades.v1_0.score).toEqual([0.8, 0.6])
    expect(grades.v1_2.score).toEqual([0.6, 0.6])
  })

  it('grades and scores through the CLI without leaking the key', async () => {
    const root = await writeVipFixture()
    const server = await startChatServer((req) => (idOf(req.content) === 'v1_1' ? '0.5' : '1.0'))
    servers.push(server)
    const answers = join(root, 'answers.jsonl')
    await writeFile(answers, Object.entries(ANSWERS).map(([k, text]) => JSON.stringify({ question_id: Number(k.slice(3)), prompt: 'q', text, answer_id: 'a', model_id: 'm', metadata: {} })).join('\n'))
    const gradeFile = join(root, 'g.json')
    const io = captureIo({ JUDGE_KEY: 'sk-secret-123' })
    const rc = await main(['vipbench', 'grade', '--root', root, '--answers', answers, '--base-url', server.baseUrl, '--model', 'judge', '--grade-file', gradeFile, '--api-key-env', 'JUDGE_KEY', '--json'], io)
    expect(io.err()).toBe('')
    expect(rc).toBe(0)
    expect(server.requests[0]?.authorization).toBe('Bearer sk-secret-123')
    expect(io.out()).not.toContain('sk-secret-123')
    expect(await readFile(gradeFile, 'utf8')).not.toContain('sk-secret-123')

    const io2 = captureIo()
    const csv = join(root, 'scores.csv')
    expect(await main(['vipbench', 'score', '--root', root, '--grades', gradeFile, '--name', 'gpt4roi', '--csv', csv, '--json'], io2)).toBe(0)
    const scores = JSON.parse(io2.out())
    // rec: v1_0 (1.0), v1_1 (0.5) -> 75; ocr: v1_0, v1_2 -> 100; total (1 + .5 + 1)/3 -> 83.33
    expect(scores.capabilities.find((c: { name: string }) => c.name === 'rec').score).toBe(75)
    expect(scores.total).toBeCloseTo(250 / 3, 12)
    expect((await readFile(csv, 'utf8')).split('\n')[0]).toBe(',ocr,rec,spat,math,total,std,runs')
  })
})

describe('judge prompt from a ViP-LLaVA checkout', () => {
  it('reads the prompt and retry suffix from an evaluator-shaped file at run time', () => {
    const src = [
      'import json', '', 'prompt = """Grade it.', '', 'A | B | C | D', 'x | y | z | 1.0', '"""', '',
      "question = prompt + '\\n' + ' | '.join([q, a, p, \"\"]) + \"\\nGive the number: \"", '',
    ].join('\n')
    const p = parseEvaluatorPrompt(src, 'vip-bench_evaluator.py')
    expect(p.prompt).toBe('Grade it.\n\nA | B | C | D\nx | y | z | 1.0\n')
    expect(p.retrySuffix).toBe('\nGive the number: ')
  })

  it('explains a file that is not the evaluator', () => {
    expect(() => parseEvaluatorPrompt('x = 1', 'f.py')).toThrow('f.py: no `prompt = """..."""` assignment found')
  })
})
