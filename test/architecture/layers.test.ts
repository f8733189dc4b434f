// The layer rules of ARCHITECTURE.md hold by a check: dependency-cruiser with .dependency-cruiser.cjs on src/, plus
// no cycles in the folder graph. The fixture in test/fixtures/layers/ breaks each rule once, to show the check fails.
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../helpers/fixtures.js'
import { folderCycles, folderEdges } from './folder-graph.js'

const config = createRequire(import.meta.url)(join(REPO_ROOT, '.dependency-cruiser.cjs')) as IConfiguration

async function cruiseSrc(baseDir: string): Promise<ICruiseResult> {
  const r = await cruise(['src'], { ...config.options, ruleSet: { forbidden: config.forbidden ?? [] }, validate: true, baseDir, tsConfig: { fileName: join(REPO_ROOT, 'tsconfig.json') } })
  return r.output as ICruiseResult
}

const violations = (r: ICruiseResult) => r.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`)

describe('layers', () => {
  it('src/ follows every dependency rule and its folder graph has no cycle', { timeout: 120_000 }, async () => {
    const r = await cruiseSrc(REPO_ROOT)
    expect(r.modules.length).toBeGreaterThan(200)
    expect(violations(r)).toEqual([])
    const edges = folderEdges(r.modules)
    const cycles = folderCycles(edges)
    // On failure, name one import per edge inside each cycle.
    const why = cycles.flatMap((c) => c.flatMap((a) => [...(edges.get(a) ?? [])].filter(([b]) => c.includes(b)).map(([, example]) => example)))
    expect(cycles, why.join('\n')).toEqual([])
  })

  it('a wrong-way import fails the check (fixture: one break of each rule, and a folder cycle)', { timeout: 120_000 }, async () => {
    const r = await cruiseSrc(join(REPO_ROOT, 'test/fixtures/layers'))
    expect(violations(r).map((v) => v.replace(/\S*node_modules\/sharp\/\S+/, 'node_modules/sharp')).sort()).toEqual([
      'bridge-recipes-not-runs: src/recipes/plan.ts -> src/runs/launch.ts',
      'geometry-metrics-pure: src/geometry/box.ts -> fs',
      'io-not-above-it: src/io/png/decode.ts -> src/dataset/filter.ts',
      'nothing-imports-cli: src/dataset/filter.ts -> src/cli/progress.ts',
      'sharp-only-in-io: src/dataset/filter.ts -> node_modules/sharp',
    ])
    expect(folderCycles(folderEdges(r.modules))).toEqual([['a', 'b']])
  })
})
