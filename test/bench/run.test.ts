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
      const all = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
      // First the machine the figures come from, then one line per stage.
      expect(all[0]).toMatchObject({ table: 'machine', cpus: expect.any(Number), cpuModel: expect.any(String) })
      const lines = all.slice(1)
      expect(lines.map((l) => [l.table, l.stage])).toEqual([['in-process', 'png-decode'], ['in-process', 'mask-geometry']])
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

  it('times a whole-process case against its peers and renders the speed table from the output', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'pixcap-bench-whole-'))
    try {
      const data = join(tmp, 'data')
      const { stdout } = await execa(
        process.execPath,
        ['--import', 'tsx', 'bench/run.ts', '--table', 'whole-process', '--only', 'verify-masks', '--repeat', '2', '--images', '30', '--regions', '200', '--png-images', '6', '--data', data],
        { cwd: REPO_ROOT },
      )
      const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
      expect(lines.map((l) => l.table)).toEqual(['machine', 'whole-process'])
      const whole = lines[1] as { stage: string; items: number; repeat: number; pixcap: { wallMsRuns: number[]; command: string }; peers: { script: string; wallMsRuns: number[]; ratio: number }[] }
      expect(whole).toMatchObject({ stage: 'verify-masks', items: 6, repeat: 2 })
      expect(whole.pixcap.command).toMatch(/^node bin\/pixcap\.js validate \$DATA\/pix2cap_synth_png_subset\.json --panoptic-dir \$DATA\/panoptic_train2017 --json$/)
      expect(whole.peers.map((p) => p.script)).toEqual(['bench/peers/verify_masks.py', 'bench/peers/decode_masks.mjs'])
      for (const side of [whole.pixcap, ...whole.peers]) {
        expect(side.wallMsRuns).toHaveLength(2)
        for (const ms of side.wallMsRuns) expect(ms).toBeGreaterThan(0)
      }
      const out = join(tmp, 'out.jsonl')
      await (await import('node:fs/promises')).writeFile(out, stdout)
      const table = await execa(process.execPath, ['--import', 'tsx', 'bench/speed-table.ts', out], { cwd: REPO_ROOT })
      expect(table.stdout).toMatch(/^Measured \d{4}-\d\d-\d\d on \d+ cores/)
      expect(table.stdout).toContain('| verify-masks (6 PNGs (640x480), 2 runs) | `node bin/pixcap.js validate')
      expect(table.stdout).toContain('Python numpy + PIL: `bench/peers/verify_masks.py`')
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
