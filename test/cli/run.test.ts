import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { main } from '../../src/cli/main.js'
import { captureIo } from '../helpers/io.js'
import { REPO_ROOT } from '../helpers/fixtures.js'

describe('pixcap run --dry-run', () => {
  it('prints the plan as JSON without creating anything', async () => {
    const io = { ...captureIo({ PIXCAP_PYTHON: '/py' }), cwd: REPO_ROOT }
    // Nothing the recipe needs is on this machine: the plan is still printed, with every missing prerequisite, exit 1.
    expect(await main(['run', 'gpt4roi-stage2-pix2cap', '--dry-run', '--json', '--runs-dir', '/nonexistent/runs'], io)).toBe(1)
    const { ok, plan, preflight } = JSON.parse(io.out())
    expect(ok).toBe(false)
    expect(preflight.problems.map((p: { what: string }) => p.what)).toEqual(expect.arrayContaining(['stage-1 workdir', 'base model', 'GPT4RoI checkout', 'upstream data root', 'python', 'GPUs']))
    expect(existsSync('/nonexistent/runs')).toBe(false)
    expect(plan.runDir).toMatch(/^\/nonexistent\/runs\/\d{8}-\d{6}-[0-9a-z]{6}$/)
    expect(plan.steps[0].argv.slice(0, 3)).toEqual(['/py', '-m', 'pixcap_bridge'])
    expect(plan.steps[0].config.content.nproc_per_node).toBe(8)
  })

  it('prints a readable plan, with --set applied', async () => {
    const io = { ...captureIo({ PIXCAP_PYTHON: '/py' }), cwd: REPO_ROOT }
    await main(['run', 'smoke-cpu', '--dry-run', '--set', 'steps.train.config.steps=3', '--set', 'corpus=/no/corpus'], io)
    expect(io.out()).toContain('run dir  ')
    expect(io.out()).toContain('(a real run would create it; --dry-run does not)')
    // `--set corpus=...` is the recipe's var `corpus`, and the check names it.
    expect(io.out()).toContain('MISSING [train] corpus: /no/corpus')
    expect(io.out()).toContain('[train] corpus: /no/corpus: not found')
    expect(io.out()).toMatch(/step train \(bridge\)\n  cwd  .*\n  argv \/py -m pixcap_bridge train --config .*\/config\/train\.json --output-dir .*\/artifacts\n/)
    expect(io.out()).toContain('"steps":3')
  })

  it('usage errors', async () => {
    const io = captureIo()
    expect(await main(['run'], io)).toBe(2)
    expect(io.err()).toContain('pixcap run: expected exactly one recipe')
    expect(await main(['run', 'smoke-cpu', '--set', 'oops', '--dry-run'], io)).toBe(2)
    expect(io.err()).toContain('--set expects key=value')
    expect(await main(['run', 'smoke-cpu', '--set', 'corpsu=x', '--dry-run'], io)).toBe(2)
    expect(io.err()).toContain('--set corpsu=x: "corpsu" is neither a recipe key (name, description, cites, vars, python, bridge, env, datasets, upstream, launcher, steps) nor one of its vars (corpus, images_root)')
  })
})
