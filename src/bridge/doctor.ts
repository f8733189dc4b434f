// `pixcap doctor`: runs the bridge's `env` command and reports python, torch, CUDA, GPUs, transformers and whether
// GPT4RoI imports. python-bridge reports them as an `env` object on a log event (env_cmd.py); facts given as extra
// keys of the hello event are read too (protocol.ts keeps unknown keys).
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRedactor } from '../util/redact.js'
import { BRIDGE_MODULE, bridgeEnv, resolvePython } from './python.js'
import type { BridgeEvent, HelloEvent } from './protocol.js'
import { spawnBridge } from './spawn-bridge.js'

/** The doctor's findings. */
export interface DoctorReport {
  ok: boolean
  executable: string
  argv: string[]
  bridge: string | null
  python: string | null
  torch: string | null
  cuda: boolean | null
  gpus: unknown[]
  transformers: string | null
  gpt4roi: unknown
  /** Log events and problems, in order. */
  notes: string[]
  /** On failure: why, with the stderr tail. */
  message: string
  /** On failure: what to run to fix it (null when ok). */
  fix: string | null
}

/**
 * The one documented Python setup (README "Training and evaluation runs"): `npm run setup` creates <repo>/.venv with
 * torch CPU, transformers, pyarrow, datasets (scripts/setup-python.sh), which resolvePython then picks up.
 */
export const PYTHON_SETUP_HINT = 'run `npm run setup` in the pixcap folder (creates .venv with torch CPU, transformers, pyarrow, datasets), or point PIXCAP_PYTHON at a Python that has torch'

/** Options for the doctor. */
export interface DoctorOptions {
  env: Record<string, string | undefined>
  cwd: string
  python?: string
  /** Run this script instead of `-m pixcap_bridge` (tests). */
  script?: string
  /** Passed to the bridge as `gpt4roi_home` (default: the bridge reads $GPT4ROI_HOME). */
  gpt4roiHome?: string
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function describeGpu(g: unknown): string {
  if (!isRecord(g)) return String(g)
  const mem = typeof g.memory_bytes === 'number' ? `${(g.memory_bytes / 2 ** 30).toFixed(1)} GiB` : null
  return [g.name, mem, g.capability ? `sm ${String(g.capability)}` : null].filter((x) => x !== null && x !== undefined).join(', ')
}

/** Runs `<python> -m pixcap_bridge env` and collects its report. */
export async function runDoctor(o: DoctorOptions): Promise<DoctorReport> {
  const executable = resolvePython(o.env, o.python)
  const dir = await mkdtemp(join(tmpdir(), 'pixcap-doctor-'))
  try {
    const config = join(dir, 'config.json')
    await writeFile(config, JSON.stringify(o.gpt4roiHome ? { gpt4roi_home: o.gpt4roiHome } : {}))
    const entry = o.script ? [o.script] : ['-m', BRIDGE_MODULE]
    const argv = [executable, ...entry, 'env', '--config', config, '--output-dir', join(dir, 'out')]
    const proc = await spawnBridge({ argv, env: { ...o.env, ...bridgeEnv() }, cwd: o.cwd, stderrFile: join(dir, 'stderr.log'), redact: createRedactor(o.env), killGraceMs: 2000 })
    let hello: HelloEvent | null = null
    let reported: Record<string, unknown> = {}
    const notes: string[] = []
    for await (const e of proc.events as AsyncIterable<BridgeEvent>) {
      if (e.type === 'hello') hello = e
      else if (e.type === 'log' && isRecord(e.env)) reported = e.env
      else if (e.type === 'log') notes.push(`${e.level}: ${e.message}`)
      else if (e.type === 'error') notes.push(`error: ${e.message}`)
    }
    const r = await proc.result
    const extra: Record<string, unknown> = { ...(hello ?? {}), ...reported }
    const torch = typeof extra.torch === 'string' ? extra.torch : null
    // Every recipe's backend (the smoke model included) is PyTorch: a bridge without torch cannot run one.
    const ok = r.ok && hello !== null && torch !== null
    const why = !r.ok || hello === null ? `the bridge did not start with ${executable}: ${r.message}` : torch === null ? `torch is not installed in ${executable}; no recipe can run` : 'bridge environment ok'
    return {
      ok,
      executable,
      argv,
      bridge: hello?.bridge ?? null,
      python: hello?.python ?? null,
      torch,
      cuda: typeof extra.cuda_available === 'boolean' ? extra.cuda_available : (hello?.cuda ?? null),
      gpus: Array.isArray(extra.gpus) ? extra.gpus : [],
      transformers: typeof extra.transformers === 'string' ? extra.transformers : null,
      gpt4roi: extra.gpt4roi ?? null,
      notes,
      message: why,
      fix: ok ? null : PYTHON_SETUP_HINT,
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** Human-readable doctor output. */
export function renderDoctor(d: DoctorReport): string {
  const gpuLines = d.gpus.length === 0 ? ['  GPUs:         none'] : d.gpus.map((g, i) => `  GPU ${i}:        ${describeGpu(g)}`)
  const g = d.gpt4roi
  const gpt4roi = g === null ? 'not reported' : typeof g === 'object' ? Object.entries(g as Record<string, unknown>).filter(([k]) => k !== 'traceback').map(([k, v]) => `${k}=${String(v)}`).join(', ') : String(g)
  return [
    `pixcap doctor: ${d.ok ? 'ok' : 'FAILED'}`,
    `  executable:   ${d.executable}`,
    `  bridge:       ${d.bridge ?? '-'}`,
    `  python:       ${d.python ?? '-'}`,
    `  torch:        ${d.torch ?? 'not installed'}`,
    `  CUDA:         ${d.cuda === null ? '-' : d.cuda ? 'available' : 'not available'}`,
    ...gpuLines,
    `  transformers: ${d.transformers ?? 'not reported'}`,
    `  GPT4RoI:      ${gpt4roi}`,
    ...d.notes.map((n) => `  ${n}`),
    ...(d.ok ? [] : ['', d.message, `fix: ${d.fix}`]),
    '',
  ].join('\n')
}
