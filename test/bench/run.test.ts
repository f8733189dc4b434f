import { existsSync } from 'node:fs'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execa } from 'execa'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../helpers/fixtures.js'

// The stages measure the built library (bench/built.ts); `npm test` builds before vitest runs.
const BUILT = existsSync(join(REPO_ROOT, 'dist/index.js'))

describe.skipIf(!BUILT)('bench runner (smoke, tiny synthetic set)', () => {
  it('runs each stage in a child process and prints one JSON result line per stage', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'pixcap-bench-test-'))
    try {
      const data = join(tmp, 'data')
      const { stdout } = await execa(
        process.execPath,
        ['--import', 'tsx', 'bench/run.ts', '--only', 'png-decode', '--only', 'mask-geometry', '--images', '30', '--regions', '200', '--png-images', '6', '--data', data, '--workers=1'],
        { cwd: REPO_ROOT },
      )
      const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
      expect(lines.map((l) => l.stage)).toEqual(['png-decode', 'mask-geometry'])
      for (const l of lines) {
        expect(l).toMatchObject({ items: 6, unit: 'images', workers: 1 })
        expect(l.peakRssMb).toBeGreaterThan(0)
        expect(l.perSecond).toBeGreaterThan(0)
      }
      expect(lines[1]).toMatchObject({ issues: 0 })
      expect(typeof lines[1]!.ratioToDecode).toBe('number')
      // --data keeps the set; the PNGs are there.
      expect((await readdir(join(data, 'panoptic_train2017'))).length).toBe(6)
    } finally {
      await rm(tmp, { recursive: true, force: true })
    }
  })

  it('refuses an unknown stage by name, listing the known ones', async () => {
    const r = await execa(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--only', 'nope'], { cwd: REPO_ROOT, reject: false })
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toContain('unknown stage(s) nope; stages: ')
    expect(r.stderr).toMatch(/stages: .*png-decode.*mask-geometry/)
  })
})
