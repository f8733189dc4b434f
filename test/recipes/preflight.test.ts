// The plan check against stand-in checkouts laid out like GPT4RoI's (file layout and registered dataset names only:
// gpt4roi/train/train_mem.py and the `dataset_type == '...'` chain of gpt4roi/datasets/data_modules.py), with every
// data file a recipe names made here, and a described machine (probes) instead of this one.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { execa } from 'execa'
import { beforeAll, describe, expect, it } from 'vitest'
import { UPSTREAM_STAGE2_FILES, registeredDatasetTypes, type PreflightProbes } from '../../src/recipes/preflight.js'
import { loadRecipe } from '../../src/recipes/load.js'
import { checkRecipe, runRecipe } from '../../src/runs/execute.js'
import { HAS_PYTHON, PYTHON, REPO_ROOT } from '../helpers/fixtures.js'

const UPSTREAM_TYPES = ['coco_det', 'flickr30k', 'VGDATA', 'det_llava', 'vcr', 'single_vcr', 'multi_vcr', 'RefCOCO', 'RefCOCOP', 'RefCOCOG']
const GPU_MACHINE: PreflightProbes = { missingModules: async () => ({ missing: [] }), gpuCount: async () => 8, onPath: async () => true }

async function touch(file: string, text = ''): Promise<void> {
  await mkdir(dirname(file), { recursive: true })
  await writeFile(file, text)
}

/** A checkout with GPT4RoI's file layout whose build_spi_dataset dispatches on `types`. */
async function standInCheckout(dir: string, types: string[]): Promise<string> {
  await touch(join(dir, 'gpt4roi/train/train_mem.py'), '# stand-in\n')
  await touch(join(dir, 'gpt4roi/datasets/data_modules.py'), `def build_spi_dataset(dataset_config):\n    dataset_type = dataset_config.pop('type')\n${types.map((t, i) => `    ${i ? 'elif' : 'if'} dataset_type == '${t}':\n        pass\n`).join('')}    else:\n        raise NotImplementedError\n`)
  return dir
}

let w: string
let upstream: string
let pix2cap: string
let data: string
const corpus = () => join(w, 'corpus')

beforeAll(async () => {
  w = await mkdtemp(join(tmpdir(), 'pixcap-preflight-'))
  upstream = await standInCheckout(join(w, 'GPT4RoI'), UPSTREAM_TYPES)
  pix2cap = await standInCheckout(join(w, 'pix2cap-gpt4roi'), [...UPSTREAM_TYPES, 'DENSECOCO'])
  data = join(w, 'data')
  for (const u of UPSTREAM_STAGE2_FILES) for (const f of u.files) await (f.includes('.') ? touch(join(data, f)) : mkdir(join(data, f), { recursive: true }))
  await touch(join(corpus(), 'manifest.json'), '{}')
  await touch(join(corpus(), 'densecoco/train.json'), '{}')
  for (const d of ['coco/train2017', 'exp/stage1', 'vicuna-7b-v0', 'exp/stage2', 'vip/source_image', 'ViP-LLaVA', 'vg/images']) await mkdir(join(w, d), { recursive: true })
  await touch(join(w, 'projector.bin'))
  await touch(join(w, 'vg/test.json'), '{}')
  await touch(join(w, 'meteor-1.5.jar'))
})

const stage2Vars = () => [
  `corpus=${corpus()}`, `images_root=${join(w, 'coco/train2017')}`, `upstream_data_root=${data}`, `base_model=${join(w, 'vicuna-7b-v0')}`,
  `stage1_dir=${join(w, 'exp/stage1')}`, `projector=${join(w, 'projector.bin')}`,
]
const check = (recipe: string, set: string[], probes = GPU_MACHINE) => checkRecipe({ recipe, set, runsDir: join(w, 'runs'), cwd: REPO_ROOT, env: { PIXCAP_PYTHON: '/venv/bin/python' }, probes })

