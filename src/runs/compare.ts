// `pixcap runs compare`: the config keys whose values differ between runs, and each run's final metrics
// (runs.md §7 "Compare runs: a table of params and final metrics across runs ... and config diffs").
import type { RunRecord } from './run-record.js'

/** Differences and final metrics across runs. */
export interface RunComparison {
  ids: string[]
  statuses: string[]
  recipes: string[]
  /** Dotted config keys whose values are not all equal; values as JSON text, null when absent. */
  configDiff: { key: string; values: (string | null)[] }[]
  /** Last value of every metric any run has. */
  metrics: { name: string; values: (number | null)[] }[]
}

/** Flattens nested objects to dotted keys; lists of named objects are keyed by name (steps.train.config.lr). */
export function flattenConfig(value: unknown, prefix = '', out: Map<string, string> = new Map()): Map<string, string> {
  if (Array.isArray(value)) {
    const named = value.every((v) => typeof v === 'object' && v !== null && typeof (v as { name?: unknown }).name === 'string')
    if (named && value.length > 0) {
      for (const v of value) flattenConfig(v, `${prefix}${(v as { name: string }).name}.`, out)
    } else out.set(prefix.slice(0, -1), JSON.stringify(value))
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) flattenConfig(v, `${prefix}${k}.`, out)
  } else if (prefix !== '') {
    out.set(prefix.slice(0, -1), JSON.stringify(value))
  }
  return out
}

/** Compares runs. Pure. */
export function compareRuns(runs: readonly RunRecord[]): RunComparison {
  const flat = runs.map((r) => flattenConfig(r.config))
  const keys = [...new Set(flat.flatMap((f) => [...f.keys()]))].sort()
  const configDiff = keys
    .map((key) => ({ key, values: flat.map((f) => f.get(key) ?? null) }))
    .filter((d) => new Set(d.values).size > 1)
  const names = [...new Set(runs.flatMap((r) => Object.keys(r.lastMetrics)))].sort()
  const metrics = names.map((name) => ({ name, values: runs.map((r) => r.lastMetrics[name]?.value ?? null) }))
  return { ids: runs.map((r) => r.id), statuses: runs.map((r) => r.status), recipes: runs.map((r) => r.recipe.name), configDiff, metrics }
}

function fmtNumber(n: number | null | undefined): string {
  if (n === null || n === undefined) return '-'
  return Math.abs(n) >= 1e4 || (n !== 0 && Math.abs(n) < 1e-3) ? n.toExponential(4) : String(Number(n.toPrecision(6)))
}

/** Renders the comparison as an aligned text table (section headers are lines of their own). */
export function renderComparison(c: RunComparison): string {
  const rows: (string[] | string)[] = [['', ...c.ids], ['recipe', ...c.recipes], ['status', ...c.statuses]]
  if (c.configDiff.length > 0) rows.push('# config differences')
  for (const d of c.configDiff) rows.push([d.key, ...d.values.map((v) => v ?? '-')])
  if (c.metrics.length > 0) rows.push('# final metrics')
  for (const m of c.metrics) rows.push([m.name, ...m.values.map(fmtNumber)])
  const table = rows.filter((r): r is string[] => Array.isArray(r))
  const widths = (table[0] ?? []).map((_, i) => Math.max(...table.map((r) => (r[i] ?? '').length)))
  const lines = rows.map((r) => (typeof r === 'string' ? r : r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()))
  if (c.configDiff.length === 0) lines.push('(configs are identical)')
  return `${lines.join('\n')}\n`
}
