// `pixcap run`: recipe -> plan -> run record -> steps, with events, metrics and artifacts recorded as they arrive.
// Lifecycle (runs.md §7): queued -> running -> finished | failed | killed. Cancelling (the abort signal: SIGINT or
// SIGTERM to pixcap) ends the bridge's whole process group and marks the run killed.
import { createReadStream, existsSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { join, relative } from 'node:path'
import { PixcapError } from '../errors.js'
import { PACKAGE_ROOT, bridgeEnv, resolvePython } from '../bridge/python.js'
import type { BridgeEvent } from '../bridge/protocol.js'
import { formatArgv, spawnBridge } from '../bridge/spawn-bridge.js'
import { checkRelativePath } from '../io/input/safe-path.js'
import { loadRecipe } from '../recipes/load.js'
import { type Plan, planRun } from '../recipes/plan.js'
import { type PreflightProbes, type PreflightReport, machineProbes, preflightPlan, renderPreflight } from '../recipes/preflight.js'
import type { Recipe } from '../recipes/schema.js'
import { writeFileAtomic, writeStreamAtomic } from '../util/atomic-write.js'
import { readTail } from '../util/read-tail.js'
import { hasSbatch, submitSbatch } from '../recipes/launchers/slurm.js'
import { datasetRefs, gitInfo, gpuInventory, hostInfo, recordedEnv } from './provenance.js'
import { createRedactor } from '../util/redact.js'
import { parseTorchrunFailure } from './torchrun-failure.js'
import type { RunFailure, RunRecord } from './run-record.js'
import { RunWriter } from './run-writer.js'
import { createRunDir, heartbeatMs, newRunId } from './store.js'

/** What `runRecipe` reports while it works (only the CLI draws it). */
export type RunProgress =
  | { kind: 'started'; id: string; dir: string }
  | { kind: 'step'; name: string; argv: string[] }
  | { kind: 'event'; step: string; event: BridgeEvent }

/** Options of one `pixcap run`. */
export interface RunRecipeOptions {
  /** A recipe path or a name in recipes/. */
  recipe: string
  set?: string[]
  runsDir: string
  cwd: string
  env: Record<string, string | undefined>
  signal?: AbortSignal
  onProgress?: (p: RunProgress) => void
  /** SIGTERM -> SIGKILL grace when cancelling (default 5 s). */
  killGraceMs?: number
  /** How the plan check looks at the machine (default: this machine). */
  probes?: PreflightProbes
}

/** The argv that runs this pixcap's CLI (for recipe command steps starting with `pixcap`). */
function pixcapArgv(): string[] {
  return [process.execPath, join(PACKAGE_ROOT, 'bin/pixcap.js')]
}

/** Loads a recipe and resolves it into a plan for a fresh run id; nothing is written or spawned. */
export async function planRecipe(o: Omit<RunRecipeOptions, 'signal' | 'onProgress'>): Promise<Plan> {
  return (await prepare(o)).plan
}

/** A plan and its check (`pixcap run --dry-run`): nothing is written or spawned except the read-only probes. */
export async function checkRecipe(o: Omit<RunRecipeOptions, 'signal' | 'onProgress'>): Promise<{ plan: Plan; preflight: PreflightReport }> {
  const { plan, python } = await prepare(o)
  return { plan, preflight: await preflightPlan(plan, python, o.probes ?? machineProbes(o.env)) }
}

async function prepare(o: Omit<RunRecipeOptions, 'signal' | 'onProgress'>): Promise<{ plan: Plan; recipe: Recipe; python: string }> {
  const loaded = await loadRecipe({ recipe: o.recipe, set: o.set, cwd: o.cwd, env: o.env })
  const runId = newRunId()
  const python = resolvePython(o.env, loaded.recipe.python)
  const plan = planRun({
    recipe: loaded.recipe,
    recipeFile: loaded.file,
    runId,
    runDir: join(o.runsDir, runId),
    cwd: o.cwd,
    python,
    bridgeEnv: bridgeEnv(),
    pixcapArgv: pixcapArgv(),
  })
  return { plan, recipe: loaded.recipe, python }
}

/** How a run ended. */
export interface RunOutcome {
  id: string
  dir: string
  status: RunRecord['status']
  record: RunRecord
}

/** Runs a recipe to its end (or, on Slurm, submits it) and returns the final record. */
export async function runRecipe(o: RunRecipeOptions): Promise<RunOutcome> {
  const { plan, recipe, python } = await prepare(o)
  // The plan check first: every missing prerequisite at once, before any run directory exists or anything launches.
  // Not for Slurm: the job runs on compute nodes whose data, packages and GPUs this submit host cannot see
  // (`--dry-run` still shows the check, as seen from here).
  const preflight = plan.sbatch ? null : await preflightPlan(plan, python, o.probes ?? machineProbes(o.env))
  if (preflight && !preflight.ok) throw new PixcapError('not_found', plan.recipe.file ?? plan.recipe.name, [], renderPreflight(preflight).trimEnd())
  // Provenance: a missing corpus is an error before any run directory exists.
  const datasets = await datasetRefs(plan.datasets)
  const [pixcapGit, upstreamGit, gpus] = await Promise.all([gitInfo(PACKAGE_ROOT), plan.upstream.gpt4roi ? gitInfo(plan.upstream.gpt4roi) : null, gpuInventory(o.env)])
  const paths = await createRunDir(o.runsDir, plan.runId)
  const redact = createRedactor(o.env)
  const now = new Date().toISOString()
  const stepEnv = plan.steps[0]?.env ?? {}
  const record: RunRecord = {
    id: plan.runId,
    recipe: plan.recipe,
    status: 'queued',
    config: recipe,
    configSha256: plan.configSha256,
    launcher: plan.launcher,
    steps: plan.steps.map((s) => ({ name: s.name, kind: s.kind, argv: s.argv, env: recordedEnv({}, s.env), cwd: s.cwd, expectedOutputs: s.expectedOutputs })),
    git: { pixcap: pixcapGit, gpt4roi: upstreamGit },
    datasets,
    host: hostInfo(),
    env: recordedEnv(o.env, stepEnv),
    bridge: null,
    gpus,
    pid: process.pid,
    childPid: null,
    slurmJobId: null,
    heartbeatAt: now,
    createdAt: now,
    startedAt: null,
    endedAt: null,
    exitCode: null,
    signal: null,
    failure: null,
    artifacts: [],
    lastMetrics: {},
  }
  const writer = new RunWriter(paths, record, redact)
  await writer.update()
  o.onProgress?.({ kind: 'started', id: plan.runId, dir: paths.dir })

  if (plan.sbatch) return submitToSlurm(plan, writer, o)

  await writer.update({ status: 'running', startedAt: new Date().toISOString() })
  writer.startHeartbeat(heartbeatMs(o.env))
  // Listening tells bin/pixcap.js that this command handles SIGINT itself (steps check `aborted` between spawns).
  const onAbort = (): void => {}
  o.signal?.addEventListener('abort', onAbort)
  let final: Pick<RunRecord, 'status' | 'exitCode' | 'signal' | 'failure'> = { status: 'finished', exitCode: 0, signal: null, failure: null }
  let currentStep: string | null = null
  try {
    for (const step of plan.steps) {
      currentStep = step.name
      if (o.signal?.aborted) {
        final = { status: 'killed', exitCode: null, signal: null, failure: null }
        break
      }
      if (step.config) await writeFileAtomic(step.config.file, `${JSON.stringify(step.config.content, null, 2)}\n`)
      o.onProgress?.({ kind: 'step', name: step.name, argv: step.argv })
      await writer.note(`# pixcap: step ${step.name}: ${formatArgv(step.argv)}`)
      const stepStdoutStart = existsSync(paths.stdout) ? (await stat(paths.stdout)).size : 0
      const proc = await spawnBridge({
        argv: step.argv,
        env: { ...o.env, ...step.env },
        cwd: step.cwd,
        stderrFile: paths.stderr,
        stdoutFile: paths.stdout,
        redact,
        signal: o.signal,
        killGraceMs: o.killGraceMs,
        protocol: step.kind === 'bridge',
        timeoutMs: step.timeoutMs ?? undefined,
      })
      if (proc.pid > 0) await writer.update({ childPid: proc.pid })
      try {
        for await (const event of proc.events) {
          await writer.appendEvent(step.name, event)
          await recordEvent(writer, step.name, event, paths.dir, plan.artifactsDir)
          o.onProgress?.({ kind: 'event', step: step.name, event })
        }
      } catch (err) {
        // e.g. an artifact path escaping the output dir: stop the bridge before reporting the run failed
        proc.cancel()
        await proc.result
        throw err
      }
      const r = await proc.result
      if (step.stdoutFile && r.ok) await copyFile(paths.stdout, step.stdoutFile, stepStdoutStart)
      if (!r.ok) {
        const reported = r.final?.type === 'error' ? (({ v: _v, type: _t, ...rest }) => rest)(r.final) : null
        const torchrun = parseTorchrunFailure(await readTail(paths.stderr, STDERR_PARSE_BYTES))
        const failure: RunFailure = { step: step.name, exitCode: r.exitCode, signal: r.signal, stderrTail: r.stderrTail, message: r.message, timedOut: r.timedOut, reported, torchrun }
        final = r.canceled
          ? { status: 'killed', exitCode: r.exitCode, signal: r.signal, failure: null }
          : { status: 'failed', exitCode: r.exitCode, signal: r.signal, failure }
        break
      }
      const missing = step.expectedOutputs.filter((f) => !existsSync(f))
      if (missing.length > 0) {
        const message = `step ${step.name} finished but did not write ${missing.map((f) => relative(paths.dir, f)).join(', ')}`
        final = { status: 'failed', exitCode: r.exitCode, signal: null, failure: { step: step.name, exitCode: r.exitCode, signal: null, stderrTail: r.stderrTail, message } }
        break
      }
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    final = { status: 'failed', exitCode: null, signal: null, failure: { step: currentStep, exitCode: null, signal: null, stderrTail: '', message } }
  } finally {
    writer.stopHeartbeat()
    o.signal?.removeEventListener('abort', onAbort)
  }
  const endedAt = new Date().toISOString()
  await writer.update({ ...final, endedAt, heartbeatAt: endedAt })
  await writer.flush()
  return { id: plan.runId, dir: paths.dir, status: writer.record.status, record: writer.record }
}

/** How much of stderr.log's end is searched for a torchrun failure block (8 ranks of entries fit easily). */
const STDERR_PARSE_BYTES = 64 * 1024

/** Copies the part of stdout.log a step wrote (from byte `start`) to its own file, atomically. */
async function copyFile(log: string, dest: string, start: number): Promise<void> {
  await writeStreamAtomic(dest, existsSync(log) ? createReadStream(log, { start }) : Readable.from([]))
}

/** Applies one bridge event to the record: bridge facts, metrics, artifacts. */
async function recordEvent(writer: RunWriter, step: string, event: BridgeEvent, runDir: string, artifactsDir: string): Promise<void> {
  if (event.type === 'hello') {
    const { v: _v, type: _t, ...info } = event
    const gpus = Array.isArray(info.gpus) ? info.gpus : writer.record.gpus
    await writer.update({ bridge: info, gpus })
  } else if (event.type === 'metric') {
    await writer.appendMetric({ name: event.name, step: event.step, value: event.value, t: Date.now() })
  } else if (event.type === 'artifact') {
    const rel = checkRelativePath(event.path, { file: `bridge stdout (step ${step})`, path: ['path'] })
    const path = relative(runDir, join(artifactsDir, rel))
    const artifacts = [...writer.record.artifacts.filter((a) => a.path !== path), { path, kind: event.kind, step, t: new Date().toISOString() }]
    await writer.update({ artifacts })
  }
}

async function submitToSlurm(plan: Plan, writer: RunWriter, o: RunRecipeOptions): Promise<RunOutcome> {
  const sbatch = plan.sbatch as NonNullable<Plan['sbatch']>
  for (const step of plan.steps) if (step.config) await writeFileAtomic(step.config.file, `${JSON.stringify(step.config.content, null, 2)}\n`)
  await writeFileAtomic(sbatch.file, sbatch.text)
  const id = plan.runId
  if (!(await hasSbatch(o.env))) {
    const message = `sbatch not found on PATH; the job script is ${sbatch.file} (submit it on a Slurm login node with: ${formatArgv(sbatch.submitArgv)})`
    await writer.update({ status: 'failed', endedAt: new Date().toISOString(), failure: { step: null, exitCode: null, signal: null, stderrTail: '', message } })
    return { id, dir: writer.paths.dir, status: 'failed', record: writer.record }
  }
  try {
    const jobId = await submitSbatch(sbatch.file, o.env)
    await writer.update({ status: 'queued', slurmJobId: jobId, pid: null })
  } catch (err) {
    if (!(err instanceof PixcapError)) throw err
    await writer.update({ status: 'failed', endedAt: new Date().toISOString(), failure: { step: null, exitCode: null, signal: null, stderrTail: '', message: err.message } })
  }
  await writer.flush()
  return { id, dir: writer.paths.dir, status: writer.record.status, record: writer.record }
}
