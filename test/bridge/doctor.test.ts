import { describe, expect, it } from 'vitest'
import { renderDoctor, runDoctor } from '../../src/bridge/doctor.js'
import { main } from '../../src/cli/main.js'
import { SYSTEM_PYTHON, bridge } from '../helpers/bridges.js'
import { captureIo } from '../helpers/io.js'

describe.skipIf(!SYSTEM_PYTHON)('pixcap doctor', () => {
  it('reports what the bridge env command says', async () => {
    const d = await runDoctor({ env: process.env, cwd: process.cwd(), python: 'python3', script: bridge('env_report') })
    expect(d).toMatchObject({ ok: true, executable: 'python3', bridge: 'fixture', torch: '2.0.0+cpu', cuda: true, transformers: '4.40.0', gpt4roi: { importable: false } })
    expect(d.gpus).toHaveLength(1)
    expect(d.argv.slice(0, 3)).toEqual(['python3', bridge('env_report'), 'env'])
    const text = renderDoctor(d)
    expect(text).toContain('pixcap doctor: ok\n')
    expect(text).toContain('  CUDA:         available\n')
    expect(text).toContain('  GPU 0:        NVIDIA H200, 150.0 GiB, sm 9.0\n')
    expect(text).toContain('  GPT4RoI:      home=null, importable=false, error=no checkout configured\n')
  })

  it('fails with exit code 1 and the reason when the bridge cannot run', async () => {
    const io = captureIo(process.env)
    expect(await main(['doctor', '--python', 'python3', '--bridge-script', bridge('exit3')], io)).toBe(1)
    expect(io.out()).toContain('pixcap doctor: FAILED')
    expect(io.out()).toContain('bridge failed with exit code 3')
  })
})
