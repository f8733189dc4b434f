// CSV and markdown renderings of ViP-Bench scores, with the evaluator's columns: capabilities by frequency, then
// total, std and the per-run totals (reference/vipbench.md §6). Values rounded to 1 decimal like the evaluator.
import { roundTo, type VipBenchScores } from '../metrics/vipbench-score.js'

function csvCell(v: string | number): string {
  const s = String(v)
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s
}

type Table = VipBenchScores['capabilities']

function row(model: string, table: Table, s: VipBenchScores): (string | number)[] {
  const runs = `[${s.totalPerRun.map((x) => roundTo(x, 1)).join(', ')}]`
  return [model, ...table.map((c) => roundTo(c.score, 1)), roundTo(s.total, 1), roundTo(s.std, 1), runs]
}

/** CSV of the per-capability table (`cap-score`) or the per-combination table (`cap-int-score`). */
export function vipScoresCsv(model: string, s: VipBenchScores, which: 'capabilities' | 'combinations' = 'capabilities'): string {
  const table = s[which]
  const header = ['', ...table.map((c) => c.name), 'total', 'std', 'runs']
  return `${[header, row(model, table, s)].map((r) => r.map(csvCell).join(',')).join('\n')}\n`
}

/** Markdown table of both views, with sample counts. */
export function vipScoresMarkdown(model: string, s: VipBenchScores): string {
  const md = (table: Table) => {
    const header = ['model', ...table.map((c) => `${c.name} (n=${c.count})`), `total (n=${s.samples})`, 'std', 'runs']
    return [`| ${header.join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`, `| ${row(model, table, s).join(' | ')} |`].join('\n')
  }
  return `### ViP-Bench by capability (${s.runs} run${s.runs === 1 ? '' : 's'})\n\n${md(s.capabilities)}\n\n### By capability combination\n\n${md(s.combinations)}\n`
}
