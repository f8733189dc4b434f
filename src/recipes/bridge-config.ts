// What each bridge command reads from its config, per backend (python-bridge/pixcap_bridge: train_cmd.py,
// infer_cmd.py, smoke/*.py, gpt4roi/launch.py, gpt4roi/infer.py). The schemas are strict: a key the chosen backend
// would ignore (`save_every`, `log_every` or `device` under gpt4roi training) is an error at load time that names the
// key and what to use instead, never a setting that silently does nothing.
import { z } from 'zod'
import { type JsonPath, PixcapError, toJsonPath } from '../errors.js'
import { formatZodIssue } from '../util/zod-issues.js'

const path = z.string().min(1)
const seed = z.number().int().nonnegative()
const positiveInt = z.number().int().positive()
/** Every bridge command: the heartbeat period (pixcap_bridge.protocol.Heartbeat). */
const common = { heartbeat_seconds: z.number().positive().optional() }
/** What the runs side adds for `distributed: false` steps under torchrun (src/recipes/plan.ts). */
const topology = {
  launcher_argv: z.array(z.string()).optional(),
  nnodes: positiveInt.optional(),
  nproc_per_node: positiveInt.optional(),
  master_port: positiveInt.optional(),
}

/** `train`, backend smoke (smoke/train.py). */
const SmokeTrainConfig = z.strictObject({
  backend: z.literal('smoke'),
  ...common,
  corpus: path,
  split: z.string().optional(),
  images_root: path,
  steps: positiveInt.optional(),
  batch_size: positiveInt.optional(),
  lr: z.number().positive().optional(),
  seed: seed.optional(),
  device: z.enum(['auto', 'cpu', 'cuda']).optional(),
  log_every: positiveInt.optional(),
  save_every: z.number().int().nonnegative().optional(),
  threads: positiveInt.optional(),
  d_model: positiveInt.optional(),
  n_layers: positiveInt.optional(),
  image_size: positiveInt.optional(),
  max_len: positiveInt.optional(),
  max_samples: positiveInt.optional(),
})

/** One `spi_datasets` entry of GPT4RoI's stage config (gpt4roi.md §1); pixcap_bridge/gpt4roi/stage_config.py checks the rest. */
const StageEntry = z.looseObject({ type: z.string().min(1), ratio: z.number().positive().max(1).optional() })

/** `train`, backend gpt4roi (gpt4roi/launch.py): HF TrainingArguments go through `gpt4roi_args`. */
const Gpt4RoiTrainConfig = z.strictObject({
  backend: z.literal('gpt4roi'),
  ...common,
  ...topology,
  gpt4roi_home: path.optional(),
  python: path.optional(),
  corpus: path.optional(),
  split: z.string().optional(),
  images_root: path.optional(),
  corpus_entry: StageEntry.optional(),
  corpus_ratio: z.number().positive().max(1).optional(),
  datasets: z.array(StageEntry).optional(),
  upstream_data_root: path.optional(),
  model_name_or_path: path,
  pretrain_mm_mlp_adapter: path.optional(),
  stage1_dir: path.optional(),
  resume: z.boolean().optional(),
  workdir: path.optional(),
  flash_attn: z.boolean().optional(),
  lr: z.number().positive().optional(),
  batch_size: positiveInt.optional(),
  seed: seed.optional(),
  steps: z.number().int().nonnegative().optional(),
  gpt4roi_args: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
})

const inferCommon = {
  ...common,
  checkpoint: path,
  questions: path,
  images_root: path,
  results_dir: path.optional(),
  temperature: z.number().nonnegative().optional(),
  max_new_tokens: positiveInt.optional(),
  stop: z.literal('###').optional(),
  seed: seed.optional(),
}

/** `infer`, backend smoke (smoke/infer.py). */
const SmokeInferConfig = z.strictObject({ backend: z.literal('smoke'), ...inferCommon, device: z.enum(['auto', 'cpu', 'cuda']).optional(), threads: positiveInt.optional() })

/** `infer`, backend gpt4roi (gpt4roi/infer.py: always CUDA, fp16, as upstream's scripts). */
const Gpt4RoiInferConfig = z.strictObject({ backend: z.literal('gpt4roi'), ...inferCommon, ...topology, gpt4roi_home: path.optional() })

/** The schema per bridge command and backend. `env` takes anything (it only reports). */
const BRIDGE_CONFIGS = {
  train: { smoke: SmokeTrainConfig, gpt4roi: Gpt4RoiTrainConfig },
  infer: { smoke: SmokeInferConfig, gpt4roi: Gpt4RoiInferConfig },
} as const

/** What to say when a backend does not read a key another backend reads. */
const INSTEAD: Record<string, Record<string, string>> = {
  gpt4roi: {
    save_every: 'GPT4RoI saves through HF TrainingArguments: set gpt4roi_args.save_steps',
    log_every: 'GPT4RoI logs through HF TrainingArguments: set gpt4roi_args.logging_steps',
    device: 'GPT4RoI runs on CUDA under torchrun; the launcher (nproc_per_node) picks the GPUs',
    threads: 'GPT4RoI runs on CUDA; threads is a smoke-backend key',
  },
  smoke: {
    gpt4roi_home: 'the smoke backend runs without a GPT4RoI checkout; leave it to upstream.gpt4roi',
    gpt4roi_args: 'the smoke backend has its own keys (steps, lr, batch_size, ...)',
    model_name_or_path: 'the smoke backend trains its own tiny model from scratch',
  },
}

/**
 * Checks a bridge step's config against its backend's schema; throws one PixcapError listing every issue, the first
 * one's JSON path on the error. Configs without a backend (fixture bridges, `env`) are not checked.
 */
export function checkBridgeConfig(bridge: string, config: Record<string, unknown>, file: string, at: JsonPath): void {
  const backend = config.backend
  const table = BRIDGE_CONFIGS[bridge as keyof typeof BRIDGE_CONFIGS]
  if (!table || typeof backend !== 'string') return
  const schema = table[backend as keyof typeof table] as z.ZodType | undefined
  if (!schema) {
    throw new PixcapError('schema', file, [...at, 'backend'], `expected one of ${Object.keys(table).map((b) => JSON.stringify(b)).join(' | ')}, got ${JSON.stringify(backend)}`)
  }
  const parsed = schema.safeParse(config)
  if (parsed.success) return
  const issues: { path: JsonPath; text: string }[] = []
  for (const issue of parsed.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const hint = INSTEAD[backend]?.[key]
        issues.push({ path: [...at, ...(issue.path as JsonPath), key], text: `the ${backend} backend does not read "${key}"${hint ? `; ${hint}` : ''}` })
      }
    } else {
      const p = formatZodIssue(issue, config, at)
      issues.push({ path: p.path, text: p.detail })
    }
  }
  const [first, ...rest] = issues as [(typeof issues)[number], ...typeof issues]
  const more = rest.length > 0 ? `\n  all issues:\n  ${issues.map((i) => `${toJsonPath(i.path)}: ${i.text}`).join('\n  ')}` : ''
  throw new PixcapError('schema', file, first.path, `${first.text}${more}`)
}
