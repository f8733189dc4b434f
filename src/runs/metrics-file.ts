// Reads metrics.jsonl (step-indexed points, appended while a run is alive). A torn last line from a run that died
// mid-write is skipped; any other bad line is an error naming the file and line.
import { createReadStream, existsSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { PixcapError } from '../errors.js'
import { MetricLine } from './run-record.js'

/** Every point of a run's metrics file (all metrics, in file order). */
export async function readMetrics(file: string): Promise<MetricLine[]> {
  if (!existsSync(file)) return []
  const out: MetricLine[] = []
  let pending: { lineNo: number; text: string } | null = null
  let lineNo = 0
  for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    lineNo++
    if (pending) throw new PixcapError('invalid_json', file, [], `line ${pending.lineNo}: not a metric point: ${JSON.stringify(pending.text.slice(0, 120))}`)
    if (text.trim() === '') continue
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch {
      pending = { lineNo, text }
      continue
    }
    const parsed = MetricLine.safeParse(value)
    if (!parsed.success) throw new PixcapError('schema', file, [], `line ${lineNo}: ${parsed.error.issues[0]?.message ?? 'invalid'}`)
    out.push(parsed.data)
  }
  return out
}

/** Finite points of one metric, sorted by step (the last value wins for a repeated step; nulls are gaps). */
export function metricSeries(points: readonly MetricLine[], name: string): { step: number; value: number }[] {
  const byStep = new Map<number, number>()
  for (const p of points) if (p.name === name && p.value !== null) byStep.set(p.step, p.value)
  return [...byStep.entries()].sort((a, b) => a[0] - b[0]).map(([step, value]) => ({ step, value }))
}
