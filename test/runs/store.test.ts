import { hostname } from 'node:os'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { RunRecord } from '../../src/runs/run-record.js'
import { createRunDir, deriveStatus, findRunId, newRunId, resolveRunsDir } from '../../src/runs/store.js'
import { RunWriter } from '../../src/runs/run-writer.js'

function record(over: Partial<RunRecord> = {}): RunRecord {
  const t = '2026-11-26T10:00:00.000Z'
  return {
    id: 'r1', recipe: { name: 'x', file: null }, status: 'running', config: {}, configSha256: 'h', launcher: { type: 'local' }, steps: [],
    git: { pixcap: null, gpt4roi: null }, datasets: [], host: { hostname: hostname(), platform: 'linux', arch: 'x64', cpus: 2, node: 'v20', user: null },
    env: {}, bridge: null, gpus: [], pid: process.pid, childPid: null, slurmJobId: null, heartbeatAt: t, createdAt: t, startedAt: t,
    endedAt: null, exitCode: null, signal: null, failure: null, artifacts: [], lastMetrics: {}, ...over,
  }
}

const NOW = Date.parse('2026-11-26T10:01:00.000Z')
const DEAD_PID = 2 ** 22 + 12345 // above the default pid_max of 4194304

describe('run store', () => {
  it('run ids sort by time and do not collide', () => {
    const id = newRunId(new Date('2026-11-26T10:54:23.456Z'))
    expect(id).toMatch(/^20261126-105423-[0-9a-z]{6}$/)
    const many = new Set(Array.from({ length: 2000 }, () => newRunId()))
    expect(many.size).toBe(2000)
  })

  it('resolves the runs dir from the flag, PIXCAP_RUNS_DIR, or ./runs', () => {
    expect(resolveRunsDir('x', { PIXCAP_RUNS_DIR: '/e' }, '/c')).toBe('/c/x')
    expect(resolveRunsDir(undefined, { PIXCAP_RUNS_DIR: '/e' }, '/c')).toBe('/e')
    expect(resolveRunsDir(undefined, {}, '/c')).toBe('/c/runs')
  })

  it.each([
    ['live owner, fresh heartbeat', { pid: process.pid, heartbeatAt: '2026-11-26T10:00:59.000Z' }, 'running'],
    ['live owner, stale heartbeat (a busy event loop is not death)', { pid: process.pid }, 'running'],
    ['dead owner, fresh heartbeat (it may still be writing its end)', { pid: DEAD_PID, heartbeatAt: '2026-11-26T10:00:59.000Z' }, 'running'],
    ['dead owner, stale heartbeat', { pid: DEAD_PID }, 'lost'],
    ['queued with a dead owner', { pid: DEAD_PID, status: 'queued' as const }, 'lost'],
    ['handed to slurm', { pid: null, status: 'queued' as const, slurmJobId: '42' }, 'queued'],
    ['finished stays finished', { pid: DEAD_PID, status: 'finished' as const }, 'finished'],
    ['other host: heartbeat only', { pid: process.pid, host: { hostname: 'elsewhere', platform: 'linux', arch: 'x64', cpus: 1, node: 'v20', user: null } }, 'lost'],
  ])('status: %s', (_name, over, want) => {
    expect(deriveStatus(record(over), { now: NOW, staleMs: 15_000 })).toBe(want)
  })

  it('creates run dirs exclusively and finds runs by unique prefix', async () => {
    const runsDir = await mkdtemp(join(tmpdir(), 'pixcap-store-'))
    const a = await createRunDir(runsDir, 'abc-1')
    await expect(createRunDir(runsDir, 'abc-1')).rejects.toThrow(/EEXIST/)
    await createRunDir(runsDir, 'abd-2')
    const w = new RunWriter(a, record({ id: 'abc-1' }), (t) => t)
    await w.update()
    const b = new RunWriter(await createRunDir(runsDir, 'abc-3'), record({ id: 'abc-3' }), (t) => t)
    await b.update()
    expect(await findRunId(runsDir, 'abc-1')).toBe('abc-1')
    await expect(findRunId(runsDir, 'abc')).rejects.toThrow('"abc" matches 2 runs: abc-1, abc-3')
    await expect(findRunId(runsDir, 'zzz')).rejects.toThrow('no run "zzz" (pixcap runs list shows the ids)')
  })
})
