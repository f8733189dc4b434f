// What a run records about where it ran (runs.md §7 "Environment capture at start"): git commit + dirty flag of
// pixcap and of the upstream checkout, dataset manifest hashes, host, and a whitelisted, redacted environment.
import { existsSync } from 'node:fs'
import { cpus, hostname, userInfo } from 'node:os'
import { join } from 'node:path'
import { execa } from 'execa'
import { PixcapError } from '../errors.js'
import { sha256File } from '../util/sha256.js'
import { redactEnv } from '../util/redact.js'
import type { GitInfo, RunRecord } from './run-record.js'

/** Commit and dirty flag of the git checkout containing `dir`, or null when it is not one (or git is missing). */
export async function gitInfo(dir: string): Promise<GitInfo | null> {
  if (!existsSync(dir)) return null
  const head = await execa('git', ['-C', dir, 'rev-parse', 'HEAD'], { reject: false, timeout: 30_000 })
  if (head.exitCode !== 0) return null
  const status = await execa('git', ['-C', dir, 'status', '--porcelain', '--untracked-files=no'], { reject: false, timeout: 30_000 })
  return { dir, commit: String(head.stdout).trim(), dirty: String(status.stdout).trim() !== '' }
}

/** sha256 of `<corpus>/manifest.json` for each corpus; a corpus without one is not a finished corpus. */
export async function datasetRefs(corpora: readonly string[]): Promise<RunRecord['datasets']> {
  const out: RunRecord['datasets'] = []
  for (const path of corpora) {
    const manifest = join(path, 'manifest.json')
    if (!existsSync(manifest)) {
      throw new PixcapError('not_found', manifest, [], 'the recipe uses this corpus, but it has no manifest.json (the manifest is written last, so the corpus is missing or incomplete; build it with `pixcap convert` or `pixcap demo`)')
    }
    out.push({ path, manifestSha256: await sha256File(manifest) })
  }
  return out
}

export { gpuInventory, parseNvidiaSmi } from '../bridge/gpu-inventory.js'

/** The host facts of run.json. */
export function hostInfo(): RunRecord['host'] {
  let user: string | null = null
  try {
    user = userInfo().username
  } catch {
    user = null
  }
  return { hostname: hostname(), platform: process.platform, arch: process.arch, cpus: cpus().length, node: process.version, user }
}

/** Variables worth recording (runs.md §5, §7: CUDA_VISIBLE_DEVICES, NCCL_*, NORM_ATTN, ONLY_SPI, ...). */
const ENV_WHITELIST = /^(CUDA_VISIBLE_DEVICES|NCCL_\w+|NORM_ATTN|ONLY_SPI|OMP_NUM_THREADS|PIXCAP_\w+|SLURM_JOB_ID|HF_HOME|HF_HUB_OFFLINE|HF_DATASETS_OFFLINE|TRANSFORMERS_\w+|TORCH_\w+|PYTORCH_\w+|PYTHONPATH|VIRTUAL_ENV|CONDA_DEFAULT_ENV)$/

/** The environment recorded in run.json: the whitelist plus what the plan sets, secrets as `***`. */
export function recordedEnv(env: Record<string, string | undefined>, planEnv: Record<string, string>): Record<string, string> {
  const picked: Record<string, string | undefined> = {}
  for (const [k, v] of Object.entries(env)) if (ENV_WHITELIST.test(k)) picked[k] = v
  return redactEnv({ ...picked, ...planEnv })
}
