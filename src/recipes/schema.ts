// A recipe (recipes/*.yaml), validated after `--set` overrides and `${var}` interpolation. The schema is the one
// source of truth; types come from it (STYLE.md §4).
import { z } from 'zod'

/** Runs every step as a local process. */
const LocalLauncher = z.strictObject({ type: z.literal('local') })

/**
 * torchrun (torch.distributed.elastic). Single node: master addr/port. Several nodes: a c10d rendezvous endpoint
 * when given, else master addr/port with an explicit node rank.
 */
export const TorchrunLauncher = z.strictObject({
  type: z.literal('torchrun'),
  torchrun: z.string().default('torchrun'),
  nnodes: z.number().int().positive().default(1),
  nproc_per_node: z.number().int().positive(),
  node_rank: z.number().int().nonnegative().default(0),
  master_addr: z.string().default('127.0.0.1'),
  master_port: z.number().int().positive().default(29500),
  rdzv_backend: z.string().optional(),
  rdzv_endpoint: z.string().optional(),
  rdzv_id: z.string().optional(),
})

/** Slurm: an sbatch script in the run dir, `srun torchrun` with rendezvous from the SLURM environment. */
export const SlurmLauncher = z.strictObject({
  type: z.literal('slurm'),
  torchrun: z.string().default('torchrun'),
  nodes: z.number().int().positive(),
  /** Omitted on CPU-only nodes: no `#SBATCH --gpus-per-node`, one torchrun worker per task. */
  gpus_per_node: z.number().int().positive().optional(),
  ntasks_per_node: z.number().int().positive().default(1),
  cpus_per_task: z.number().int().positive().optional(),
  time: z.string().regex(/^(\d+-)?\d{1,2}:\d{2}(:\d{2})?$/, 'expected D-HH:MM:SS or HH:MM:SS').default('24:00:00'),
  partition: z.string().optional(),
  account: z.string().optional(),
  qos: z.string().optional(),
  mem: z.string().optional(),
  job_name: z.string().optional(),
  rdzv_port: z.number().int().positive().default(29500),
  /** Extra `#SBATCH` options, e.g. ["--exclusive"]. */
  sbatch_extra: z.array(z.string()).default([]),
})

/** Where a recipe's distributed steps run. */
export const Launcher = z.discriminatedUnion('type', [LocalLauncher, TorchrunLauncher, SlurmLauncher])
export type Launcher = z.infer<typeof Launcher>

/** A step that runs the bridge (`env`, `train`, `infer`) with a config JSON written from `config`. */
export const BridgeStep = z.strictObject({
  name: z.string().regex(/^[\w.-]+$/, 'letters, digits, _ . - only'),
  bridge: z.enum(['env', 'train', 'infer']),
  /**
   * Under torchrun/slurm, wrap the bridge in the launcher (one bridge per rank; default for train and infer). false:
   * run the bridge once and pass the topology in its config (nproc_per_node, nnodes, master_port, launcher_argv), for
   * bridges that start their own workers.
   */
  distributed: z.boolean().optional(),
  config: z.record(z.string(), z.unknown()).default({}),
  /** Stop the step (its whole process group) after this many seconds; the run fails with timedOut. */
  timeout_s: z.number().positive().optional(),
  /** Outputs the step promises, relative to the run's artifacts dir. */
  outputs: z.array(z.string()).default([]),
})

/** A plain command (argv array, never a shell string), e.g. a scorer. */
const CommandStep = z.strictObject({
  name: z.string().regex(/^[\w.-]+$/, 'letters, digits, _ . - only'),
  /** Words of the argv; a number or boolean (e.g. a `${var}` that is one) becomes its text. */
  command: z.array(z.union([z.string(), z.number(), z.boolean()]).transform(String)).min(1),
  env: z.record(z.string(), z.string()).default({}),
  cwd: z.string().optional(),
  timeout_s: z.number().positive().optional(),
  /** Also save the command's stdout to this file (relative to the artifacts dir), e.g. a scorer's --json report. */
  stdout: z.string().optional(),
  outputs: z.array(z.string()).default([]),
})

/** One step of a recipe. */
export const RecipeStep = z.union([BridgeStep, CommandStep])
export type RecipeStep = z.infer<typeof RecipeStep>
export type BridgeStep = z.infer<typeof BridgeStep>
type CommandStep = z.infer<typeof CommandStep>

/** A whole recipe. */
export const Recipe = z.strictObject({
  name: z.string().min(1),
  description: z.string().default(''),
  /** Where the numbers come from, e.g. "gpt4roi.md §7". */
  cites: z.array(z.string()).default([]),
  /** Free values for `${var}` interpolation and `--set vars.x=...`. */
  vars: z.record(z.string(), z.unknown()).default({}),
  /** Python executable; default: PIXCAP_PYTHON, the repo venv, python3. */
  python: z.string().nullable().default(null),
  bridge: z
    .strictObject({
      module: z.string().default('pixcap_bridge'),
      /** Run this script instead of `-m <module>` (tests use fixture bridges; users can point at their own). */
      script: z.string().nullable().default(null),
    })
    .default({ module: 'pixcap_bridge', script: null }),
  /** Extra environment for every step (secret names are refused). */
  env: z.record(z.string(), z.string()).default({}),
  /** Corpora whose manifest.json sha256 is recorded (bridge configs' `corpus` are added automatically). */
  datasets: z.array(z.string()).default([]),
  /** Upstream checkouts whose git commit is recorded. */
  upstream: z.strictObject({ gpt4roi: z.string().nullable().default(null) }).default({ gpt4roi: null }),
  launcher: Launcher.default({ type: 'local' }),
  steps: z.array(RecipeStep).min(1),
})
export type Recipe = z.infer<typeof Recipe>

/** True for bridge steps. */
export function isBridgeStep(s: RecipeStep): s is BridgeStep {
  return 'bridge' in s
}
