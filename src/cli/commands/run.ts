import { formatArgv } from '../../bridge/spawn-bridge.js'
import { PYTHON_SETUP_HINT } from '../../bridge/doctor.js'
import type { Plan } from '../../recipes/plan.js'
import { type PreflightReport, renderPreflight } from '../../recipes/preflight.js'
import { type RunProgress, checkRecipe, runRecipe } from '../../runs/execute.js'
import { resolveRunsDir } from '../../runs/store.js'
import { UsageError } from '../../errors.js'
import { type Command, parseCommandArgs, printJson } from '../command.js'
import { createProgressBar } from '../progress.js'

const usage = 'pixcap run <recipe> [--set key=value]... [--dry-run] [--runs-dir DIR] [--json]'

/** Human-readable plan (what --dry-run prints). */
export function renderPlan(p: Plan): string {
  const lines = [`recipe ${p.recipe.name} (${p.recipe.file ?? 'inline'})`, `run dir  ${p.runDir} (a real run would create it; --dry-run does not)`, `launcher ${JSON.stringify(p.launcher)}`, `config sha256 ${p.configSha256}`]
  if (p.datasets.length) lines.push(`datasets ${p.datasets.join(', ')}`)
  for (const s of p.steps) {
    lines.push('', `step ${s.name} (${s.kind})`, `  cwd  ${s.cwd}`, `  argv ${formatArgv(s.argv)}`)
    for (const [k, v] of Object.entries(s.env)) lines.push(`  env  ${k}=${v}`)
    if (s.config) lines.push(`  config ${s.config.file}: ${JSON.stringify(s.config.content)}`)
    for (const f of s.expectedOutputs) lines.push(`  writes ${f}`)
  }
  if (p.sbatch) lines.push('', `sbatch script ${p.sbatch.file} (submitted with: ${formatArgv(p.sbatch.submitArgv)}):`, p.sbatch.text)
  return `${lines.join('\n')}\n`
}

/** The data files and directories a run would read, each marked found or missing. */
export function renderInputs(r: PreflightReport): string {
  if (r.inputs.length === 0) return ''
  return `reads\n${r.inputs.map((i) => `  ${i.exists ? 'ok     ' : 'MISSING'} [${i.step}] ${i.role}: ${i.path}`).join('\n')}\n`
}

/** `pixcap run`: runs a recipe (or prints its plan) and records the run. */
export const runCommand: Command = {
  name: 'run',
  summary: 'run a recipe (train/eval through the Python bridge) and record it in the run store',
  usage,
  options: [
    { flag: '--set key=value', description: 'override a recipe config value (repeatable)' },
    { flag: '--dry-run', description: 'print the plan (argv, env, cwd) and run nothing' },
    { flag: '--runs-dir DIR', description: 'run store', default: '$PIXCAP_RUNS_DIR, else ./runs' },
    { flag: '--json', description: 'print the result (or the error) as JSON on stdout' },
  ],
  async run(rawArgs, io) {
    const { values, positionals } = parseCommandArgs(this, rawArgs, {
      options: {
        set: { type: 'string', multiple: true },
        'dry-run': { type: 'boolean' },
        'runs-dir': { type: 'string' },
        json: { type: 'boolean' },
      },
      allowPositionals: true,
    })
    if (positionals.length !== 1) throw new UsageError('pixcap run: expected exactly one recipe (a path or a name in recipes/)', usage)
    const recipe = positionals[0] as string
    const runsDir = resolveRunsDir(values['runs-dir'], io.env, io.cwd)
    const common = { recipe, set: values.set ?? [], runsDir, cwd: io.cwd, env: io.env }
    if (values['dry-run']) {
      const { plan, preflight } = await checkRecipe(common)
      if (values.json) printJson(io, { ok: preflight.ok, dryRun: true, plan, preflight })
      else io.stdout.write(`${renderPlan(plan)}\n${renderInputs(preflight)}${renderPreflight(preflight)}`)
      return preflight.ok ? 0 : 1
    }
    const bar = createProgressBar(io, values.json === true)
    const onProgress = (p: RunProgress): void => {
      if (values.json) return
      if (p.kind === 'started') io.stderr.write(`run ${p.id}: ${p.dir}\n`)
      else if (p.kind === 'step') io.stderr.write(`step ${p.name}: ${formatArgv(p.argv)}\n`)
      else if (p.event.type === 'progress') bar({ kind: 'progress', stage: p.step, done: p.event.step, total: p.event.total ?? undefined })
      else if (p.event.type === 'log' && (p.event.level === 'warning' || p.event.level === 'error')) {
        bar.finish()
        io.stderr.write(`[${p.step}] ${p.event.level}: ${p.event.message}\n`)
      }
    }
    const outcome = await runRecipe({ ...common, signal: io.signal, onProgress })
    bar.finish()
    const r = outcome.record
    // A trainer that cannot import torch means the Python side was never set up: say what to run.
    const hint = r.failure && /No module named '?torch/.test(`${r.failure.stderrTail}\n${r.failure.message}`) ? PYTHON_SETUP_HINT : null
    if (values.json) printJson(io, { ok: outcome.status === 'finished' || outcome.status === 'queued', id: outcome.id, dir: outcome.dir, status: outcome.status, record: r, ...(hint ? { hint } : {}) })
    else {
      const metrics = Object.entries(r.lastMetrics).map(([k, v]) => `${k}=${v.value === null ? 'nan' : Number(v.value.toPrecision(4))} @${v.step}`).join(', ')
      io.stdout.write(`run ${outcome.id} ${outcome.status}${r.slurmJobId ? ` (slurm job ${r.slurmJobId})` : ''}${metrics ? `: ${metrics}` : ''}\n`)
      if (r.failure) io.stderr.write(`${r.failure.message}\n`)
      if (hint) io.stderr.write(`pixcap run: the trainer's Python has no torch; ${hint}\n`)
    }
    if (outcome.status === 'finished' || outcome.status === 'queued') return 0
    return outcome.status === 'killed' ? 130 : 1
  },
}
