// Golden cases: BLEU, ROUGE-L and CIDEr-D equal pycocoevalcap's pure-Python scorers (salaniz/pycocoevalcap @ ad63453)
// within 1e-12 relative. Inputs are pre-tokenised (tokenize: false); expected.json comes from make_expected.py.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { scoreCaptions } from '../../src/metrics/caption-metrics.js'
import { REPO_ROOT } from '../helpers/fixtures.js'

const DIR = join(REPO_ROOT, 'test/golden/captions')
const Input = z.object({ samples: z.array(z.object({ id: z.string(), hyp: z.string(), refs: z.array(z.string()) })) })
const Scores = z.record(z.string(), z.number())
const Expected = z.object({ corpus: Scores, perSample: z.record(z.string(), Scores) })

/** Relative closeness; exact zeros must stay exact. */
function expectClose(actual: number | undefined, expected: number, what: string, rel = 1e-12): void {
  if (expected === 0) return expect(actual, what).toBe(0)
  const err = Math.abs((actual as number) - expected) / Math.abs(expected)
  expect(err, `${what}: got ${actual}, want ${expected}`).toBeLessThanOrEqual(rel)
}

const cases = readdirSync(DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()

describe('golden caption metrics (pycocoevalcap)', () => {
  it('has the cases of metrics.md §9 and the generated ones', () => {
    expect(cases).toEqual(expect.arrayContaining(['tiny', 'edge-single-identical', 'edge-three-identical', 'edge-short-hyp',
      'edge-three-token', 'edge-empty-hyp', 'gen-repeated-ngrams', 'gen-many-refs', 'gen-long-hyps', 'gen-odd-spacing']))
  })

  it.each(cases)('%s', (name) => {
    const input = Input.parse(JSON.parse(readFileSync(join(DIR, name, 'input.json'), 'utf8')))
    const want = Expected.parse(JSON.parse(readFileSync(join(DIR, name, 'expected.json'), 'utf8')))
    const refs = new Map(input.samples.map((s) => [s.id, s.refs]))
    const hyps = new Map(input.samples.map((s) => [s.id, s.hyp]))
    const got = scoreCaptions({ refs, hyps }, { tokenize: false })
    expect(Object.keys(got.corpus).sort()).toEqual(Object.keys(want.corpus).sort())
    for (const [metric, v] of Object.entries(want.corpus)) expectClose(got.corpus[metric], v, `${name} corpus ${metric}`)
    for (const s of input.samples) {
      for (const [metric, v] of Object.entries(want.perSample[s.id] ?? {})) {
        expectClose(got.perSample[s.id]?.[metric], v, `${name} ${s.id} ${metric}`)
      }
    }
  })
})
