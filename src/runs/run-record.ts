// run.json: everything needed to reproduce and judge a run (runs.md §7: status lifecycle, git + dirty flag, config
// hash, dataset manifest hash, host, GPUs, structured failure). pixcap's own JSON layout is the source of truth.
import { z } from 'zod'
import { TorchrunFailure } from './torchrun-failure.js'

/**
 * queued -> running -> finished | failed | killed. `lost` is never written: a reader derives it when the owning pixcap
 * process is gone and its heartbeat is stale (W&B "crashed", runs.md §2).
 */
export const RunStatus = z.enum(['queued', 'running', 'finished', 'failed', 'killed', 'lost'])
export type RunStatus = z.infer<typeof RunStatus>

/** Terminal statuses: nothing will change them. */
export const TERMINAL_STATUSES: readonly RunStatus[] = ['finished', 'failed', 'killed']

/** A git checkout's state. */
export const GitInfo = z.object({ dir: z.string(), commit: z.string(), dirty: z.boolean() })
export type GitInfo = z.infer<typeof GitInfo>

/** A corpus used by the run, pinned by its manifest's hash. */
const DatasetRef = z.object({ path: z.string(), manifestSha256: z.string() })

/** A structured failure (STYLE.md §10: the same fields as a success, plus why). */
export const RunFailure = z.object({
  step: z.string().nullable(),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  stderrTail: z.string(),
  message: z.string(),
  timedOut: z.boolean().optional(),
  /** The bridge's `error` event fields (message, traceback, and any structured failure it adds). */
  reported: z.record(z.string(), z.unknown()).nullable().optional(),
  /** torchrun's ChildFailedError block, parsed (torchrun-failure.ts). */
  torchrun: TorchrunFailure.nullable().optional(),
})
export type RunFailure = z.infer<typeof RunFailure>

/** One artifact the bridge reported; `path` is relative to the run dir. */
const ArtifactRef = z.object({ path: z.string(), kind: z.string(), step: z.string(), t: z.string() })

/** Facts the bridge reported in its hello (extra keys kept). */
const BridgeInfo = z.looseObject({
  bridge: z.string(),
  python: z.string(),
  torch: z.string().nullable(),
  cuda: z.boolean(),
})

/** The last value of each metric. */
const MetricPoint = z.object({ step: z.number(), value: z.number().nullable() })

/** A plan step as recorded (argv, env, cwd, outputs). */
const RecordedStep = z.object({
  name: z.string(),
  kind: z.enum(['bridge', 'command']),
  argv: z.array(z.string()),
  env: z.record(z.string(), z.string()),
  cwd: z.string(),
  expectedOutputs: z.array(z.string()),
})

/** The run record. */
export const RunRecord = z.object({
  id: z.string(),
  recipe: z.object({ name: z.string(), file: z.string().nullable() }),
  status: RunStatus,
  config: z.record(z.string(), z.unknown()),
  configSha256: z.string(),
  launcher: z.record(z.string(), z.unknown()),
  steps: z.array(RecordedStep),
  git: z.object({ pixcap: GitInfo.nullable(), gpt4roi: GitInfo.nullable() }),
  datasets: z.array(DatasetRef),
  host: z.object({ hostname: z.string(), platform: z.string(), arch: z.string(), cpus: z.number(), node: z.string(), user: z.string().nullable() }),
  /** Whitelisted environment, secrets as `***`. */
  env: z.record(z.string(), z.string()),
  bridge: BridgeInfo.nullable(),
  gpus: z.array(z.unknown()),
  /** The owning pixcap process. */
  pid: z.number().int().nullable(),
  /** The bridge's process group (its leader's pid). */
  childPid: z.number().int().nullable(),
  slurmJobId: z.string().nullable(),
  heartbeatAt: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  failure: RunFailure.nullable(),
  artifacts: z.array(ArtifactRef),
  lastMetrics: z.record(z.string(), MetricPoint),
})
export type RunRecord = z.infer<typeof RunRecord>

/** One line of metrics.jsonl. */
/** `value` is null for a non-finite value (NaN, inf). */
export const MetricLine = z.object({ name: z.string(), step: z.number(), value: z.number().nullable(), t: z.number() })
export type MetricLine = z.infer<typeof MetricLine>
