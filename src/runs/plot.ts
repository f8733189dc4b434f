// `pixcap runs plot`: one metric's curves for several runs, written as SVG (our drawing) or PNG (io/png/svg-to-png.ts renders the SVG).
import { svgToPng } from '../io/png/svg-to-png.js'
import { extname } from 'node:path'
import { PixcapError } from '../errors.js'
import { writeFileAtomic } from '../util/atomic-write.js'
import { metricSeries, readMetrics } from './metrics-file.js'
import { type PlotSeries, renderMetricSvg } from './plot-svg.js'
import { readRun, runPaths } from './store.js'

/** Options of one plot. */
export interface PlotRunsOptions {
  runsDir: string
  ids: string[]
  metric: string
  out: string
}

/** What was drawn. */
export interface PlotResult {
  out: string
  format: 'svg' | 'png'
  series: { id: string; points: number }[]
}

/** Draws `metric` over steps for each run into `out` (.svg or .png). */
export async function plotRuns(o: PlotRunsOptions): Promise<PlotResult> {
  const ext = extname(o.out).toLowerCase()
  if (ext !== '.svg' && ext !== '.png') throw new PixcapError('unsupported', o.out, [], `expected an output ending in .svg or .png, got "${ext || '(none)'}"`)
  const series: PlotSeries[] = []
  for (const idOrPrefix of o.ids) {
    const run = await readRun(o.runsDir, idOrPrefix)
    const points = metricSeries(await readMetrics(runPaths(o.runsDir, run.id).metrics), o.metric)
    series.push({ label: `${run.id} (${run.recipe.name})`, points })
  }
  if (series.every((s) => s.points.length === 0)) {
    throw new PixcapError('not_found', o.runsDir, [], `no run among ${o.ids.join(', ')} has a metric named "${o.metric}"`)
  }
  const svg = renderMetricSvg({ metric: o.metric, series })
  if (ext === '.svg') await writeFileAtomic(o.out, svg)
  else await writeFileAtomic(o.out, await svgToPng(svg))
  return { out: o.out, format: ext === '.svg' ? 'svg' : 'png', series: series.map((s, i) => ({ id: o.ids[i] as string, points: s.points.length })) }
}
