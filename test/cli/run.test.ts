import { describe, expect, it } from 'vitest'
import { main } from '../../src/cli/main.js'
import { captureIo } from '../helpers/io.js'
import { REPO_ROOT } from '../helpers/fixtures.js'

describe('pixcap run --dry-run', () => {
  it('prints the plan as JSON without creating anything', async () => {
    const io = { ...captureIo({ PIXCAP_PYTHON: '/py' }), cwd: REPO_ROOT }
    expect(await main(['run', 'gpt4roi-stage2-pix2cap', '--dry-run', '--json', '--runs-dir', '/nonexistent/runs'], io)).toBe(0)
    const { plan } = JSON.parse(io.out())
    expect(plan.runDir).toMatch(/^\/nonexistent\/runs\/\d{8}-\d{6}-[0-9a-z]{6}$/)
    expect(plan.steps[0].argv.slice(0, 3)).toEqual(['/py', '-m', 'pixcap_bridge'])
    expect(plan.steps[0].config.content.nproc_per_node).toBe(8)
  })

  it('prints a readable plan, with --set applied', async () => {
    const io = { ...captureIo({ PIXCAP_PYTHON: '/py' }), cwd: REPO_ROOT }
    expect(await main(['run', 'smoke-cpu', '--dry-run', '--set', 'steps.train.config.steps=3'], io)).toBe(0)
    expect(io.out()).toMatch(/step train \(bridge\)\n  cwd  .*\n  argv \/py -m pixcap_bridge train --config .*\/config\/train\.json --output-dir .*\/artifacts\n/)
    expect(io.out()).toContain('"steps":3')
  })

  it('usage errors', async () => {
    const io = captureIo()
    expect(await main(['run'], io)).toBe(2)
    expect(io.err()).toContain('pixcap run: expected exactly one recipe')
    expect(await main(['run', 'smoke-cpu', '--set', 'oops', '--dry-run'], io)).toBe(2)
    expect(io.err()).toContain('--set expects key=value')
  })
})
