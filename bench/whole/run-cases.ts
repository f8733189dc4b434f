// Runs whole-process cases: each case's pixcap command and peers `repeat` times, alternating which goes first so
// that neither side always meets a warm or a cold page cache, and prints one JSON line per case (table
// "whole-process") with min/median/max wall time of every side and the ratio pixcap / peer of the medians.
import { loadavg } from 'node:os'
import type { BenchContext } from '../stage.js'
import type { TimedCommand, WholeProcessCase } from './case.js'
import { spread, timeProcess, type ProcessTiming } from './time-process.js'

const round = (x: number, digits = 0): number => Math.round(x * 10 ** digits) / 10 ** digits

/** A command line for the table: the data folder and the repository shown as placeholders, paths kept short. */
function shownCommand(cmd: TimedCommand, ctx: BenchContext, root: string): string {
  return cmd.argv
    .map((a) => a.split(ctx.dataDir).join('$DATA').split(`${root}/`).join('').split(process.execPath).join('node'))
    .map((a) => (/^[\w@%+=:,./$-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))
    .join(' ')
}

function summary(label: string, runs: ProcessTiming[], cmd: TimedCommand, ctx: BenchContext, root: string) {
  const wall = spread(runs.map((r) => r.wallMs))
  const cpu = runs.every((r) => r.cpuMs !== null) ? spread(runs.map((r) => r.cpuMs as number)) : null
  const rss = runs.every((r) => r.peakRssMb !== null) ? Math.max(...runs.map((r) => r.peakRssMb as number)) : null
  return {
    label,
    ...(cmd.script !== undefined ? { script: cmd.script } : {}),
    command: shownCommand(cmd, ctx, root),
    wallMsRuns: runs.map((r) => round(r.wallMs)),
    wallMs: { min: round(wall.min), median: round(wall.median), max: round(wall.max) },
    cpuMsMedian: cpu === null ? null : round(cpu.median),
    peakRssMb: rss === null ? null : round(rss),
  }
}

export async function runWholeProcessCases(cases: readonly WholeProcessCase[], ctx: BenchContext, root: string, repeat: number): Promise<void> {
  for (const c of cases) {
    const plan = await c.prepare(ctx)
    try {
      const load0 = loadavg()[0] as number
      const sides = [plan.pixcap, ...plan.peers]
      const runs: ProcessTiming[][] = sides.map(() => [])
      for (let r = 0; r < repeat; r++) {
        const order = r % 2 === 0 ? sides.map((_, i) => i) : sides.map((_, i) => i).reverse()
        for (const i of order) {
          const side = sides[i] as TimedCommand
          process.stderr.write(`bench: ${c.name} run ${r + 1}/${repeat}: ${side.label}\n`)
          ;(runs[i] as ProcessTiming[]).push(await timeProcess(side, root))
        }
      }
      const ours = summary(plan.pixcap.label, runs[0] as ProcessTiming[], plan.pixcap, ctx, root)
      const peers = plan.peers.map((p, i) => {
        const s = summary(p.label, runs[i + 1] as ProcessTiming[], p, ctx, root)
        // > 1: pixcap takes longer than this peer; < 1: pixcap is faster (1 / ratio = how many times faster).
        return { ...s, ratio: round(ours.wallMs.median / s.wallMs.median, 2) }
      })
      const line = {
        table: 'whole-process',
        stage: c.name,
        items: plan.items(),
        unit: plan.unit,
        repeat,
        loadAverage: { before: round(load0, 2), after: round(loadavg()[0] as number, 2) },
        pixcap: ours,
        peers,
        ...(plan.notes !== undefined ? { notes: plan.notes } : {}),
      }
      process.stdout.write(`${JSON.stringify(line)}\n`)
    } finally {
      await plan.cleanup?.()
    }
  }
}
