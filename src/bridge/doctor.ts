// `pixcap doctor`: runs the bridge's `env` command and reports python, torch, CUDA, GPUs, transformers and whether
// GPT4RoI imports. The bridge reports these facts as extra keys of its hello event (protocol.ts keeps them).
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRedactor } from '../runs/redact.js'
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
}

/** Options for the doctor. */
export interface DoctorOptions {
  env: Record<string, string | undefined>
  cwd: string
  python?: string
  /** Run this script instead of `-m pixcap_bridge` (tests). */
  script?: string
  /** Passed to the bridge as `gpt4roi_dir` (default: $GPT4ROI_DIR). */
  gpt4roiDir?: string
}

/** Runs `<python> -m pixcap_bridge env` and collects its report. */
export async function runDoctor(o: DoctorOptions): Promise<DoctorReport> {
  const executable = resolvePython(o.env, o.python)
  const dir = await mkdtemp(join(tmpdir(), 'pixcap-doctor-'))
  try {
    const config = join(dir, 'config.json')
    await writeFile(config, JSON.stringify({ gpt4roi_dir: o.gpt4roiDir ?? o.env.GPT4ROI_DIR ?? null }))
    const entry = o.script ? [o.script] : ['-m', BRIDGE_MODULE]
    const argv = [executable, ...entry, 'env', '--config', config, '--output-dir', join(dir, 'out')]
    const proc = await spawnBridge({ argv, env: { ...o.env, ...bridgeEnv() }, cwd: o.cwd, stderrFile: join(dir, 'stderr.log'), redact: createRedactor(o.env), killGraceMs: 2000 })
    let hello: HelloEvent | null = null
    const notes: string[] = []
    for await (const e of proc.events as AsyncIterable<BridgeEvent>) {
      if (e.type === 'hello') hello = e
      else if (e.type === 'log') notes.push(`${e.level}: ${e.message}`)
    }
    const r = await proc.result
    const extra = (hello ?? {}) as Record<string, unknown>
    return {
      ok: r.ok && hello !== null,
      executable,
      argv,
      bridge: hello?.bridge ?? null,
      python: hello?.python ?? null,
      torch: hello?.torch ?? null,
      cuda: hello?.cuda ?? null,
      gpus: Array.isArray(extra.gpus) ? extra.gpus : [],
      transformers: typeof extra.transformers === 'string' ? extra.transformers : null,
      gpt4roi: extra.gpt4roi ?? null,
      notes,
      message: r.ok ? 'bridge environment ok' : r.message,
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** Human-readable doctor output. */
export function renderDoctor(d: DoctorReport): string {
  const gpuLines = d.gpus.length === 0 ? ['  GPUs:         none'] : d.gpus.map((g, i) => `  GPU ${i}:        ${typeof g === 'object' && g !== null ? Object.values(g).join(', ') : String(g)}`)
  const g = d.gpt4roi
  const gpt4roi = g === null ? 'not reported' : typeof g === 'object' ? Object.entries(g as Record<string, unknown>).map(([k, v]) => `${k}=${String(v)}`).join(', ') : String(g)
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
    ...(d.ok ? [] : ['', d.message]),
    '',
  ].join('\n')
}