describe('plan check (preflight)', () => {
  it("reads the dataset types a checkout registers from build_spi_dataset's if-chain", () => {
    expect(registeredDatasetTypes("if dataset_type == 'coco_det':\n  x\nelif dataset_type == \"VGDATA\":\n")).toEqual(['coco_det', 'VGDATA'])
  })

  it("gpt4roi-stage2-pix2cap on Pix2Cap's checkout: argv, env and every data entry, nothing missing", async () => {
    const { plan, preflight } = await check('gpt4roi-stage2-pix2cap', [...stage2Vars(), `gpt4roi_home=${pix2cap}`])
    expect(preflight.problems).toEqual([])
    const step = plan.steps[0]
    expect(step?.argv).toEqual(['/venv/bin/python', '-m', 'pixcap_bridge', 'train', '--config', join(plan.runDir, 'config/train.json'), '--output-dir', plan.artifactsDir])
    expect(step?.env).not.toHaveProperty('NORM_ATTN')
    expect(step?.config?.content).toMatchObject({
      gpt4roi_home: pix2cap, model_name_or_path: join(w, 'vicuna-7b-v0'), stage1_dir: join(w, 'exp/stage1'), upstream_data_root: data, flash_attn: false,
      corpus_entry: { type: 'DENSECOCO', ann_file: join(corpus(), 'densecoco/train.json'), img_prefix: join(w, 'coco/train2017') },
    })
    const roles = new Set(preflight.inputs.map((i) => i.role))
    for (const r of ['base model', 'stage-1 workdir', 'GPT4RoI checkout', 'GPT4RoI train entry', 'upstream data root', 'corpus_entry.ann_file', 'corpus_entry.img_prefix', 'upstream VGDATA data', 'upstream det_llava data', 'pretrained projector']) expect(roles).toContain(r)
    expect(preflight.inputs.every((i) => i.exists)).toBe(true)
  })

  it('gpt4roi-stage2-pix2cap on an upstream-shaped checkout fails at plan time, naming DENSECOCO, and creates nothing', async () => {
    const set = [...stage2Vars(), `gpt4roi_home=${upstream}`]
    const { preflight } = await check('gpt4roi-stage2-pix2cap', set)
    expect(preflight.problems).toHaveLength(1)
    expect(preflight.problems[0]?.what).toBe('dataset type DENSECOCO')
    expect(preflight.problems[0]?.detail).toContain(`corpus_entry: type "DENSECOCO" is not registered by ${join(upstream, 'gpt4roi/datasets/data_modules.py')}`)
    const runsDir = join(w, 'runs-refused')
    await expect(runRecipe({ recipe: 'gpt4roi-stage2-pix2cap', set, runsDir, cwd: REPO_ROOT, env: {}, probes: GPU_MACHINE })).rejects.toThrow('dataset type DENSECOCO')
    expect(existsSync(runsDir)).toBe(false)
    // With a VGDATA export the same checkout is fine (GPT4RoI's own loader and question list).
    const vg = await check('gpt4roi-stage2-pix2cap', [...set, 'corpus_type=VGDATA', `corpus_file=${join(corpus(), 'densecoco/train.json')}`])
    expect(vg.preflight.problems).toEqual([])
  })

  it('reports every missing prerequisite at once: data, checkout, packages, GPUs, torchrun', async () => {
    const bare: PreflightProbes = { missingModules: async () => ({ missing: ['mmcv', 'transformers'] }), gpuCount: async () => 1, onPath: async () => false }
    const { preflight } = await check('gpt4roi-stage2-pixcap-only', [`gpt4roi_home=${join(w, 'nowhere')}`, 'steps.train.distributed=true'], bare)
    expect(preflight.problems.map((p) => p.what)).toEqual([
      'corpus', 'images root', 'stage-1 workdir', 'pretrained projector', 'base model', 'GPT4RoI checkout',
      'python package mmcv', 'python package transformers', 'torchrun', 'GPUs',
    ])
    expect(preflight.problems.at(-1)?.detail).toBe('the recipe needs 8 GPU(s) (nproc_per_node / CUDA inference), nvidia-smi reports 1')
  })

  it('vipbench-bbox-eval and vg-region-caption-eval: argv of each step and their inputs', async () => {
    const v = await check('vipbench-bbox-eval', [`checkpoint=${join(w, 'exp/stage2')}`, `vipbench_root=${join(w, 'vip')}`, `vip_llava_home=${join(w, 'ViP-LLaVA')}`, `gpt4roi_home=${upstream}`])
    expect(v.preflight.problems).toEqual([])
    expect(v.plan.steps.map((s) => s.name)).toEqual(['prepare', 'infer', 'grade', 'score'])
    expect(v.plan.steps[1]?.config?.content).toMatchObject({ backend: 'gpt4roi', gpt4roi_home: upstream, temperature: 0.2, max_new_tokens: 1024, images_root: join(w, 'vip/source_image') })
    expect(v.plan.steps[2]?.argv.slice(2)).toEqual([
      'vipbench', 'grade', '--root', join(w, 'vip'), '--split', 'bbox', '--answers', join(v.plan.artifactsDir, 'answers.jsonl'),
      '--base-url', 'https://api.openai.com/v1', '--model', 'gpt-4-0613', '--api-key-env', 'OPENAI_API_KEY', '--runs', '1',
      '--judge-prompt-from', join(w, 'ViP-LLaVA'), '--grade-file', join(v.plan.artifactsDir, 'grades.json'), '--json',
    ])
    const g = await check('vg-region-caption-eval', [`checkpoint=${join(w, 'exp/stage2')}`, `annotations=${join(w, 'vg/test.json')}`, `images_root=${join(w, 'vg/images')}`, `gpt4roi_home=${upstream}`])
    expect(g.preflight.problems.map((p) => p.detail)).toEqual([`${join(REPO_ROOT, 'third_party/pycocoevalcap/pycocoevalcap/meteor/meteor-1.5.jar')}: not found`])
    const withJar = await check('vg-region-caption-eval', [`checkpoint=${join(w, 'exp/stage2')}`, `annotations=${join(w, 'vg/test.json')}`, `images_root=${join(w, 'vg/images')}`, `gpt4roi_home=${upstream}`, `meteor_jar=${join(w, 'meteor-1.5.jar')}`])
    expect(withJar.preflight.problems).toEqual([])
    const noJava = await check('vg-region-caption-eval', [`checkpoint=${join(w, 'exp/stage2')}`, `annotations=${join(w, 'vg/test.json')}`, `images_root=${join(w, 'vg/images')}`, `gpt4roi_home=${upstream}`, `meteor_jar=${join(w, 'meteor-1.5.jar')}`],
      { ...GPU_MACHINE, onPath: async (p) => p !== 'java' })
    expect(noJava.preflight.problems.map((p) => p.what)).toEqual(['java'])
  })

  it('smoke-cpu needs no GPU, checkout or torchrun', async () => {
    const { preflight } = await check('smoke-cpu', [`corpus=${corpus()}`, `images_root=${join(w, 'coco/train2017')}`], { ...GPU_MACHINE, gpuCount: async () => 0 })
    expect(preflight.problems).toEqual([])
  })

  it("rejects recipe keys the chosen backend ignores, naming the key and what to use", async () => {
    await expect(loadRecipe({ recipe: 'gpt4roi-stage2-pixcap-only', set: ['steps.train.config.save_every=3000', 'steps.train.config.device=cuda'], cwd: REPO_ROOT, env: {} }))
      .rejects.toThrow('gpt4roi-stage2-pixcap-only.yaml: steps[0].config.save_every: the gpt4roi backend does not read "save_every"; GPT4RoI saves through HF TrainingArguments: set gpt4roi_args.save_steps')
    await expect(loadRecipe({ recipe: 'smoke-cpu', set: ['steps.train.config.gpt4roi_args={lr: 1}'], cwd: REPO_ROOT, env: {} }))
      .rejects.toThrow('smoke-cpu.yaml: steps[0].config.gpt4roi_args: the smoke backend does not read "gpt4roi_args"')
    await expect(loadRecipe({ recipe: 'vipbench-bbox-eval', set: ['temperature=hot'], cwd: REPO_ROOT, env: {} }))
      .rejects.toThrow('steps[1].config.temperature: expected number, got the string "hot"')
  })

  it.skipIf(!HAS_PYTHON)("the upstream stage-2 file table matches the bridge's upstream_stage2 layout", async () => {
    const r = await execa(PYTHON, ['-c', 'import json; from pixcap_bridge.gpt4roi.stage_config import upstream_stage2 as u; print(json.dumps(u("/R")))'], { env: { PYTHONPATH: join(REPO_ROOT, 'python-bridge') } })
    const entries = JSON.parse(r.stdout) as Record<string, string>[]
    expect(entries.map((e) => e.type)).toEqual(UPSTREAM_STAGE2_FILES.map((u) => u.type))
    entries.forEach((e, i) => {
      const paths = Object.entries(e).filter(([k]) => k !== 'type').map(([, v]) => v.replace('/R/', '')).sort()
      expect(paths).toEqual([...(UPSTREAM_STAGE2_FILES[i]?.files ?? [])].sort())
    })
  })
})
