// Memory rows (issues 17 and 18): peak RSS of a whole `pixcap convert --to gpt4roi --format parquet,arrow` process as
// the corpus grows, without and with mask verification (--panoptic-dir). Sets are made by bench/whole/scaled-set.ts
// from the synthetic train file (no masks) or from its PNG subset (masks: each PNG is reused many times, so 1M
// regions need 125k decodes of 1,000 files; the page cache holds them, which a real 118k-PNG folder would not).
// One run per size (memory, not speed; the wall time is shown for scale). Only with `--only memory` (minutes).
//   --memory-sizes=100000,1000000,500000,5000000  --memory-mask-sizes=100000,1000000,500000,5000000 (the defaults)
import { rm, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { BenchContext } from '../stage.js'
import { synthPaths } from '../synth.js'
import { writeScaledSet } from './scaled-set.js'
import { timeProcess } from './time-process.js'

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)))

const sizes = (v: string | undefined, fallback: number[]): number[] => (v === undefined ? fallback : v === '' ? [] : v.split(',').map(Number))

export async function runMemoryRows(ctx: BenchContext): Promise<void> {
  const { jsonPath, pngSubsetJsonPath, panopticDir } = synthPaths(ctx.dataDir)
  const plan = [
    ...sizes(ctx.options['memory-sizes'], [100_000, 1_000_000, 500_000, 5_000_000]).map((regions) => ({ regions, masks: false })),
    ...sizes(ctx.options['memory-mask-sizes'], [100_000, 1_000_000, 500_000, 5_000_000]).map((regions) => ({ regions, masks: true })),
  ]
  for (const { regions, masks } of plan) {
    const file = join(ctx.dataDir, `scaled_${regions}${masks ? '_masks' : ''}_train.json`)
    const out = join(ctx.dataDir, 'memory-out')
    try {
      process.stderr.write(`bench: memory: writing ${regions} regions${masks ? ' (PNG subset, masks)' : ''}\n`)
      const made = await writeScaledSet(masks ? pngSubsetJsonPath : jsonPath, file, regions)
      const argv = [process.execPath, join(ROOT, 'bin/pixcap.js'), 'convert', file, '--to', 'gpt4roi', '--out', out, '--format', 'parquet,arrow', '--json', ...(masks ? ['--panoptic-dir', panopticDir] : [])]
      process.stderr.write(`bench: memory: pixcap convert on ${made.regions} regions${masks ? ' with mask verification' : ''}\n`)
      const t = await timeProcess({ label: 'pixcap convert', argv, before: () => rm(out, { recursive: true, force: true }) }, ROOT)
      const line = {
        table: 'memory', regions: made.regions, images: made.images, verifyMasks: masks, fileMb: Math.round((await stat(file)).size / 2 ** 20),
        wallMs: Math.round(t.wallMs), cpuMs: t.cpuMs === null ? null : Math.round(t.cpuMs), peakRssMb: t.peakRssMb === null ? null : Math.round(t.peakRssMb),
        command: `pixcap convert scaled_${regions}${masks ? '_masks' : ''}_train.json --to gpt4roi --out OUT --format parquet,arrow${masks ? ' --panoptic-dir PNGS' : ''}`,
      }
      process.stdout.write(`${JSON.stringify(line)}\n`)
    } finally {
      await rm(file, { force: true })
      await rm(out, { recursive: true, force: true })
    }
  }
}
