// A real Slurm on this machine (issue 17, finding 9): scripts/slurm/start-one-node.sh starts munged, slurmctld and
// slurmd with the one-node, CPU-only config the project ships. The array-job recipe of docs/slurm.md (four
// `pixcap convert` shards, then `merge-manifests` as a dependent job) must give the samples of one process; a tiny
// `pixcap run` goes through the Slurm launcher; `pixcap runs cancel` goes through scancel.
// Job states come from `sacct` (slurmdbd + MariaDB, started by the script when installed, as .ci/run does), the way
// one asks a real cluster, and agree with slurmctld's `scontrol show job` while it still knows the job. Without
// slurmdbd the states come from scontrol alone (docs/slurm.md).
// Skips with the reason where Slurm cannot start (no slurm-wlm, not root); under CI=true (or PIXCAP_REQUIRE_SLURM=1,
// which .ci/run sets) that skip is a failure, and so is a cluster without accounting.
import { existsSync } from 'node:fs'
import { readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { execa } from 'execa'
import { describe, expect, it } from 'vitest'
import { BUNDLED_SAMPLE_DIR, REPO_ROOT } from '../helpers/fixtures.js'
import { useTempDir } from '../helpers/temp-dir.js'

const PIXCAP = join(REPO_ROOT, 'bin/pixcap.js')

async function startSlurm(): Promise<{ env: NodeJS.ProcessEnv; accounting: boolean } | { reason: string }> {
  if (process.getuid?.() !== 0) return { reason: 'not root (slurmd must run as root)' }
  const which = await execa('sh', ['-c', 'command -v slurmctld slurmd munged sbatch scontrol'], { reject: false })
  if (which.exitCode !== 0) return { reason: 'slurm-wlm and munge are not installed (apt-get install slurm-wlm munge)' }
  const r = await execa(join(REPO_ROOT, 'scripts/slurm/start-one-node.sh'), [], { reject: false, timeout: 90_000 })
  const conf = /export SLURM_CONF=(\S+)/.exec(r.stdout)?.[1]
  if (r.exitCode !== 0 || !conf) return { reason: `scripts/slurm/start-one-node.sh failed: ${r.stderr || r.stdout}` }
  return { env: { ...process.env, SLURM_CONF: conf }, accounting: /^accounting: slurmdbd$/m.test(r.stdout) }
}

const slurm = await startSlurm()
const env = 'env' in slurm ? slurm.env : process.env
if ('reason' in slurm) console.warn(`slurm tests skipped: ${slurm.reason}`)

const REQUIRED = process.env.CI === 'true' || process.env.PIXCAP_REQUIRE_SLURM === '1'
const accounting = 'accounting' in slurm && slurm.accounting

/** Every state of a job (one per array task, by task id), from slurmctld. */
async function controllerStates(id: string): Promise<string[]> {
  const r = await execa('scontrol', ['show', 'job', '-o', id], { env, reject: false })
  const tasks = [...r.stdout.matchAll(/^JobId=(\d+)(?:.*?ArrayTaskId=(\d+))?.*?JobState=(\S+)/gm)]
  return tasks.sort((a, b) => Number(a[2] ?? a[1]) - Number(b[2] ?? b[1])).map((m) => m[3] as string)
}

/** Every state of a job (one per array task, by task id), from the accounting database (`sacct -X`: allocations). */
async function accountedStates(id: string): Promise<string[]> {
  const r = await execa('sacct', ['-j', id, '-n', '-P', '-X', '-o', 'JobID,State'], { env, reject: false })
  const rows = r.stdout.split('\n').filter(Boolean).map((l) => l.split('|') as [string, string])
  // A cancelled job reads "CANCELLED by <uid>".
  return rows.sort((a, b) => Number(a[0].split('_')[1] ?? 0) - Number(b[0].split('_')[1] ?? 0)).map(([, state]) => state.split(' ')[0] as string)
}

const jobStates = (id: string) => (accounting ? accountedStates(id) : controllerStates(id))

async function waitStates(id: string, done: (s: string[]) => boolean, ms = 120_000): Promise<string[]> {
  const end = Date.now() + ms
  let states = await jobStates(id)
  while (!done(states) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 250))
    states = await jobStates(id)
  }
  return states
}
const TERMINAL = /^(COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|PREEMPTED)$/

let dir: string
useTempDir('pixcap-slurm-real-', (d) => (dir = d))

