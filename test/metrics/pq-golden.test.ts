// Golden PQ cases (test/golden/pq/<case>/): inputs next to expected.json written by panopticapi itself
// (run-panopticapi.py; commands in the README there). Compared to the last digit, with panopticapi's summation order.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { evalPanoptic } from '../../src/eval/panoptic-eval.js'
import { REPO_ROOT } from '../helpers/fixtures.js'

const GOLDEN = join(REPO_ROOT, 'test/golden/pq')
const cases = readdirSync(GOLDEN, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)

interface Expected {
  cores: number
  All: { pq: number; sq: number; rq: number; n: number } | null
  Things: Expected['All']
  Stuff: Expected['All']
  per_class: Record<string, { pq: number; sq: number; rq: number }>
  stats: Record<string, { iou: number; tp: number; fp: number; fn: number }>
}

describe('PQ golden cases from panopticapi', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThanOrEqual(2))
  it.each(cases)('%s', async (name) => {
    const dir = join(GOLDEN, name)
    const want = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected
    const r = await evalPanoptic({
      gtJson: join(dir, 'gt.json'), gtDir: join(dir, 'gt'), predJson: join(dir, 'pred.json'), predDir: join(dir, 'pred'),
      workers: 0, panopticapiCores: want.cores,
    })
    expect(r.pq.All).toEqual(want.All)
    expect(r.pq.Things).toEqual(want.Things)
    expect(r.pq.Stuff).toEqual(want.Stuff)
    // panopticapi's per_class lists skipped categories as zeros; ours lists evaluated ones only.
    const evaluated = Object.entries(want.per_class).filter(([id]) => {
      const s = want.stats[id]
      return s !== undefined && s.tp + s.fp + s.fn > 0
    })
    expect(r.pq.perCategory.map((c) => [String(c.categoryId), { pq: c.pq, sq: c.sq, rq: c.rq }])).toEqual(evaluated)
    const nonEmpty = Object.fromEntries(Object.entries(want.stats).filter(([, s]) => s.tp + s.fp + s.fn > 0))
    expect(Object.fromEntries(Object.entries(r.stats).filter(([, s]) => s.tp + s.fp + s.fn > 0))).toEqual(nonEmpty)
  })
})
