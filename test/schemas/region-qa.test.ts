// The question/answer lines are declared once (src/schemas/region-qa.ts); the JSON Schema the Python bridge validates
// against is generated from it. These tests fail when the committed file is stale, and check that both sides agree
// line by line: the same lines pass and fail in zod and in the bridge's validator.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { execa } from 'execa'
import { describe, expect, it } from 'vitest'
import { RegionAnswer, RegionQuestion, regionQaJsonSchemaText } from '../../src/schemas/region-qa.js'
import { HAS_PYTHON, PYTHON, REPO_ROOT } from '../helpers/fixtures.js'

const SCHEMA_FILE = join(REPO_ROOT, 'python-bridge/pixcap_bridge/schemas/region-qa.schema.json')

const questions: [string, unknown][] = [
  ['vipbench', { question_id: 3, image: 'v1_3.png', width: 640, height: 480, text: 'What is region1 <bbox>?', boxes: [[0.1, 0.2, 0.3, 0.4]], capability: ['rec'], key: 'v1_3' }],
  ['vg string id', { question_id: 'vg-12', image: '1.jpg', width: 5, height: 5, text: 'region1 <bbox>', boxes: [[0, 0, 1, 1]] }],
  ['negative id', { question_id: -1, image: 'x.jpg', width: 5, height: 5, text: 't', boxes: [] }],
  ['boolean id', { question_id: true, image: 'x.jpg', width: 5, height: 5, text: 't', boxes: [] }],
  ['3-number box', { question_id: 1, image: 'x.jpg', width: 5, height: 5, text: 't', boxes: [[0, 0, 1]] }],
  ['zero width', { question_id: 1, image: 'x.jpg', width: 0, height: 5, text: 't', boxes: [] }],
  ['float width', { question_id: 1, image: 'x.jpg', width: 2.5, height: 5, text: 't', boxes: [] }],
  ['old {id, question} spelling', { id: 1, image: 'x.jpg', question: 'region1 <bbox>', boxes: [] }],
  ['empty text', { question_id: 1, image: 'x.jpg', width: 5, height: 5, text: '', boxes: [] }],
]
const answers: [string, unknown][] = [
  ['bridge line', { question_id: 3, prompt: 'p', text: 'a dog', model_id: 'checkpoint-40', metadata: { temperature: 0.2 } }],
  ['model_vqa line (answer_id kept)', { question_id: 3, prompt: 'p', text: 'a dog', answer_id: 'xyz', model_id: 'm', metadata: {} }],
  ['old {id, answer} line', { id: 3, question: 'p', answer: 'a dog' }],
  ['metadata not an object', { question_id: 3, prompt: 'p', text: 'a', model_id: 'm', metadata: [] }],
]

describe('region-qa schema', () => {
  it('the committed JSON Schema is what src/schemas/region-qa.ts generates (run scripts/region-qa-schema.ts)', async () => {
    expect(await readFile(SCHEMA_FILE, 'utf8')).toBe(regionQaJsonSchemaText())
  })

  it.skipIf(!HAS_PYTHON)('zod and the bridge validator accept and reject the same lines', async () => {
    const lines = [...questions.map(([n, v]) => ({ kind: 'question', n, v })), ...answers.map(([n, v]) => ({ kind: 'answer', n, v }))]
    const script = [
      'import json, sys',
      'from pixcap_bridge.region_qa import problems, schema',
      'for line in sys.stdin:',
      '    o = json.loads(line)',
      '    print(json.dumps(problems(o["v"], schema(o["kind"]))))',
    ].join('\n')
    const r = await execa(PYTHON, ['-c', script], { input: lines.map((l) => JSON.stringify(l)).join('\n'), env: { PYTHONPATH: join(REPO_ROOT, 'python-bridge') } })
    const python = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as string[])
    const zod = lines.map((l) => (l.kind === 'question' ? RegionQuestion : RegionAnswer).safeParse(l.v).success)
    expect(lines.map((l, i) => ({ line: `${l.kind}: ${l.n}`, zod: zod[i], python: python[i]?.length === 0 }))).toEqual(
      lines.map((l, i) => ({ line: `${l.kind}: ${l.n}`, zod: zod[i], python: zod[i] })),
    )
    // And the expected verdicts, so a schema that accepts everything fails too.
    expect(zod).toEqual([true, true, false, false, false, false, false, false, false, true, true, false, false])
  })
})
