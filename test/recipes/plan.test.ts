import { describe, expect, it } from 'vitest'
import { loadRecipe } from '../../src/recipes/load.js'
import { planRun } from '../../src/recipes/plan.js'
import { REPO_ROOT } from '../helpers/fixtures.js'

const BRIDGE_ENV = { PYTHONPATH: '/opt/pixcap/python-bridge', PYTHONUNBUFFERED: '1' }

async function plan(recipe: string, set: string[] = []) {
  const loaded = await loadRecipe({ recipe, set, cwd: REPO_ROOT, env: {} })
  return planRun({
    recipe: loaded.recipe,
    recipeFile: loaded.file,
    runId: 'RID',
    runDir: '/runs/RID',
    cwd: '/work/proj',
    python: '/venv/bin/python',
    bridgeEnv: BRIDGE_ENV,
    pixcapArgv: ['/usr/bin/node', '/opt/pixcap/bin/pixcap.js'],
  })
}

describe('planRun', () => {
  it('smoke-cpu: one local bridge step with its config JSON', async () => {
    const p = await plan('smoke-cpu')
    expect(p.launcher).toEqual({ type: 'local' })
    expect(p.steps).toHaveLength(1)
    expect(p.steps[0]).toEqual({
      name: 'train',
      kind: 'bridge',
      argv: ['/venv/bin/python', '-m', 'pixcap_bridge', 'train', '--config', '/runs/RID/config/train.json', '--output-dir', '/runs/RID/artifacts'],
      env: BRIDGE_ENV,
      cwd: '/work/proj',
      expectedOutputs: [],
      config: {
        file: '/runs/RID/config/train.json',
        content: { backend: 'smoke', corpus: 'out/demo', split: 'train', images_root: 'sample/images', steps: 40, batch_size: 4, lr: 0.003, seed: 0, device: 'cpu', log_every: 1, save_every: 0 },
      },
      stdoutFile: null,
      timeoutMs: null,
    })
    expect(p.datasets).toEqual(['/work/proj/out/demo'])
    expect(p.configSha256).toMatch(/^[0-9a-f]{64}$/)
    expect(p.sbatch).toBeNull()
  })

  it('bridge.script replaces -m pixcap_bridge (fixture and user bridges)', async () => {
    const p = await plan('smoke-cpu', ['bridge.script=test/fixtures/bridges/metrics.py'])
    expect(p.steps[0]?.argv.slice(0, 3)).toEqual(['/venv/bin/python', '/work/proj/test/fixtures/bridges/metrics.py', 'train'])
  })

  it('the config hash follows the resolved config', async () => {
    const [a, b, c] = await Promise.all([plan('smoke-cpu'), plan('smoke-cpu'), plan('smoke-cpu', ['steps.train.config.lr=0.01'])])
    expect(a.configSha256).toBe(b.configSha256)
    expect(a.configSha256).not.toBe(c.configSha256)
  })

  it('gpt4roi stage 2 on torchrun: 1 node x 8 GPUs; the bridge launches its workers and gets the topology', async () => {
    const p = await plan('gpt4roi-stage2-pix2cap')
    const step = p.steps[0]
    expect(p.launcher).toEqual({ type: 'torchrun', torchrun: 'torchrun', nnodes: 1, nproc_per_node: 8, node_rank: 0, master_addr: '127.0.0.1', master_port: 25001 })
    expect(step?.argv).toEqual(['/venv/bin/python', '-m', 'pixcap_bridge', 'train', '--config', '/runs/RID/config/train.json', '--output-dir', '/runs/RID/artifacts'])
    expect(step?.env).toEqual(BRIDGE_ENV) // flash attention off: no NORM_ATTN (train_mem.py L7-11)
    const c = step?.config?.content as Record<string, unknown>
    expect(c).toMatchObject({
      launcher_argv: ['torchrun', '--nnodes=1', '--nproc_per_node=8', '--master_addr=127.0.0.1', '--master_port=25001'],
      nnodes: 1, nproc_per_node: 8, master_port: 25001,
      backend: 'gpt4roi', gpt4roi_home: '/work/proj/third_party/pix2cap/third_party/gpt4roi', stage1_dir: 'exp/stage1',
      // Stage 2 starts from Vicuna; stage 1 comes in through checkpoint-0 (train_stage2.sh L13-31).
      model_name_or_path: 'checkpoints/vicuna-7b-v0', flash_attn: false,
      corpus_entry: { type: 'DENSECOCO', ann_file: 'out/pix2cap-densecoco/densecoco/train.json', img_prefix: 'data/coco/train2017' },
      upstream_data_root: 'data',
    })
    expect(c.gpt4roi_args).toMatchObject({
      num_train_epochs: 2, learning_rate: 2e-5, per_device_train_batch_size: 2, gradient_accumulation_steps: 1, lr_scheduler_type: 'cosine',
      warmup_steps: 3000, bf16: true, tf32: true, gradient_checkpointing: true, model_max_length: 2048, fsdp: 'full_shard auto_wrap',
      fsdp_transformer_layer_cls_to_wrap: 'LlamaDecoderLayer', save_steps: 3000, save_total_limit: 1, seed: 0,
    })
    expect(p.upstream.gpt4roi).toBe('/work/proj/third_party/pix2cap/third_party/gpt4roi')
    expect(p.datasets).toEqual(['/work/proj/out/pix2cap-densecoco'])
  })

  it('a rank-aware bridge step (distributed: true) is wrapped in torchrun', async () => {
    const p = await plan('gpt4roi-stage2-pix2cap', ['steps.train.distributed=true'])
    expect(p.steps[0]?.argv).toEqual([
      'torchrun', '--nnodes=1', '--nproc_per_node=8', '--master_addr=127.0.0.1', '--master_port=25001',
      '-m', 'pixcap_bridge', 'train', '--config', '/runs/RID/config/train.json', '--output-dir', '/runs/RID/artifacts',
    ])
    expect(p.steps[0]?.config?.content).not.toHaveProperty('launcher_argv')
  })

  it('torchrun on several nodes: rendezvous endpoint, or master addr with node rank', async () => {
    const rdzv = await plan('gpt4roi-stage2-pix2cap', ['steps.train.distributed=true', 'launcher.nnodes=2', 'launcher.rdzv_endpoint=node0:29400', 'launcher.rdzv_id=job7'])
    expect(rdzv.steps[0]?.argv.slice(0, 6)).toEqual(['torchrun', '--nnodes=2', '--nproc_per_node=8', '--rdzv_backend=c10d', '--rdzv_endpoint=node0:29400', '--rdzv_id=job7'])
    const master = await plan('gpt4roi-stage2-pix2cap', ['steps.train.distributed=true', 'launcher.nnodes=2', 'launcher.node_rank=1', 'launcher.master_addr=10.0.0.5'])
    expect(master.steps[0]?.argv.slice(0, 6)).toEqual(['torchrun', '--nnodes=2', '--nproc_per_node=8', '--node_rank=1', '--master_addr=10.0.0.5', '--master_port=25001'])
  })

  it('gpt4roi stage 2 on Slurm, 2 nodes: the sbatch script and its submit argv', async () => {
    const p = await plan('gpt4roi-stage2-pix2cap', [
      'launcher={type: slurm, nodes: 2, gpus_per_node: 8, time: "48:00:00", partition: gpu, cpus_per_task: 32}',
      'steps.train.distributed=true',
    ])
    expect(p.sbatch?.file).toBe('/runs/RID/job.sbatch')
    expect(p.sbatch?.submitArgv).toEqual(['sbatch', '--parsable', '/runs/RID/job.sbatch'])
    expect(p.sbatch?.text).toBe(`#!/bin/bash
# Written by pixcap; submitted with \`sbatch --parsable\`.
#SBATCH --job-name=pixcap-gpt4roi-stage2-pix2cap
#SBATCH --nodes=2
#SBATCH --ntasks-per-node=1
#SBATCH --gpus-per-node=8
#SBATCH --time=48:00:00
#SBATCH --cpus-per-task=32
#SBATCH --partition=gpu
#SBATCH --output=/runs/RID/stdout.log
#SBATCH --error=/runs/RID/stderr.log

set -euo pipefail
cd /work/proj
export PYTHONPATH=/opt/pixcap/python-bridge
export PYTHONUNBUFFERED=1
head_node=$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n 1)

# step train
srun --nodes="$SLURM_NNODES" --ntasks-per-node=1 torchrun --nnodes="$SLURM_NNODES" --nproc_per_node=8 --rdzv_id="$SLURM_JOB_ID" --rdzv_backend=c10d --rdzv_endpoint="$head_node:29500" -m pixcap_bridge train --config /runs/RID/config/train.json --output-dir /runs/RID/artifacts
`)
  })

  it('quotes sbatch arguments that the shell would otherwise interpret', async () => {
    const p = await plan('gpt4roi-stage2-pix2cap', ['launcher={type: slurm, nodes: 2, gpus_per_node: 8}', 'steps.train.distributed=true', "env.NOTE=it's $HOME; rm -rf /"])
    expect(p.sbatch?.text).toContain(`export NOTE='it'\\''s $HOME; rm -rf /'`)
  })

  it('eval recipes: scorer commands run through this pixcap, with run paths filled in', async () => {
    const p = await plan('vg-region-caption-eval')
    expect(p.steps.map((s) => [s.name, s.kind])).toEqual([['prepare', 'command'], ['infer', 'bridge'], ['score', 'command']])
    expect(p.steps[0]?.argv).toEqual([
      '/usr/bin/node', '/opt/pixcap/bin/pixcap.js', 'eval', 'vg-prepare', '--annotations', 'data/vg/test.json', '--images-dir', 'data/vg/images',
      '--out', '/runs/RID/artifacts/questions.jsonl', '--refs', '/runs/RID/artifacts/references.json', '--json',
    ])
    expect(p.steps[1]?.config?.content).toMatchObject({ questions: '/runs/RID/artifacts/questions.jsonl', results_dir: '/runs/RID/artifacts/results', temperature: 0.2, max_new_tokens: 1024, stop: '###' })
    expect(p.steps[2]?.stdoutFile).toBe('/runs/RID/artifacts/metrics.json')
    expect(p.steps[2]?.expectedOutputs).toEqual(['/runs/RID/artifacts/metrics.json', '/runs/RID/artifacts/per-sample.jsonl'])
    const v = await plan('vipbench-bbox-eval')
    expect(v.steps.map((s) => s.name)).toEqual(['prepare', 'infer', 'grade', 'score'])
    expect(v.steps[2]?.argv).toContain('gpt-4-0613')
  })
})
