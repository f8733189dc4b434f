// The runs side of `pixcap view`: the run store's table and one run's config, logs and metric curves. Reads the
// store through src/runs (statuses derived as `pixcap runs list` derives them). Log tails pass through the same
// redactor the run writer uses, so a token in this server's environment never reaches the page.
import { existsSync } from 'node:fs'
import { readMetrics, metricSeries } from '../runs/metrics-file.js'
import { createRedactor } from '../util/redact.js'
import type { RunRecord } from '../runs/run-record.js'
import { listRuns, readRun, runPaths } from '../runs/store.js'
import { readTail } from '../util/read-tail.js'

/** Bytes of each log shown on a run page. */
const LOG_TAIL_BYTES = 64 * 1024

/** One line of the runs table. */
export interface RunRow {
  id: string
  status: string
  recipe: string
  corpus: string | null
  startedAt: string | null
  durationMs: number | null
  finalMetrics: Record<string, number | null>
}

/** A run page: the record, every metric's curve and the log tails. */
export interface RunDetail {
  row: RunRow
  record: RunRecord
  /** Points per metric, step-sorted (src/runs/metrics-file.ts metricSeries). */
  series: Record<string, { step: number; value: number }[]>
  /** Lines of metrics.jsonl, for checking the curves against the file. */
  metricLines: number
  stdout: string
  stderr: string
}

function toRow(r: RunRecord): RunRow {
  const start = r.startedAt ? Date.parse(r.startedAt) : NaN
  const end = r.endedAt ? Date.parse(r.endedAt) : NaN
  return {
    id: r.id,
    status: r.status,
    recipe: r.recipe.name,
    corpus: r.datasets[0]?.path ?? null,
    startedAt: r.startedAt,
    durationMs: Number.isFinite(start) && Number.isFinite(end) ? end - start : null,
    finalMetrics: Object.fromEntries(Object.entries(r.lastMetrics).map(([k, v]) => [k, v.value])),
  }
}

/** The runs table, newest first ([] when the folder does not exist). */
export async function runsTable(runsDir: string): Promise<RunRow[]> {
  if (!existsSync(runsDir)) return []
  return (await listRuns(runsDir)).map(toRow).reverse()
}

/** One run's page data. */
export async function runDetail(runsDir: string, id: string, env: Record<string, string | undefined>): Promise<RunDetail> {
  const record = await readRun(runsDir, id)
  const paths = runPaths(runsDir, record.id)
  const points = await readMetrics(paths.metrics)
  const names = [...new Set(points.map((p) => p.name))]
  const redact = createRedactor(env)
  return {
    row: toRow(record),
    record,
    series: Object.fromEntries(names.map((n) => [n, metricSeries(points, n)])),
    metricLines: points.length,
    stdout: redact(await readTail(paths.stdout, LOG_TAIL_BYTES)),
    stderr: redact(await readTail(paths.stderr, LOG_TAIL_BYTES)),
  }
}
