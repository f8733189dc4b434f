// A recipe resolves to a PLAN before anything runs (STYLE.md §3): argv arrays, env, cwd and expected outputs per
// step, plus the launcher (and the sbatch script for Slurm). `pixcap run --dry-run` prints it; tests assert it.
// Pure: no spawn, no file access.
import { join, resolve } from 'node:path'
import { resolveInside } from '../io/input/safe-path.js'
import { sha256 } from '../util/sha256.js'
import { localArgv } from './launchers/local.js'
import { renderSbatch, srunTorchrunWords, type ShellRaw } from './launchers/slurm.js'
import { torchrunArgv } from './launchers/torchrun.js'
import { isBridgeStep, type Launcher, type Recipe } from './schema.js'

/** One step, ready to spawn. */
export interface PlanStep {
  name: string
  kind: 'bridge' | 'command'
  argv: string[]
  /** Variables set on top of the inherited environment. */
  env: Record<string, string>
  cwd: string
  /** Paths (absolute) the step promises to write. */
  expectedOutputs: string[]
  /** Bridge steps: the config JSON written before the spawn. */
  config: { file: string; content: Record<string, unknown> } | null
  /** Command steps: where their stdout is saved besides the run's stdout.log. */
  stdoutFile: string | null
  /** Wall-clock limit, or null. */
  timeoutMs: number | null
}

/** The whole plan. */
export interface Plan {
  recipe: { name: string; file: string | null }
  runId: string
  runDir: string
  artifactsDir: string
  launcher: Launcher
  steps: PlanStep[]
  /** Corpus directories (absolute) whose manifest.json is hashed into the run record. */
  datasets: string[]
  upstream: { gpt4roi: string | null }
  /** sha256 of the resolved recipe (canonical JSON). */
  configSha256: string
  /** Slurm only: the script to write and the submit argv. */
  sbatch: { file: string; text: string; submitArgv: string[] } | null
}

/** What planning needs besides the recipe. */
export interface PlanOptions {
  recipe: Recipe
  recipeFile: string | null
  runId: string
  runDir: string
  cwd: string
  /** The python executable (resolvePython). */
  python: string
  /** Variables every bridge step gets (bridgeEnv()). */
  bridgeEnv: Record<string, string>
  /** argv prefix that runs the pixcap CLI, for command steps that start with `pixcap`. */
  pixcapArgv: string[]
}

/** JSON with sorted keys, so equal configs hash equally. */
function canonicalJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort)
    if (typeof v === 'object' && v !== null) {
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])]))
    }
    return v
  }
  return JSON.stringify(sort(value))
}

/** sha256 of a resolved recipe. */
function configHash(recipe: Recipe): string {
  return sha256(canonicalJson(recipe))
}

/** Replaces `${run.dir}`, `${run.artifacts}` and `${run.id}` (left alone by recipe interpolation). */
function runVars(value: unknown, vars: Record<string, string>): unknown {
  if (typeof value === 'string') return value.replace(/\$\{run\.(dir|artifacts|id)\}/g, (_m, k: string) => vars[k] ?? '')
  if (Array.isArray(value)) return value.map((v) => runVars(v, vars))
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, runVars(v, vars)]))
  }
  return value
}

