import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { compareRuns, flattenConfig, renderComparison } from '../../src/runs/compare.js'
import { niceTicks, renderMetricSvg } from '../../src/runs/plot-svg.js'
import { plotRuns } from '../../src/runs/plot.js'
import { runRecipe } from '../../src/runs/execute.js'
import type { RunRecord } from '../../src/runs/run-record.js'
import { SYSTEM_PYTHON } from '../helpers/bridges.js'
import { fixtureRecipe } from '../helpers/recipes.js'

describe('compare', () => {
  it('flattens configs, keying named list elements by name', () => {
    expect(Object.fromEntries(flattenConfig({ a: { b: 1 }, steps: [{ name: 'train', config: { lr: 0.1 } }], tags: ['x'] }))).toEqual({
      'a.b': '1', 'steps.train.name': '"train"', 'steps.train.config.lr': '0.1', tags: '["x"]',
    })
  })

  it('lists only differing keys and the final metrics', () => {
    const mk = (id: string, config: Record<string, unknown>, lastMetrics: RunRecord['lastMetrics']) =>
      ({ id, status: 'finished', recipe: { name: 'r', file: null }, config, lastMetrics }) as unknown as RunRecord
    const c = compareRuns([mk('a', { lr: 0.1, seed: 0 }, { loss: { step: 9, value: 1.5 } }), mk('b', { lr: 0.2, seed: 0, extra: true }, {})])
    expect(c.configDiff).toEqual([{ key: 'extra', values: [null, 'true'] }, { key: 'lr', values: ['0.1', '0.2'] }])
    expect(c.metrics).toEqual([{ name: 'loss', values: [1.5, null] }])
    expect(renderComparison(c)).toBe(
      ['        a         b', 'recipe  r         r', 'status  finished  finished', '# config differences', 'extra   -         true', 'lr      0.1       0.2', '# final metrics', 'loss    1.5       -', ''].join('\n'),
    )
  })
})

describe('plot', () => {
  it.each([
    [0, 1, [0, 0.2, 0.4, 0.6, 0.8, 1]],
    [0, 40, [0, 10, 20, 30, 40]],
    [0.37, 2.31, [0, 0.5, 1, 1.5, 2, 2.5]],
    [5, 5, [4.4, 4.6, 4.8, 5, 5.2, 5.4, 5.6]],
  ])('niceTicks(%d, %d)', (min, max, want) => expect(niceTicks(min, max)).toEqual(want))

  it('draws one path and one legend entry per run, with axes and ticks', () => {
    const svg = renderMetricSvg({ metric: 'loss', series: [
      { label: 'run-a', points: [{ step: 0, value: 2 }, { step: 10, value: 1 }] },
      { label: 'run-<b>', points: [{ step: 0, value: 1.5 }, { step: 10, value: 0.5 }, { step: 20, value: 0.25 }] },
      { label: 'run-c', points: [] },
    ] })
    expect(svg.match(/<path class="series"/g)).toHaveLength(2)
    expect([...svg.matchAll(/<text class="legend"[^>]*>([^<]*)</g)].map((m) => m[1])).toEqual(['run-a', 'run-&lt;b&gt;', 'run-c (no data)'])
    expect(svg).toContain('>step</text>')
    // first point of run-a: step 0 at the left edge (x=70), value 2 at the top tick (y=36)
    expect(svg).toMatch(/data-label="run-a" d="M70\.0,36\.0 L/)
  })

  it.skipIf(!SYSTEM_PYTHON)('writes SVG and PNG for real runs', async () => {
    const { file, dir, runsDir } = await fixtureRecipe('metrics', { config: { steps: 8 } })
    const a = await runRecipe({ recipe: file, runsDir, cwd: dir, env: process.env })
    const svg = join(dir, 'loss.svg')
    const r = await plotRuns({ runsDir, ids: [a.id], metric: 'loss', out: svg })
    expect(r.series).toEqual([{ id: a.id, points: 8 }])
    expect(await readFile(svg, 'utf8')).toContain(`${a.id} (fixture-metrics)`)
    const png = join(dir, 'loss.png')
    await plotRuns({ runsDir, ids: [a.id], metric: 'loss', out: png })
    expect(await sharp(png).metadata()).toMatchObject({ format: 'png', width: 800, height: 480 })
    await expect(plotRuns({ runsDir, ids: [a.id], metric: 'accuracy', out: svg })).rejects.toThrow('has a metric named "accuracy"')
    await expect(plotRuns({ runsDir, ids: [a.id], metric: 'loss', out: join(dir, 'x.jpg') })).rejects.toThrow('expected an output ending in .svg or .png, got ".jpg"')
  })
})
