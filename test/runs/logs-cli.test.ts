import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../../src/cli/main.js'
import { runRecipe } from '../../src/runs/execute.js'
import { runLog } from '../../src/runs/logs.js'
import { SYSTEM_PYTHON, waitFor } from '../helpers/bridges.js'
import { captureIo } from '../helpers/io.js'
import { fixtureRecipe } from '../helpers/recipes.js'

describe.skipIf(!SYSTEM_PYTHON)('runs logs / list / show', () => {
  it('follows a live log until the run ends', async () => {
    const { file, dir, runsDir } = await fixtureRecipe('hang')
    const ac = new AbortController()
    let id = ''
    const run = runRecipe({ recipe: file, runsDir, cwd: dir, env: process.env, signal: ac.signal, killGraceMs: 500, onProgress: (p) => { if (p.kind === 'started') id = p.id } })
    await waitFor(() => id !== '', 15_000, 'the run to start')
    let text = ''
    const follow = (async () => {
      for await (const chunk of runLog({ runsDir, id, stream: 'stdout', follow: true, pollMs: 50 })) text += chunk
    })()
    await waitFor(() => text.includes('grandchild'), 15_000, 'the followed log to show the grandchild line')
    ac.abort()
    expect((await run).status).toBe('killed')
    await follow // ends by itself once the run is no longer live
    expect(text).toBe(await readFile(join(runsDir, id, 'stdout.log'), 'utf8'))
  })

  it('list, show and logs through the CLI', async () => {
    const { file, dir, runsDir } = await fixtureRecipe('metrics', { config: { steps: 3 } })
    const out = await runRecipe({ recipe: file, runsDir, cwd: dir, env: process.env })
    const io = { ...captureIo({ PIXCAP_RUNS_DIR: runsDir }), cwd: dir }
    expect(await main(['runs', 'list'], io)).toBe(0)
    expect(io.out()).toMatch(new RegExp(`^${out.id}  finished  fixture-metrics  \\d+\\.\\ds loss=0\\.6667\\n$`))
    const show = { ...captureIo({ PIXCAP_RUNS_DIR: runsDir }), cwd: dir }
    expect(await main(['runs', 'show', out.id.slice(0, 17), '--json'], show)).toBe(0)
    expect(JSON.parse(show.out()).run).toMatchObject({ id: out.id, status: 'finished' })
    const logs = { ...captureIo({ PIXCAP_RUNS_DIR: runsDir }), cwd: dir }
    expect(await main(['runs', 'logs', out.id, '--stderr'], logs)).toBe(0)
    expect(logs.out()).toMatch(/^# pixcap: step train: python3 .*metrics\.py train/)
    const missing = { ...captureIo({ PIXCAP_RUNS_DIR: runsDir }), cwd: dir }
    expect(await main(['runs', 'show', 'nope'], missing)).toBe(1)
    expect(missing.err()).toContain('no run "nope" (pixcap runs list shows the ids)')
  })
})
