// The plan check: before anything is launched (and on `pixcap run --dry-run`), every prerequisite a plan names is
// looked at, and ALL missing ones are reported at once: corpora and their manifest.json, images roots, checkpoints,
// question files, the GPT4RoI checkout and the dataset types it registers, the Python environment and the packages the
// backend imports, GPUs and torchrun for GPU steps, Java and the jars for METEOR/SPICE, the judge endpoint. Inputs an
// earlier step of the same run writes (paths under the run directory) are not required to exist yet.
//
// The probes (python packages, GPUs, programs on PATH) are injectable, so tests describe a machine without having it.
import { existsSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join, resolve, sep } from 'node:path'
import { execa } from 'execa'
import { gpuInventory } from '../bridge/gpu-inventory.js'
import { findOnPath } from '../util/find-on-path.js'
import type { Plan, PlanStep } from './plan.js'

/** One missing prerequisite. */
interface PreflightProblem {
  /** The step it belongs to, or null for the whole recipe. */
  step: string | null
  /** What is missing, e.g. `corpus`, `python package mmcv`, `GPUs`. */
  what: string
  detail: string
}

/** What the check found. */
export interface PreflightReport {
  ok: boolean
  problems: PreflightProblem[]
  /** Every input file or directory the run would read, with whether it is there (what --dry-run prints). */
  inputs: { step: string; role: string; path: string; exists: boolean }[]
}

/** How the check looks at the machine (defaults: spawn python, nvidia-smi, search PATH). */
export interface PreflightProbes {
  /** Modules among `modules` that `python` cannot import (find_spec), or an error when python does not run. */
  missingModules(python: string, modules: string[], pythonPath?: string[]): Promise<{ missing: string[] } | { error: string }>
  gpuCount(): Promise<number>
  onPath(program: string): Promise<boolean>
}

/** The probes of this machine. */
export function machineProbes(env: Record<string, string | undefined>): PreflightProbes {
  return {
    async missingModules(python, modules, pythonPath = []) {
      const script = [
        'import importlib.util, json, sys',
        'def missing(m):',
        '    try:',
        '        return importlib.util.find_spec(m) is None',
        '    except (ImportError, ValueError):',
        '        return True',
        'print(json.dumps([m for m in sys.argv[1:] if missing(m)]))',
      ].join('\n')
      // The bridge puts the GPT4RoI checkout on PYTHONPATH (it vendors mmcv/mmdet), so the probe does too.
      const PYTHONPATH = [...pythonPath, env.PYTHONPATH].filter(Boolean).join(':')
      const r = await execa(python, ['-c', script, ...modules], { env: { ...env, PYTHONPATH }, reject: false, timeout: 60_000 })
      if (r.exitCode !== 0) return { error: `${python} did not run (${r.failed && r.exitCode === undefined ? r.shortMessage : `exit code ${r.exitCode}`}): ${String(r.stderr ?? '').trim().split('\n').at(-1) ?? ''}` }
      try {
        return { missing: JSON.parse(String(r.stdout).trim().split('\n').at(-1) ?? '[]') as string[] }
      } catch {
        return { error: `${python} printed no module list: ${String(r.stdout).slice(-200)}` }
      }
    },
    async gpuCount() {
      return (await gpuInventory(env)).length
    },
    async onPath(program) {
      if (program.includes('/')) return existsSync(program)
      return (await findOnPath(program, env)) !== null
    },
  }
}

/** Modules each bridge backend imports (python-bridge/pixcap_bridge: smoke/*.py, gpt4roi/*.py; gpt4roi.md §9). */
const BACKEND_MODULES: Record<string, Record<string, string[]>> = {
  train: { smoke: ['torch'], gpt4roi: ['torch', 'torch.distributed.run', 'transformers', 'mmcv', 'PIL'] },
  infer: { smoke: ['torch', 'PIL'], gpt4roi: ['torch', 'transformers', 'mmcv', 'PIL'] },
}

/** Where GPT4RoI dispatches on `type` (gpt4roi/datasets/data_modules.py `build_spi_dataset`, an if-chain). */
const DATA_MODULES_FILE = 'gpt4roi/datasets/data_modules.py'
/** The training entry every GPT4RoI launch runs (train_stage2.sh L30). */
const TRAIN_MEM_FILE = 'gpt4roi/train/train_mem.py'
/** pixcap's own loader type, registered by pixcap_bridge.gpt4roi.entry at launch on any checkout. */
const PIXCAP_LOADER_TYPE = 'PIXCAP'

