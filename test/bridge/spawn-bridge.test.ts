import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { BridgeEvent } from '../../src/bridge/protocol.js'
import { spawnBridge } from '../../src/bridge/spawn-bridge.js'
import { createRedactor } from '../../src/util/redact.js'
import { SYSTEM_PYTHON, alive, bridge, waitFor } from '../helpers/bridges.js'

const PY = SYSTEM_PYTHON ?? 'python3'

async function collect(events: AsyncIterable<BridgeEvent>): Promise<BridgeEvent[]> {
  const out: BridgeEvent[] = []
  for await (const e of events) out.push(e)
  return out
}

describe.skipIf(!SYSTEM_PYTHON)('spawnBridge (real processes)', () => {
  it('streams events and succeeds on done + exit 0', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pixcap-spawn-'))
    const p = await spawnBridge({ argv: [PY, bridge('metrics'), 'train', '--output-dir', dir], env: process.env, cwd: dir, stderrFile: join(dir, 'stderr.log') })
    const events = await collect(p.events)
    const r = await p.result
    expect(r.ok).toBe(true)
    expect(r.exitCode).toBe(0)
    expect(events.filter((e) => e.type === 'metric' && e.name === 'loss').map((e) => (e as { value: number }).value)).toEqual([2, 1, 0.6667, 0.5, 0.4])
    expect(events.at(-1)).toEqual({ v: 1, type: 'done', status: 'finished' })
  })

  it('reports exit code 3 with argv, duration and the stderr tail', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pixcap-spawn-'))
    const argv = [PY, bridge('exit3'), 'train']
    const p = await spawnBridge({ argv, env: process.env, cwd: dir, stderrFile: join(dir, 'stderr.log') })
    await collect(p.events)
    const r = await p.result
    expect(r).toMatchObject({ ok: false, argv, exitCode: 3, signal: null, canceled: false, protocolError: null })
    expect(r.durationMs).toBeGreaterThan(0)
    expect(r.stderrTail).toBe('loading corpus...\nRuntimeError: CUDA out of memory (fixture)')
    expect(r.message).toBe(`bridge failed with exit code 3: ${argv.join(' ')}\nstderr (last lines):\nloading corpus...\nRuntimeError: CUDA out of memory (fixture)`)
    expect(await readFile(join(dir, 'stderr.log'), 'utf8')).toContain('CUDA out of memory')
  })

  it('turns a non-JSON stdout line into a protocol error and ends the process', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pixcap-spawn-'))
    const p = await spawnBridge({ argv: [PY, bridge('garbage'), 'train'], env: process.env, cwd: dir, stderrFile: join(dir, 'stderr.log'), stdoutFile: join(dir, 'stdout.log'), killGraceMs: 500 })
    const events = await collect(p.events)
    const r = await p.result
    expect(events.map((e) => e.type)).toEqual(['hello'])
    expect(r.ok).toBe(false)
    expect(r.protocolError).toBe('line 2: not JSON: "Loading checkpoint shards: 100%" (stdout carries only protocol events, one JSON object per line; print logs to stderr)')
    expect(r.durationMs).toBeLessThan(20_000) // killed, not waited for (the fixture sleeps 30 s)
    expect(await readFile(join(dir, 'stdout.log'), 'utf8')).toContain('Loading checkpoint shards: 100%')
  })

  it('cancel kills the whole process group, grandchild included', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pixcap-spawn-'))
    const ac = new AbortController()
    const p = await spawnBridge({ argv: [PY, bridge('hang'), 'train'], env: process.env, cwd: dir, stderrFile: join(dir, 'stderr.log'), signal: ac.signal, killGraceMs: 1000 })
    let grandchild = 0
    for await (const e of p.events) {
      if (e.type === 'log') grandchild = Number(e.message.split(' ')[1])
      if (e.type === 'progress') ac.abort()
    }
    const r = await p.result
    expect(r.canceled).toBe(true)
    expect(r.signal).toBe('SIGTERM')
    expect(grandchild).toBeGreaterThan(0)
    await waitFor(() => !alive(grandchild), 5000, 'the grandchild to exit')
  })

  it('a timeout ends the group and says so', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pixcap-spawn-'))
    const argv = [PY, bridge('hang'), 'train']
    const p = await spawnBridge({ argv, env: process.env, cwd: dir, stderrFile: join(dir, 'stderr.log'), timeoutMs: 1500, killGraceMs: 500 })
    let grandchild = 0
    for await (const e of p.events) if (e.type === 'log') grandchild = Number(e.message.split(' ')[1])
    const r = await p.result
    expect(r).toMatchObject({ ok: false, timedOut: true, canceled: false, signal: 'SIGTERM' })
    expect(r.message).toMatch(new RegExp(`^bridge timed out after \\d+ ms \\(SIGTERM\\): ${PY} `))
    await waitFor(() => !alive(grandchild), 5000, 'the grandchild to exit')
  })

  it('masks secret values in stderr and events', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pixcap-spawn-'))
    const env = { ...process.env, HF_TOKEN: 'hf_supersecretvalue123', MY_API_KEY: 'key-abcdef-987' }
    const p = await spawnBridge({ argv: [PY, bridge('echo_env'), 'train'], env, cwd: dir, stderrFile: join(dir, 'stderr.log'), redact: createRedactor(env) })
    const events = await collect(p.events)
    await p.result
    const stderr = await readFile(join(dir, 'stderr.log'), 'utf8')
    expect(stderr).toContain('HF_TOKEN=***')
    expect(stderr).not.toContain('hf_supersecretvalue123')
    expect(stderr).not.toContain('key-abcdef-987')
    expect(events.find((e) => e.type === 'log')).toMatchObject({ message: 'using token *** and key ***' })
  })

  it('reports a python that does not exist', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pixcap-spawn-'))
    const p = await spawnBridge({ argv: ['/nonexistent/python', 'x.py'], env: process.env, cwd: dir, stderrFile: join(dir, 'stderr.log') })
    const r = await p.result
    expect(r.ok).toBe(false)
    expect(r.message).toMatch(/^bridge could not start: \/nonexistent\/python x\.py: .*set PIXCAP_PYTHON/s)
  })
})
