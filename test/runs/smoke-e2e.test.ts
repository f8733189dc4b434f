// End to end: `pixcap run recipes/smoke-cpu.yaml` on the demo corpus with the real bridge (python-bridge/pixcap_bridge,
// backend "smoke") in the repo venv. Needs the bridge package and the demo corpus (out/demo, written by `pixcap demo`);
// when the corpus is missing and the `demo` command exists, it is generated first. Skips, saying why, otherwise.
import { existsSync } from 'node:fs'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { main, resolveCommand } from '../../src/cli/main.js'
import { readMetrics } from '../../src/runs/metrics-file.js'
import { sha256File } from '../../src/util/sha256.js'
import { HAS_PYTHON, PYTHON, REPO_ROOT } from '../helpers/fixtures.js'
import { captureIo } from '../helpers/io.js'

const BRIDGE_PKG = join(REPO_ROOT, 'python-bridge/pixcap_bridge')
// PIXCAP_SMOKE_CORPUS / PIXCAP_SMOKE_IMAGES point the test at another corpus (e.g. a bridge test corpus).
const CORPUS = process.env.PIXCAP_SMOKE_CORPUS ?? join(REPO_ROOT, 'out/demo')
const IMAGES = process.env.PIXCAP_SMOKE_IMAGES ?? join(REPO_ROOT, 'sample/images')
const HAS_CORPUS = existsSync(join(CORPUS, 'manifest.json'))
const CAN_MAKE_CORPUS = resolveCommand(['demo']) !== null
// On CI (CI=true) nothing may be missing: the test runs and fails loudly instead of skipping.
const skipReason = process.env.CI ? null : !existsSync(BRIDGE_PKG)
  ? `python-bridge/pixcap_bridge is missing (the bridge-py branch)`
  : !HAS_PYTHON
    ? `no Python venv at ${PYTHON} (npm test sets it up)`
    : !HAS_CORPUS && !CAN_MAKE_CORPUS
      ? 'out/demo/manifest.json is missing and there is no `pixcap demo` command to build it'
      : null

describe.skipIf(skipReason !== null)(`smoke-cpu end to end${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  beforeAll(async () => {
    if (existsSync(join(CORPUS, 'manifest.json'))) return
    const io = { ...captureIo(process.env), cwd: REPO_ROOT }
    const code = await main(['demo'], io)
    if (code !== 0 || !existsSync(join(CORPUS, 'manifest.json'))) throw new Error(`pixcap demo did not build ${CORPUS} (exit ${code}): ${io.err()}`)
  }, 600_000)

  it('finishes with falling loss, a checkpoint artifact, and config + dataset hashes recorded', async () => {
    const runsDir = await mkdtemp(join(tmpdir(), 'pixcap-smoke-runs-'))
    const io = { ...captureIo({ ...process.env, PIXCAP_PYTHON: PYTHON }), cwd: REPO_ROOT }
    const code = await main(['run', 'recipes/smoke-cpu.yaml', '--runs-dir', runsDir, '--json', '--set', `vars.corpus=${CORPUS}`, '--set', `vars.images_root=${IMAGES}`], io)
    const out = JSON.parse(io.out())
    expect(code, `${io.err()}\n${out.record?.failure?.message ?? ''}`).toBe(0)
    const r = out.record
    expect(r.status).toBe('finished')
    expect(r.configSha256).toMatch(/^[0-9a-f]{64}$/)
    expect(r.datasets).toEqual([{ path: CORPUS, manifestSha256: await sha256File(join(CORPUS, 'manifest.json')) }])
    expect(r.bridge).toMatchObject({ bridge: expect.any(String), torch: expect.any(String) })
    expect(r.artifacts.some((a: { kind: string; path: string }) => a.kind === 'checkpoint' && existsSync(join(out.dir, a.path)))).toBe(true)
    const loss = (await readMetrics(join(out.dir, 'metrics.jsonl'))).filter((m) => m.name === 'loss')
    expect(loss.length).toBeGreaterThanOrEqual(10)
    const head = loss.slice(0, 5).reduce((s, m) => s + (m.value ?? Number.NaN), 0) / 5
    const tail = loss.slice(-5).reduce((s, m) => s + (m.value ?? Number.NaN), 0) / 5
    expect(tail).toBeLessThan(head)
    const events = (await readFile(join(out.dir, 'events.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l).event.type)
    expect(events[0]).toBe('hello')
    expect(events.at(-1)).toBe('done')
  }, 600_000)
})