/** The dataset types a checkout's `build_spi_dataset` dispatches on (`dataset_type == '<T>'`). */
export function registeredDatasetTypes(dataModulesSource: string): string[] {
  return [...new Set([...dataModulesSource.matchAll(/dataset_type\s*==\s*['"]([^'"]+)['"]/g)].map((m) => m[1] as string))]
}

/**
 * GPT4RoI's stage-2 upstream datasets under `upstream_data_root`, as the bridge lays them out
 * (python-bridge/pixcap_bridge/gpt4roi/stage_config.py `upstream_stage2`, after configs/stage2.py): type and the files
 * each entry reads. test/recipes/preflight.test.ts checks that this table matches the bridge's.
 */
export const UPSTREAM_STAGE2_FILES: { type: string; files: string[] }[] = [
  { type: 'RefCOCOG', files: ['mdetr_annotations/finetune_refcocog_train.json', 'coco_all'] },
  { type: 'flickr30k', files: ['mdetr_annotations/final_flickr_mergedGT_train.json', 'flickr30k-images'] },
  { type: 'VGDATA', files: ['visual_genome/train.json', 'visual_genome/vg_all'] },
  { type: 'det_llava', files: ['coco_all', 'llava/llava_instruct_150k.json', 'llava/llava_150k_bbox_pred_results.pkl'] },
  { type: 'vcr', files: ['vcr/train.jsonl', 'vcr/vcr1images'] },
  { type: 'single_vcr', files: ['vcr/train.jsonl', 'vcr/vcr1images'] },
  { type: 'multi_vcr', files: ['vcr/train.jsonl', 'vcr/vcr1images'] },
]

/** Command-step flags whose value is an input the command reads. */
const INPUT_FLAGS: Record<string, 'file' | 'dir' | 'any'> = {
  '--root': 'dir', '--annotations': 'file', '--images-dir': 'dir', '--judge-prompt-from': 'dir', '--meteor-jar': 'file',
  '--spice-jar': 'file', '--ref': 'file', '--pred': 'any', '--answers': 'file', '--grades': 'file', '--questions': 'file',
}
/** Stage-entry keys that are paths (stage_config.py PATH_KEYS). */
const ENTRY_PATH_KEYS = ['ann_file', 'img_prefix', 'vis_root', 'data_path', 'ann_path', 'det_pkl_path', 'corpus', 'images_root']

function kindOf(path: string): 'file' | 'dir' | null {
  try {
    return statSync(path).isDirectory() ? 'dir' : 'file'
  } catch {
    return null
  }
}

