import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { datasetRefs, gitInfo, parseNvidiaSmi, recordedEnv } from '../../src/runs/provenance.js'
import { sha256 } from '../../src/util/sha256.js'
import { REPO_ROOT } from '../helpers/fixtures.js'

describe('provenance', () => {
  it('parses nvidia-smi CSV (index, name, memory MiB, driver)', () => {
    expect(parseNvidiaSmi('0, NVIDIA H200, 143771, 550.54.15\n1, NVIDIA A100-SXM4-80GB, 81920, 535.104.05\n')).toEqual([
      { index: 0, name: 'NVIDIA H200', memoryMiB: 143771, driver: '550.54.15' },
      { index: 1, name: 'NVIDIA A100-SXM4-80GB', memoryMiB: 81920, driver: '535.104.05' },
    ])
    expect(parseNvidiaSmi('')).toEqual([])
  })

  it('records the whitelisted env plus the plan env, secrets masked', () => {
    expect(recordedEnv({ CUDA_VISIBLE_DEVICES: '0,1', NCCL_DEBUG: 'INFO', HOME: '/root', PIXCAP_HF_TOKEN: 'x', SECRET_THING: 'y' }, { NORM_ATTN: '1' })).toEqual({
      CUDA_VISIBLE_DEVICES: '0,1', NCCL_DEBUG: 'INFO', PIXCAP_HF_TOKEN: '***', NORM_ATTN: '1',
    })
  })

  it('git commit and dirty flag of this checkout; null outside a repository', async () => {
    const g = await gitInfo(REPO_ROOT)
    expect(g?.commit).toMatch(/^[0-9a-f]{40}$/)
    expect(typeof g?.dirty).toBe('boolean')
    expect(await gitInfo(await mkdtemp(join(tmpdir(), 'pixcap-nogit-')))).toBeNull()
  })

  it('hashes each corpus manifest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pixcap-corpus-'))
    await writeFile(join(dir, 'manifest.json'), '{"a":1}')
    expect(await datasetRefs([dir])).toEqual([{ path: dir, manifestSha256: sha256('{"a":1}') }])
  })
})