/** Resolves a recipe into a plan. Pure. */
export function planRun(o: PlanOptions): Plan {
  const runDir = resolve(o.cwd, o.runDir)
  const artifactsDir = join(runDir, 'artifacts')
  const recipe = runVars(o.recipe, { dir: runDir, artifacts: artifactsDir, id: o.runId }) as Recipe
  const launcher = recipe.launcher
  const steps: PlanStep[] = []
  const datasets = new Set(recipe.datasets.map((d) => resolve(o.cwd, d)))
  const slurmSteps: { name: string; words: (string | ShellRaw)[] }[] = []

  recipe.steps.forEach((step, index) => {
    // A step's `outputs:` and `stdout:` are relative to the artifacts dir and stay inside it: `../x` or an absolute
    // path is refused with the recipe key, never written outside the run folder.
    const where = (key: string, n?: number) => ({ file: o.recipeFile ?? 'recipe', path: n === undefined ? ['steps', index, key] : ['steps', index, key, n] })
    const expectedOutputs = step.outputs.map((p, n) => resolveInside(artifactsDir, p, where('outputs', n)))
    if (isBridgeStep(step)) {
      const configFile = join(runDir, 'config', `${step.name}.json`)
      const entryTail = [step.bridge, '--config', configFile, '--output-dir', artifactsDir]
      const entry = recipe.bridge.script ? [resolve(o.cwd, recipe.bridge.script), ...entryTail] : ['-m', recipe.bridge.module, ...entryTail]
      const distributed = step.distributed ?? step.bridge !== 'env'
      // A bridge that starts its own workers (python-bridge's gpt4roi backend runs torch.distributed.run itself) is
      // run once (`distributed: false`); it gets the recipe's topology in its config instead of being wrapped.
      // The gpt4roi backend gets the checkout the run records (upstream.gpt4roi) unless its config names one, so that
      // switching a recipe to the smoke backend is one `--set vars.backend=smoke`.
      const home = step.config.backend === 'gpt4roi' && step.config.gpt4roi_home === undefined && recipe.upstream.gpt4roi ? { gpt4roi_home: resolve(o.cwd, recipe.upstream.gpt4roi) } : {}
      const content: Record<string, unknown> =
        launcher.type === 'torchrun' && !distributed
          ? { launcher_argv: torchrunArgv(launcher, []), nnodes: launcher.nnodes, nproc_per_node: launcher.nproc_per_node, master_port: launcher.master_port, ...home, ...step.config }
          : { ...home, ...step.config }
      let argv: string[]
      if (launcher.type === 'torchrun' && distributed) argv = torchrunArgv(launcher, entry)
      else argv = localArgv(o.python, entry)
      if (launcher.type === 'slurm') {
        slurmSteps.push({ name: step.name, words: distributed ? srunTorchrunWords(launcher, entry) : ['srun', '--nodes=1', '--ntasks=1', o.python, ...entry] })
      }
      const corpus = step.config.corpus
      if (typeof corpus === 'string') datasets.add(resolve(o.cwd, corpus))
      steps.push({
        name: step.name,
        kind: 'bridge',
        argv,
        env: { ...recipe.env, ...o.bridgeEnv },
        cwd: o.cwd,
        expectedOutputs,
        config: { file: configFile, content },
        stdoutFile: null,
        timeoutMs: step.timeout_s ? step.timeout_s * 1000 : null,
      })
    } else {
      const argv = step.command[0] === 'pixcap' ? [...o.pixcapArgv, ...step.command.slice(1)] : [...step.command]
      const cwd = step.cwd ? resolve(o.cwd, step.cwd) : o.cwd
      const stdoutFile = step.stdout === undefined ? null : resolveInside(artifactsDir, step.stdout, where('stdout'))
      if (launcher.type === 'slurm') slurmSteps.push({ name: step.name, words: stdoutFile ? [...argv, { raw: '>' }, stdoutFile] : argv })
      steps.push({
        name: step.name,
        kind: 'command',
        argv,
        env: { ...recipe.env, ...step.env },
        cwd,
        expectedOutputs,
        config: null,
        stdoutFile,
        timeoutMs: step.timeout_s ? step.timeout_s * 1000 : null,
      })
    }
  })

  let sbatch: Plan['sbatch'] = null
  if (launcher.type === 'slurm') {
    const file = join(runDir, 'job.sbatch')
    const text = renderSbatch({
      launcher,
      jobName: launcher.job_name ?? `pixcap-${recipe.name}`,
      cwd: o.cwd,
      stdoutFile: join(runDir, 'stdout.log'),
      stderrFile: join(runDir, 'stderr.log'),
      env: { ...recipe.env, ...o.bridgeEnv },
      steps: slurmSteps,
    })
    sbatch = { file, text, submitArgv: ['sbatch', '--parsable', file] }
  }

  return {
    recipe: { name: recipe.name, file: o.recipeFile },
    runId: o.runId,
    runDir,
    artifactsDir,
    launcher,
    steps,
    datasets: [...datasets],
    upstream: { gpt4roi: recipe.upstream.gpt4roi ? resolve(o.cwd, recipe.upstream.gpt4roi) : null },
    configSha256: configHash(o.recipe),
    sbatch,
  }
}
