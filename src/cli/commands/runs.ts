// `pixcap runs list | show | logs | cancel | compare | plot`: reading and steering the run store.
import { cancelRun } from '../../runs/cancel.js'
import { compareRuns, renderComparison } from '../../runs/compare.js'
import { runLog } from '../../runs/logs.js'
import { readableLog } from '../../runs/readable-log.js'
import { plotRuns } from '../../runs/plot.js'
import type { RunRecord } from '../../runs/run-record.js'
import { STALE_HEARTBEATS, heartbeatMs, listRuns, readRun, resolveRunsDir } from '../../runs/store.js'
import { UsageError } from '../../errors.js'
import { type CliIo, type Command, parseCommandArgs, printJson } from '../command.js'

const runsDirOpt = { 'runs-dir': { type: 'string' as const }, json: { type: 'boolean' as const } }

function store(values: { 'runs-dir'?: string }, io: CliIo): { runsDir: string; staleMs: number } {
  return { runsDir: resolveRunsDir(values['runs-dir'], io.env, io.cwd), staleMs: heartbeatMs(io.env) * STALE_HEARTBEATS }
}

function duration(r: RunRecord): string {
  if (!r.startedAt) return '-'
  const ms = Date.parse(r.endedAt ?? new Date().toISOString()) - Date.parse(r.startedAt)
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`
}

/** `pixcap runs list`. */
export const runsListCommand: Command = {
  name: 'runs list',
  summary: 'list runs with their status (lost = owner died without a final status)',
  usage: 'pixcap runs list [--runs-dir DIR] [--json]',
  options: [
    { flag: '--runs-dir DIR', description: 'run store', default: '$PIXCAP_RUNS_DIR, else ./runs' },
    { flag: '--json', description: 'print the result (or the error) as JSON on stdout' },
  ],
  async run(rawArgs, io) {
    const { values } = parseCommandArgs(this, rawArgs, { options: runsDirOpt })
    const { runsDir, staleMs } = store(values, io)
    const runs = await listRuns(runsDir, { staleMs })
    if (values.json) {
      printJson(io, { ok: true, runsDir, runs: runs.map((r) => ({ id: r.id, recipe: r.recipe.name, status: r.status, createdAt: r.createdAt, duration: duration(r), lastMetrics: r.lastMetrics })) })
      return 0
    }
    if (runs.length === 0) io.stdout.write(`no runs in ${runsDir}\n`)
    for (const r of runs) {
      const last = r.lastMetrics.loss?.value
      const loss = last === undefined ? '' : ` loss=${last === null ? 'nan' : Number(last.toPrecision(4))}`
      io.stdout.write(`${r.id}  ${r.status.padEnd(8)}  ${r.recipe.name}  ${duration(r)}${loss}\n`)
    }
    return 0
  },
}

/** `pixcap runs show`. */
export const runsShowCommand: Command = {
  name: 'runs show',
  summary: 'print a run record (run.json, with the derived status)',
  usage: 'pixcap runs show <id> [--runs-dir DIR] [--json]',
  options: [
    { flag: '--runs-dir DIR', description: 'run store', default: '$PIXCAP_RUNS_DIR, else ./runs' },
    { flag: '--json', description: 'print the result (or the error) as JSON on stdout' },
  ],
  async run(rawArgs, io) {
    const { values, positionals } = parseCommandArgs(this, rawArgs, { options: runsDirOpt, allowPositionals: true })
    if (positionals.length !== 1) throw new UsageError('pixcap runs show: expected one run id', this.usage)
    const { runsDir, staleMs } = store(values, io)
    const r = await readRun(runsDir, positionals[0] as string, { staleMs })
    if (values.json) printJson(io, { ok: true, run: r })
    else io.stdout.write(`${JSON.stringify(r, null, 2)}\n`)
    return 0
  },
}

/** `pixcap runs logs`. */
export const runsLogsCommand: Command = {
  name: 'runs logs',
  summary: "print what a run's trainer printed (--stderr, --raw for the bridge protocol, -f to follow)",
  usage: 'pixcap runs logs <id> [-f] [--stderr] [--raw] [--runs-dir DIR] [--json]',
  options: [
    { flag: '-f, --follow', description: 'keep printing until the run ends' },
    { flag: '--stderr', description: "the trainer's stderr instead of its output" },
    { flag: '--raw', description: 'stdout.log as stored: one bridge protocol event (JSON) per line' },
    { flag: '--runs-dir DIR', description: 'run store', default: '$PIXCAP_RUNS_DIR, else ./runs' },
    { flag: '--json', description: 'print { id, stream, text } as JSON (not with -f)' },
  ],
  async run(rawArgs, io) {
    const { values, positionals } = parseCommandArgs(this, rawArgs, {
      options: { ...runsDirOpt, follow: { type: 'boolean', short: 'f' }, stderr: { type: 'boolean' }, raw: { type: 'boolean' } },
      allowPositionals: true,
    })
    if (positionals.length !== 1) throw new UsageError('pixcap runs logs: expected one run id', this.usage)
    if (values.json && values.follow) throw new UsageError('pixcap runs logs: --json prints the whole log once; leave out -f', this.usage)
    const { runsDir } = store(values, io)
    const stream = values.stderr ? 'stderr' : 'stdout'
    const chunks = runLog({ runsDir, id: positionals[0] as string, stream, follow: values.follow, signal: io.signal })
    // stderr is the trainer's own text; stdout.log is the protocol, shown as what it says unless --raw.
    const text = stream === 'stdout' && !values.raw ? readableLog(chunks) : chunks
    if (values.json) {
      let all = ''
      for await (const chunk of text) all += chunk
      printJson(io, { ok: true, id: positionals[0], stream, raw: values.raw === true, text: all })
      return 0
    }
    for await (const chunk of text) io.stdout.write(chunk)
    return 0
  },
}

/** `pixcap runs cancel`. */
export const runsCancelCommand: Command = {
  name: 'runs cancel',
  summary: 'cancel a run (SIGTERM to its pixcap, or scancel for Slurm)',
  usage: 'pixcap runs cancel <id> [--runs-dir DIR] [--json]',
  options: [
    { flag: '--runs-dir DIR', description: 'run store', default: '$PIXCAP_RUNS_DIR, else ./runs' },
    { flag: '--json', description: 'print the result (or the error) as JSON on stdout' },
  ],
  async run(rawArgs, io) {
    const { values, positionals } = parseCommandArgs(this, rawArgs, { options: runsDirOpt, allowPositionals: true })
    if (positionals.length !== 1) throw new UsageError('pixcap runs cancel: expected one run id', this.usage)
    const { runsDir } = store(values, io)
    const r = await cancelRun({ runsDir, id: positionals[0] as string, env: io.env })
    if (values.json) printJson(io, { ok: true, ...r })
    else io.stdout.write(`run ${r.id}: ${r.action}, now ${r.status}\n`)
    return 0
  },
}

/** `pixcap runs compare`. */
export const runsCompareCommand: Command = {
  name: 'runs compare',
  summary: 'compare runs: config differences and final metrics',
  usage: 'pixcap runs compare <id> <id>... [--runs-dir DIR] [--json]',
  options: [
    { flag: '--runs-dir DIR', description: 'run store', default: '$PIXCAP_RUNS_DIR, else ./runs' },
    { flag: '--json', description: 'print the result (or the error) as JSON on stdout' },
  ],
  async run(rawArgs, io) {
    const { values, positionals } = parseCommandArgs(this, rawArgs, { options: runsDirOpt, allowPositionals: true })
    if (positionals.length < 2) throw new UsageError('pixcap runs compare: expected at least two run ids', this.usage)
    const { runsDir, staleMs } = store(values, io)
    const runs: RunRecord[] = []
    for (const id of positionals) runs.push(await readRun(runsDir, id, { staleMs }))
    const c = compareRuns(runs)
    if (values.json) printJson(io, { ok: true, ...c })
    else io.stdout.write(renderComparison(c))
    return 0
  },
}

/** `pixcap runs plot`. */
export const runsPlotCommand: Command = {
  name: 'runs plot',
  summary: 'plot a metric over steps for runs, as SVG or PNG',
  usage: 'pixcap runs plot <id>... --metric NAME --out FILE.svg|FILE.png [--runs-dir DIR] [--json]',
  options: [
    { flag: '--metric NAME', description: 'metric to plot (required)' },
    { flag: '--out FILE', description: 'FILE.svg or FILE.png (required)' },
    { flag: '--runs-dir DIR', description: 'run store', default: '$PIXCAP_RUNS_DIR, else ./runs' },
    { flag: '--json', description: 'print the result (or the error) as JSON on stdout' },
  ],
  async run(rawArgs, io) {
    const { values, positionals } = parseCommandArgs(this, rawArgs, {
      options: { ...runsDirOpt, metric: { type: 'string' }, out: { type: 'string' } },
      allowPositionals: true,
    })
    if (positionals.length < 1) throw new UsageError('pixcap runs plot: expected at least one run id', this.usage)
    if (!values.out) throw new UsageError('pixcap runs plot: --out FILE.svg|FILE.png is required', this.usage)
    const { runsDir } = store(values, io)
    const r = await plotRuns({ runsDir, ids: positionals, metric: values.metric ?? 'loss', out: values.out })
    if (values.json) printJson(io, { ok: true, ...r })
    else io.stdout.write(`wrote ${r.out} (${r.series.map((s) => `${s.id}: ${s.points} points`).join(', ')})\n`)
    return 0
  },
}
