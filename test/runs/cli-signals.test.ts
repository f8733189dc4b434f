// Real `node bin/pixcap.js` processes: SIGINT ends the bridge's whole process group and records `killed`; SIGKILL to
// pixcap leaves a run that the next `runs list` shows as `lost`; `runs cancel` stops a live run.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../helpers/fixtures.js'
import { SYSTEM_PYTHON, alive, waitFor } from '../helpers/bridges.js'
import { fixtureRecipe } from '../helpers/recipes.js'

const BIN = join(REPO_ROOT, 'bin/pixcap.js')
const ENV = { ...process.env, PIXCAP_HEARTBEAT_MS: '200', PIXCAP_PYTHON: '' }
const leftovers: number[] = []

beforeAll(() => {
  if (!existsSync(join(REPO_ROOT, 'dist/cli/main.js'))) execFileSync('npm', ['run', '-s', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' })
})

afterEach(() => {
  for (const pid of leftovers.splice(0)) {
    try {
      process.kill(-pid, 'SIGKILL')
    } catch {}
  }
})

function pixcap(args: string[], cwd: string): { child: ChildProcess; exit: Promise<number | null>; out: () => string } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout?.on('data', (d) => (out += d))
  child.stderr?.on('data', (d) => (out += d))
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
  return { child, exit, out: () => out }
}

/** Waits until the run's bridge has reported its grandchild; returns run dir, bridge pid and grandchild pid. */
async function startedHangRun(runsDir: string): Promise<{ dir: string; childPid: number; grandchild: number }> {
  let dir = ''
  let grandchild = 0
  await waitFor(async () => {
    if (!existsSync(runsDir)) return false
    const ids = await readdir(runsDir)
    if (ids.length !== 1) return false
    dir = join(runsDir, ids[0] as string)
    const events = existsSync(join(dir, 'events.jsonl')) ? await readFile(join(dir, 'events.jsonl'), 'utf8') : ''
    const m = /grandchild (\d+)/.exec(events)
    if (m) grandchild = Number(m[1])
    return grandchild > 0
  }, 30_000, 'the hang fixture to report its grandchild')
  const run = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8'))
  leftovers.push(run.childPid)
  return { dir, childPid: run.childPid, grandchild }
}

async function status(dir: string): Promise<string> {
  return JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')).status
}

describe.skipIf(!SYSTEM_PYTHON)('pixcap run as a real process', () => {
  it('SIGINT ends the whole bridge process group (grandchild included) and marks the run killed', async () => {
    const { file, dir: cwd, runsDir } = await fixtureRecipe('hang')
    const p = pixcap(['run', file, '--runs-dir', runsDir], cwd)
    const { dir, childPid, grandchild } = await startedHangRun(runsDir)
    expect(alive(grandchild)).toBe(true)
    expect(await status(dir)).toBe('running')
    p.child.kill('SIGINT')
    expect(await p.exit).toBe(130)
    await waitFor(() => !alive(grandchild) && !alive(childPid), 10_000, 'bridge and grandchild to exit')
    const run = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8'))
    expect(run).toMatchObject({ status: 'killed', signal: 'SIGTERM', endedAt: expect.any(String) })
    expect(p.out()).toContain(`run ${run.id} killed`)
  })

  it('pixcap killed with SIGKILL mid-run -> its step group dies with it (the reaper); runs list shows lost; runs cancel records killed', async () => {
    const { file, dir: cwd, runsDir } = await fixtureRecipe('hang')
    const p = pixcap(['run', file, '--runs-dir', runsDir], cwd)
    const { dir, childPid, grandchild } = await startedHangRun(runsDir)
    p.child.kill('SIGKILL')
    await p.exit
    expect(await status(dir)).toBe('running') // nothing could record the end
    let listed = ''
    await waitFor(async () => {
      const l = pixcap(['runs', 'list', '--runs-dir', runsDir, '--json'], cwd)
      await l.exit
      listed = l.out()
      return listed.includes('"status": "lost"')
    }, 15_000, 'runs list to show lost')
    const json = JSON.parse(listed)
    expect(json.runs).toHaveLength(1)
    expect(json.runs[0].status).toBe('lost')
    // The step's group does not outlive its owner (issue 17, finding 6): the reaper ends it within seconds.
    await waitFor(() => !alive(childPid) && !alive(grandchild), 10_000, 'the orphaned group to be reaped')
    const c = pixcap(['runs', 'cancel', json.runs[0].id, '--runs-dir', runsDir], cwd)
    expect(await c.exit).toBe(0)
    expect(c.out()).toContain('killed-group, now killed')
    expect(await status(dir)).toBe('killed')
  })

  it('runs cancel stops a live run through its owner, which records killed', async () => {
    const { file, dir: cwd, runsDir } = await fixtureRecipe('hang')
    const p = pixcap(['run', file, '--runs-dir', runsDir], cwd)
    const { dir, grandchild } = await startedHangRun(runsDir)
    const c = pixcap(['runs', 'cancel', dir.split('/').at(-1) as string, '--runs-dir', runsDir], cwd)
    expect(await c.exit).toBe(0)
    expect(c.out()).toMatch(/signalled-owner, now killed/)
    expect(await p.exit).toBe(130)
    await waitFor(() => !alive(grandchild), 10_000, 'grandchild to exit')
    expect(await status(dir)).toBe('killed')
  })
})
