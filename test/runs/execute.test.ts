import { existsSync } from 'node:fs'
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { runRecipe } from '../../src/runs/execute.js'
import { readMetrics } from '../../src/runs/metrics-file.js'
import { listRuns, readRun } from '../../src/runs/store.js'
import { sha256 } from '../../src/util/sha256.js'
import { SYSTEM_PYTHON, bridge } from '../helpers/bridges.js'
import { fixtureRecipe } from '../helpers/recipes.js'
import { REPO_ROOT } from '../helpers/fixtures.js'

const TORCHRUN = join(REPO_ROOT, '.venv/bin/torchrun')

const env = (extra: Record<string, string> = {}) => ({ ...process.env, PIXCAP_PYTHON: undefined, ...extra })

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) out.push(join(e.parentPath, e.name))
  return out
}

describe.skipIf(!SYSTEM_PYTHON)('runRecipe with fixture bridges (real processes)', () => {
  it('a finished run records metrics, artifacts, events, config hash, dataset manifest hash and git', async () => {
    const { file, dir, runsDir } = await fixtureRecipe('metrics', { config: { steps: 4, lr: 0.01 } })
    const corpus = join(dir, 'corpus')
    await mkdir(corpus)
    const manifest = JSON.stringify({ counts: { samples: 3 } })
    await writeFile(join(corpus, 'manifest.json'), manifest)
    const out = await runRecipe({ recipe: file, set: [`datasets=["${corpus}"]`], runsDir, cwd: dir, env: env() })
    expect(out.status).toBe('finished')
    const r = await readRun(runsDir, out.id)
    expect(r).toMatchObject({ status: 'finished', exitCode: 0, signal: null, failure: null, recipe: { name: 'fixture-metrics', file } })
    expect(r.configSha256).toMatch(/^[0-9a-f]{64}$/)
    expect(r.datasets).toEqual([{ path: corpus, manifestSha256: sha256(manifest) }])
    expect(r.git.pixcap?.commit).toMatch(/^[0-9a-f]{40}$/)
    expect(r.bridge).toMatchObject({ bridge: 'fixture', cuda: false })
    expect(r.artifacts).toEqual([{ path: 'artifacts/checkpoint-4', kind: 'checkpoint', step: 'train', t: expect.any(String) }])
    expect(existsSync(join(out.dir, 'artifacts/checkpoint-4/weights.txt'))).toBe(true)
    expect(r.lastMetrics).toEqual({ loss: { step: 4, value: 0.5 }, lr: { step: 4, value: 0.01 } })
    const loss = (await readMetrics(join(out.dir, 'metrics.jsonl'))).filter((m) => m.name === 'loss')
    expect(loss.map((m) => [m.step, m.value])).toEqual([[1, 2], [2, 1], [3, 0.6667], [4, 0.5]])
    const events = (await readFile(join(out.dir, 'events.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l))
    expect(events[0]).toMatchObject({ stepName: 'train', event: { type: 'hello' } })
    expect(events.at(-1)).toMatchObject({ event: { type: 'done', status: 'finished' } })
    expect(events.every((e) => !Number.isNaN(Date.parse(e.t)))).toBe(true)
    expect(JSON.parse(await readFile(join(out.dir, 'config/train.json'), 'utf8'))).toEqual({ steps: 4, lr: 0.01 })
  })

  it('bridge exit 3 -> failed with exit code and stderr tail', async () => {
    const { file, dir, runsDir } = await fixtureRecipe('exit3')
    const out = await runRecipe({ recipe: file, runsDir, cwd: dir, env: env() })
    expect(out.status).toBe('failed')
    const r = await readRun(runsDir, out.id)
    expect(r.exitCode).toBe(3)
    expect(r.failure).toMatchObject({ step: 'train', exitCode: 3, signal: null, stderrTail: 'loading corpus...\nRuntimeError: CUDA out of memory (fixture)' })
    expect(r.failure?.message).toMatch(/^bridge failed with exit code 3: python3 .*exit3\.py train --config/)
    expect(await readFile(join(out.dir, 'stderr.log'), 'utf8')).toContain('RuntimeError: CUDA out of memory (fixture)')
  })

  it('garbage on stdout -> a protocol error quoting the line, run failed, log kept', async () => {
    const { file, dir, runsDir } = await fixtureRecipe('garbage')
    const out = await runRecipe({ recipe: file, runsDir, cwd: dir, env: env(), killGraceMs: 500 })
    expect(out.status).toBe('failed')
    const r = await readRun(runsDir, out.id)
    expect(r.failure?.message).toContain('bridge broke the protocol: line 2: not JSON: "Loading checkpoint shards: 100%"')
    expect(await readFile(join(out.dir, 'stdout.log'), 'utf8')).toContain('Loading checkpoint shards: 100%\n')
  })

  it('two runs at once in one store keep both records intact', async () => {
    const { file, dir, runsDir } = await fixtureRecipe('metrics', { config: { steps: 30 } })
    const [a, b] = await Promise.all([
      runRecipe({ recipe: file, runsDir, cwd: dir, env: env() }),
      runRecipe({ recipe: file, runsDir, cwd: dir, env: env(), set: ['steps.train.config.start=4.0'] }),
    ])
    expect(a.id).not.toBe(b.id)
    const runs = await listRuns(runsDir)
    expect(runs.map((r) => r.status)).toEqual(['finished', 'finished'])
    for (const [out, start] of [[a, 2], [b, 4]] as const) {
      const m = (await readMetrics(join(out.dir, 'metrics.jsonl'))).filter((p) => p.name === 'loss')
      expect(m).toHaveLength(30)
      expect(m[0]?.value).toBe(start)
    }
  })

  it('HF_TOKEN and MY_API_KEY never appear anywhere in the run dir', async () => {
    const { file, dir, runsDir } = await fixtureRecipe('echo_env')
    const secrets = { HF_TOKEN: 'hf_Q9zXsupersecret77', MY_API_KEY: 'sk-live-0123456789abcdef' }
    const out = await runRecipe({ recipe: file, runsDir, cwd: dir, env: env(secrets) })
    expect(out.status).toBe('finished')
    const files = await allFiles(out.dir)
    expect(files.map((f) => f.slice(out.dir.length + 1)).sort()).toEqual(['config/train.json', 'events.jsonl', 'run.json', 'stderr.log', 'stdout.log'])
    for (const f of files) {
      const text = await readFile(f, 'utf8')
      expect(text, f).not.toContain(secrets.HF_TOKEN)
      expect(text, f).not.toContain(secrets.MY_API_KEY)
    }
    const stderr = await readFile(join(out.dir, 'stderr.log'), 'utf8')
    expect(stderr).toContain('HF_TOKEN=***')
    expect(stderr).toContain('MY_API_KEY=***')
    expect(await readFile(join(out.dir, 'events.jsonl'), 'utf8')).toContain('using token *** and key ***')
  })

  it('command steps run after the bridge; a step stdout can be saved as an artifact; a missing output fails the run', async () => {
    const { dir, runsDir } = await fixtureRecipe('metrics')
    const file = join(dir, 'two.yaml')
    const script = 'import sys; print(\'{"ok": 1}\'); print(sys.argv[1])'
    await writeFile(file, stringify({
      name: 'two-steps',
      python: 'python3',
      bridge: { script: bridge('metrics') },
      steps: [
        { name: 'train', bridge: 'train', config: { steps: 2 } },
        { name: 'score', command: ['python3', '-c', script, '${run.artifacts}/checkpoint-2'], stdout: 'report.json', outputs: ['report.json'] },
      ],
    }))
    const out = await runRecipe({ recipe: file, runsDir, cwd: dir, env: env() })
    expect(out.status).toBe('finished')
    expect(await readFile(join(out.dir, 'artifacts/report.json'), 'utf8')).toBe(`{"ok": 1}\n${join(out.dir, 'artifacts/checkpoint-2')}\n`)
    const bad = await runRecipe({ recipe: file, runsDir, cwd: dir, env: env(), set: ['steps.score.outputs=[missing.json]'] })
    expect(bad.status).toBe('failed')
    expect(bad.record.failure).toMatchObject({ step: 'score', message: 'step score finished but did not write artifacts/missing.json' })
    const crash = await runRecipe({ recipe: file, runsDir, cwd: dir, env: env(), set: ['steps.score.command=[python3, -c, "import sys; sys.exit(2)"]'] })
    expect(crash.record.failure).toMatchObject({ step: 'score', exitCode: 2 })
  })

  it('an artifact path escaping the output dir fails the run and stops the bridge', async () => {
    const { file, dir, runsDir } = await fixtureRecipe('escape')
    const started = Date.now()
    const out = await runRecipe({ recipe: file, runsDir, cwd: dir, env: env(), killGraceMs: 500 })
    expect(Date.now() - started).toBeLessThan(20_000) // not the fixture's 30 s sleep
    expect(out.status).toBe('failed')
    expect(out.record.failure).toMatchObject({ step: 'train', message: 'bridge stdout (step train): path: "../../../etc/passwd" escapes its root directory' })
    expect(out.record.artifacts).toEqual([])
  })

  it('an error event is kept as the reported failure', async () => {
    const { file, dir, runsDir } = await fixtureRecipe('error')
    const out = await runRecipe({ recipe: file, runsDir, cwd: dir, env: env() })
    expect(out.status).toBe('failed')
    expect(out.record.failure).toMatchObject({
      exitCode: 1,
      message: expect.stringMatching(/^bridge reported an error: corpus\/manifest\.json: counts\.train: expected a positive integer, got 0: python3 /),
      reported: { message: 'corpus/manifest.json: counts.train: expected a positive integer, got 0', traceback: 'Traceback (most recent call last):\n  ...\nBridgeError', failure: { kind: 'config' } },
      torchrun: null,
    })
  })

  it.skipIf(!existsSync(TORCHRUN))('under the torchrun launcher, a failing rank becomes a structured torchrun failure', async () => {
    const { file, dir, runsDir } = await fixtureRecipe('exit3')
    const port = 29700 + Math.floor(Math.random() * 200)
    const out = await runRecipe({ recipe: file, runsDir, cwd: dir, env: env(), set: [`launcher={type: torchrun, torchrun: ${TORCHRUN}, nproc_per_node: 1, master_port: ${port}}`] })
    expect(out.status).toBe('failed')
    expect(out.record.steps[0]?.argv.slice(0, 5)).toEqual([TORCHRUN, '--nnodes=1', '--nproc_per_node=1', '--master_addr=127.0.0.1', `--master_port=${port}`])
    expect(out.record.failure?.torchrun).toMatchObject({ script: bridge('exit3'), rootCause: { rank: 0, localRank: 0, exitCode: 3, signal: null, errorFile: null }, others: [] })
  })

  it('a corpus without manifest.json is refused before any run dir exists', async () => {
    const { file, dir, runsDir } = await fixtureRecipe('metrics', { datasets: ['no-corpus'] })
    await expect(runRecipe({ recipe: file, runsDir, cwd: dir, env: env() })).rejects.toThrow(`${join(dir, 'no-corpus/manifest.json')}: the recipe uses this corpus, but it has no manifest.json`)
    expect(existsSync(runsDir)).toBe(false)
  })
})