/** Checks every prerequisite of a plan; never throws for a missing one, it reports it. */
export async function preflightPlan(plan: Plan, python: string, probes: PreflightProbes): Promise<PreflightReport> {
  const problems: PreflightProblem[] = []
  const inputs: PreflightReport['inputs'] = []
  const producedByRun = (p: string): boolean => p === plan.runDir || p.startsWith(plan.runDir + sep)
  const need = (step: PlanStep, role: string, value: unknown, kind: 'file' | 'dir' | 'any', hint = ''): string | null => {
    if (typeof value !== 'string' || value === '') return null
    const path = resolve(step.cwd, value)
    if (producedByRun(path)) return path
    const found = kindOf(path)
    const ok = found !== null && (kind === 'any' || found === kind)
    inputs.push({ step: step.name, role, path, exists: ok })
    if (!ok) problems.push({ step: step.name, what: role, detail: `${path}: ${found === null ? 'not found' : `is a ${found === 'dir' ? 'directory' : 'file'}, expected a ${kind === 'dir' ? 'directory' : 'file'}`}${hint}` })
    return ok ? path : null
  }
  const modulesFor = new Map<string, Set<string>>()
  let gpusNeeded = 0
  const torchrunNeeded = new Set<string>()

  for (const step of plan.steps) {
    if (step.kind === 'command') {
      const metricsAt = step.argv.indexOf('--metrics')
      // Without --metrics the scorers compute every metric they know, METEOR and SPICE included.
      const metrics = metricsAt >= 0 ? (step.argv[metricsAt + 1] ?? '').toUpperCase().split(',') : ['METEOR', 'SPICE']
      const jarUnused = (flag: string) => (flag === '--meteor-jar' && !metrics.includes('METEOR')) || (flag === '--spice-jar' && !metrics.includes('SPICE'))
      step.argv.forEach((word, i) => {
        const kind = INPUT_FLAGS[word]
        const value = step.argv[i + 1]
        if (!kind || value === undefined || (word === '--judge-prompt-from' && value === 'pixcap') || jarUnused(word)) return
        need(step, word.slice(2), value, kind, word === '--judge-prompt-from' ? ' (a ViP-LLaVA checkout; or --set judge_prompt=pixcap for pixcap\'s own prompt)' : '')
      })
      for (const [metric, flag] of [['METEOR', '--meteor-jar'], ['SPICE', '--spice-jar']] as const) {
        if (metricsAt < 0 || !metrics.includes(metric)) continue
        if (!step.argv.includes(flag)) problems.push({ step: step.name, what: `${metric} jar`, detail: `--metrics asks for ${metric}, which runs its Java jar; give ${flag}` })
        else if (!(await probes.onPath('java'))) problems.push({ step: step.name, what: 'java', detail: `${metric} runs a Java jar, and java is not on PATH (Debian: apt-get install default-jre-headless)` })
      }
      const base = step.argv.indexOf('--base-url')
      if (base >= 0 && !/^https?:\/\/\S+$/.test(step.argv[base + 1] ?? '')) {
        problems.push({ step: step.name, what: 'judge endpoint', detail: `--base-url: expected an http(s) URL of an OpenAI-compatible API, got ${JSON.stringify(step.argv[base + 1] ?? '')}` })
      }
      continue
    }
    const c = step.config?.content ?? {}
    const backend = typeof c.backend === 'string' ? c.backend : null
    const bridge = step.argv.includes('train') ? 'train' : step.argv.includes('infer') ? 'infer' : null
    if (backend && bridge) {
      const key = backend === 'gpt4roi' && typeof c.gpt4roi_home === 'string' ? resolve(step.cwd, c.gpt4roi_home) : ''
      const mods = modulesFor.get(key) ?? new Set<string>()
      for (const m of BACKEND_MODULES[bridge]?.[backend] ?? []) mods.add(m)
      modulesFor.set(key, mods)
    }
    const corpus = need(step, 'corpus', c.corpus, 'dir')
    if (corpus) need(step, 'corpus manifest', join(corpus, 'manifest.json'), 'file', ' (written last by pixcap convert; a corpus without it is incomplete)')
    need(step, 'images root', c.images_root, 'dir')
    need(step, 'questions', c.questions, 'file')
    need(step, 'checkpoint', c.checkpoint, 'dir')
    need(step, 'stage-1 workdir', c.stage1_dir, 'dir', ' (stage 2 starts from it through checkpoint-0; train_stage2.sh L13-24)')
    need(step, 'pretrained projector', c.pretrain_mm_mlp_adapter, 'file')
    if (backend !== 'gpt4roi') {
      if (c.device === 'cuda') gpusNeeded = Math.max(gpusNeeded, 1)
      continue
    }
    // GPT4RoI: the checkout, its registered dataset types, the base LLM, GPUs.
    need(step, 'base model', c.model_name_or_path, 'dir', ' (Vicuna-7B v0 weights: LLaMA-7B + the lmsys delta, train_stage2.sh L31)')
    const home = need(step, 'GPT4RoI checkout', c.gpt4roi_home, 'dir', ' (set upstream.gpt4roi / vars.gpt4roi_home)')
    if (!c.gpt4roi_home) problems.push({ step: step.name, what: 'GPT4RoI checkout', detail: 'no checkout configured: set upstream.gpt4roi (vars.gpt4roi_home) in the recipe' })
    let registered: string[] | null = null
    if (home) {
      if (bridge === 'train') need(step, 'GPT4RoI train entry', join(home, TRAIN_MEM_FILE), 'file', ' (is this a GPT4RoI checkout?)')
      const dm = join(home, DATA_MODULES_FILE)
      if (existsSync(dm)) registered = [PIXCAP_LOADER_TYPE, ...registeredDatasetTypes(await readFile(dm, 'utf8'))]
      else problems.push({ step: step.name, what: 'GPT4RoI dataset registry', detail: `${dm}: not found (is this a GPT4RoI checkout?)` })
    }
    const entries: { where: string; entry: Record<string, unknown> }[] = []
    if (bridge === 'train') {
      if (c.corpus_entry && typeof c.corpus_entry === 'object') entries.push({ where: 'corpus_entry', entry: c.corpus_entry as Record<string, unknown> })
      else entries.push({ where: 'corpus', entry: { type: PIXCAP_LOADER_TYPE } })
      if (Array.isArray(c.datasets)) c.datasets.forEach((e, i) => entries.push({ where: `datasets[${i}]`, entry: e as Record<string, unknown> }))
      const root = need(step, 'upstream data root', c.upstream_data_root, 'dir', " (GPT4RoI's stage-2 data: RefCOCOg, Flickr30k, VG, LLaVA-150k, VCR)")
      if (root) {
        for (const u of UPSTREAM_STAGE2_FILES) {
          entries.push({ where: `upstream_data_root (${u.type})`, entry: { type: u.type } })
          for (const f of u.files) need(step, `upstream ${u.type} data`, join(root, f), 'any')
        }
      } else if (c.upstream_data_root) {
        for (const u of UPSTREAM_STAGE2_FILES) entries.push({ where: `upstream_data_root (${u.type})`, entry: { type: u.type } })
      }
      for (const { where, entry } of entries) {
        for (const key of ENTRY_PATH_KEYS) if (typeof entry[key] === 'string') need(step, `${where}.${key}`, entry[key], 'any')
      }
      if (registered) {
        for (const { where, entry } of entries) {
          const type = String(entry.type)
          if (registered.includes(type)) continue
          const hint = type === 'DENSECOCO'
            ? "; DENSECOCO is registered only by Pix2Cap's copy of GPT4RoI (third_party/gpt4roi): point gpt4roi_home there, or use --set corpus_type=VGDATA with a `pixcap convert --to vgdata` export for upstream GPT4RoI"
            : ''
          problems.push({ step: step.name, what: `dataset type ${type}`, detail: `${where}: type "${type}" is not registered by ${join(home as string, DATA_MODULES_FILE)} (it registers ${registered.join(', ')}); upstream build_spi_dataset raises NotImplementedError for it after launch${hint}` })
        }
      }
      const nproc = typeof c.nproc_per_node === 'number' ? c.nproc_per_node : 8
      gpusNeeded = Math.max(gpusNeeded, nproc)
    } else {
      gpusNeeded = Math.max(gpusNeeded, 1) // gpt4roi/infer.py runs fp16 on CUDA, as upstream's scripts
    }
  }
  for (const step of plan.steps) {
    if (step.kind === 'bridge' && plan.launcher.type === 'torchrun' && step.argv[0] === plan.launcher.torchrun) torchrunNeeded.add(plan.launcher.torchrun)
  }

  if (plan.steps.some((s) => s.kind === 'bridge')) {
    for (const [home, mods] of modulesFor) {
      const r = await probes.missingModules(python, [...mods], home ? [home] : [])
      if ('error' in r) problems.push({ step: null, what: 'python', detail: r.error })
      else for (const m of r.missing) problems.push({ step: null, what: `python package ${m}`, detail: `${python} cannot import ${m}${home ? ` (with ${home} on PYTHONPATH)` : ''}` })
    }
    if (modulesFor.size === 0 && !(await probes.onPath(python))) problems.push({ step: null, what: 'python', detail: `${python}: not found` })
  }
  for (const t of torchrunNeeded) if (!(await probes.onPath(t))) problems.push({ step: null, what: 'torchrun', detail: `${t}: not found on PATH (the launcher runs the bridge under it)` })
  if (gpusNeeded > 0) {
    const have = await probes.gpuCount()
    if (have < gpusNeeded) problems.push({ step: null, what: 'GPUs', detail: `the recipe needs ${gpusNeeded} GPU(s) (nproc_per_node / CUDA inference), nvidia-smi reports ${have}` })
  }
  return { ok: problems.length === 0, problems, inputs }
}

/** The report as text, one problem per line (for errors and --dry-run). */
export function renderPreflight(r: PreflightReport): string {
  if (r.ok) return 'plan check: every prerequisite is there\n'
  return `plan check: ${r.problems.length} missing prerequisite(s):\n${r.problems.map((p) => `  ${p.step ? `[${p.step}] ` : ''}${p.what}: ${p.detail}`).join('\n')}\n`
}
