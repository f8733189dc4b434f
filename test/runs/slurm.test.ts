// Slurm submission through real processes: `sbatch` and `scancel` are tiny stand-in scripts on PATH (the scheduler
// cannot be reached here) that record their argv and answer like Slurm (`sbatch --parsable` prints `<jobid>;<cluster>`).
import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cancelRun } from '../../src/runs/cancel.js'
import { runRecipe } from '../../src/runs/execute.js'
import { listRuns } from '../../src/runs/store.js'

async function stubSlurm(): Promise<{ bin: string; log: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'pixcap-slurm-'))
  const bin = join(dir, 'bin')
  await mkdir(bin)
  const log = join(dir, 'calls.log')
  await writeFile(join(bin, 'sbatch'), `#!/bin/sh\necho "sbatch $*" >> '${log}'\n[ "$1" = --version ] && { echo "slurm 23.02.0"; exit 0; }\necho "4242;cluster"\n`)
  await writeFile(join(bin, 'scancel'), `#!/bin/sh\necho "scancel $*" >> '${log}'\n`)
  await chmod(join(bin, 'sbatch'), 0o755)
  await chmod(join(bin, 'scancel'), 0o755)
  return { bin, log }
}

describe('slurm launcher', () => {
  it('writes the sbatch script into the run dir, submits it with --parsable, records the job id; cancel uses scancel', async () => {
    const { bin, log } = await stubSlurm()
    const cwd = await mkdtemp(join(tmpdir(), 'pixcap-slurm-run-'))
    await mkdir(join(cwd, 'corpus'))
    await writeFile(join(cwd, 'corpus/manifest.json'), '{}')
    const runsDir = join(cwd, 'runs')
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` }
    const out = await runRecipe({
      recipe: 'gpt4roi-stage2-pix2cap',
      set: ['launcher={type: slurm, nodes: 2, gpus_per_node: 8, partition: gpu}', 'steps.train.distributed=true', 'vars.corpus=corpus'],
      runsDir, cwd, env,
    })
    expect(out.status).toBe('queued')
    expect(out.record).toMatchObject({ slurmJobId: '4242', pid: null, status: 'queued' })
    const script = join(out.dir, 'job.sbatch')
    expect(await readFile(log, 'utf8')).toBe(`sbatch --version\nsbatch --parsable ${script}\n`)
    const text = await readFile(script, 'utf8')
    expect(text).toContain('#SBATCH --nodes=2\n')
    expect(text).toContain(`--config ${join(out.dir, 'config/train.json')} --output-dir ${join(out.dir, 'artifacts')}`)
    expect(JSON.parse(await readFile(join(out.dir, 'config/train.json'), 'utf8'))).toMatchObject({ backend: 'gpt4roi', corpus_entry: { type: 'DENSECOCO', ann_file: 'corpus/densecoco/train.json' } })
    expect((await listRuns(runsDir, { staleMs: 0 }))[0]?.status).toBe('queued') // owned by Slurm: never "lost"
    // The job's output (sbatch --output=stdout.log) tells how far it got.
    await writeFile(join(out.dir, 'stdout.log'), '{"v":1,"type":"hello","bridge":"0.1.0","python":"3.10","torch":"2.1","cuda":true}\n')
    expect((await listRuns(runsDir))[0]?.status).toBe('running')
    await writeFile(join(out.dir, 'stdout.log'), '{"v":1,"type":"hello","bridge":"0.1.0","python":"3.10","torch":"2.1","cuda":true}\n{"v":1,"type":"error","message":"x"}\n')
    expect((await listRuns(runsDir))[0]?.status).toBe('failed')
    await writeFile(join(out.dir, 'stdout.log'), '')
    const c = await cancelRun({ runsDir, id: out.id, env })
    expect(c).toEqual({ id: out.id, action: 'scancel', status: 'killed' })
    expect(await readFile(log, 'utf8')).toContain('scancel 4242\n')
    expect((await listRuns(runsDir))[0]?.status).toBe('killed')
    await expect(cancelRun({ runsDir, id: out.id, env })).rejects.toThrow(`run ${out.id} already ended (killed); nothing to cancel`)
  })

  it('without sbatch on PATH the run fails with the script path and the command to submit it', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'pixcap-slurm-run-'))
    await mkdir(join(cwd, 'corpus'))
    await writeFile(join(cwd, 'corpus/manifest.json'), '{}')
    const out = await runRecipe({
      recipe: 'gpt4roi-stage2-pix2cap',
      set: ['launcher={type: slurm, nodes: 2, gpus_per_node: 8}', 'vars.corpus=corpus'],
      runsDir: join(cwd, 'runs'), cwd, env: { ...process.env, PATH: '/nonexistent' },
    })
    expect(out.status).toBe('failed')
    expect(out.record.failure?.message).toBe(`sbatch not found on PATH; the job script is ${join(out.dir, 'job.sbatch')} (submit it on a Slurm login node with: sbatch --parsable ${join(out.dir, 'job.sbatch')})`)
  })
})