describe('a real one-node Slurm', () => {
  it.runIf('reason' in slurm && REQUIRED)('starts in CI (a skip there is a failure)', () => {
    expect('reason' in slurm ? slurm.reason : '').toBe('')
  })
  it.runIf(!('reason' in slurm) && REQUIRED)('keeps accounts in CI: sacct answers (slurmdbd + MariaDB)', () => {
    expect(accounting).toBe(true)
  })

  describe.skipIf('reason' in slurm)('jobs', () => {
    it('the array-job recipe: four convert shards + merge-manifests give the samples of one process', async () => {
      const sample = (f: string) => join(BUNDLED_SAMPLE_DIR, f)
      const args = [sample('pix2cap_sample_train.json'), sample('panoptic'), sample('images')]
      const out = join(dir, 'array')
      const sub = await execa('sbatch', ['--parsable', '--array=0-3', `--output=${dir}/convert-%a.out`, join(REPO_ROOT, 'scripts/slurm/convert-array.sbatch'), ...args, out], { env, cwd: REPO_ROOT })
      const arrayId = sub.stdout.trim().split(';')[0] as string
      const merge = await execa('sbatch', ['--parsable', `--dependency=afterok:${arrayId}`, `--output=${dir}/merge.out`, join(REPO_ROOT, 'scripts/slurm/merge-shards.sbatch'), out], { env, cwd: REPO_ROOT })
      const mergeId = merge.stdout.trim().split(';')[0] as string
      const arrayStates = await waitStates(arrayId, (s) => s.length === 4 && s.every((x) => TERMINAL.test(x)))
      expect(arrayStates, await readFile(join(dir, 'convert-0.out'), 'utf8').catch(() => '')).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED'])
      // The database and the controller tell the same story.
      if (accounting) expect(await controllerStates(arrayId)).toEqual(arrayStates)
      expect(await waitStates(mergeId, (s) => s.length === 1 && TERMINAL.test(s[0] as string)), await readFile(join(dir, 'merge.out'), 'utf8').catch(() => '')).toEqual(['COMPLETED'])

      const one = join(dir, 'one')
      await execa('node', [PIXCAP, 'convert', args[0] as string, '--to', 'gpt4roi', '--panoptic-dir', args[1] as string, '--images-dir', args[2] as string, '--format', 'jsonl', '--out', one, '--json'])
      const lines = async (d: string) => (await Promise.all((await readdir(join(d, 'jsonl'))).sort().map((f) => readFile(join(d, 'jsonl', f), 'utf8')))).join('').split('\n').filter(Boolean).sort()
      const merged = await lines(join(out, 'merged'))
      expect(merged.length).toBeGreaterThan(0)
      expect(merged).toEqual(await lines(one))
      const m = JSON.parse(await readFile(join(out, 'merged/manifest.json'), 'utf8'))
      const o = JSON.parse(await readFile(join(one, 'manifest.json'), 'utf8'))
      expect(m.counts).toEqual(o.counts)
    })

    it('pixcap run through the Slurm launcher completes; runs cancel uses scancel on a running job', async () => {
      const runsDir = join(dir, 'runs')
      await writeFile(join(dir, 'ok.yaml'), 'name: slurm-ok\nlauncher: {type: slurm, nodes: 1, time: "00:05:00"}\nsteps:\n  - {name: hello, command: ["sh", "-c", "echo slurm-ok on $SLURM_JOB_NODELIST"]}\n')
      const ok = await execa('node', [PIXCAP, 'run', join(dir, 'ok.yaml'), '--runs-dir', runsDir, '--json'], { env, cwd: dir })
      const okRun = JSON.parse(ok.stdout)
      expect(okRun).toMatchObject({ ok: true, status: 'queued' })
      expect(okRun.record.slurmJobId).toMatch(/^\d+$/)
      expect(await waitStates(okRun.record.slurmJobId, (s) => s.length === 1 && TERMINAL.test(s[0] as string))).toEqual(['COMPLETED'])
      expect(await readFile(join(okRun.dir, 'stdout.log'), 'utf8')).toMatch(/^slurm-ok on \S+$/m)

      await writeFile(join(dir, 'long.yaml'), 'name: slurm-long\nlauncher: {type: slurm, nodes: 1, time: "00:05:00"}\nsteps:\n  - {name: wait, command: ["sleep", "300"]}\n')
      const long = JSON.parse((await execa('node', [PIXCAP, 'run', join(dir, 'long.yaml'), '--runs-dir', runsDir, '--json'], { env, cwd: dir })).stdout)
      const jobId = long.record.slurmJobId as string
      expect(await waitStates(jobId, (s) => s[0] === 'RUNNING')).toEqual(['RUNNING'])
      const c = await execa('node', [PIXCAP, 'runs', 'cancel', long.id, '--runs-dir', runsDir, '--json'], { env, cwd: dir })
      expect(JSON.parse(c.stdout)).toMatchObject({ action: 'scancel', status: 'killed' })
      expect(await waitStates(jobId, (s) => s.length === 1 && TERMINAL.test(s[0] as string))).toEqual(['CANCELLED'])
      expect(existsSync(join(long.dir, 'job.sbatch'))).toBe(true)
    })
  })
})
