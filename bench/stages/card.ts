// card: the dataset card of a Pix2Cap-COCO-scale corpus (bench/synth.ts JSON -> gpt4roi Parquet, converted first,
// untimed), through writeDatasetCard, the function `pixcap card` calls: the manifest check (sha256 of every file),
// reading every Parquet row back for the statistics, two histogram PNGs and the example picture (no photos in the
// synthetic set: the blank-canvas path). Wall time, rows/s and peak RSS of the stage's process.
// Measured (2 shared cores, load from other jobs; 20,672 rows, 161,890 regions): all columns converted to plain
// values 14.6 s (1,415 rows/s); decoding only the columns the statistics read (card-stats.ts statsColumns) 7.1 s
// (2,891 rows/s); peak RSS 569-577 MB, most of it the untimed conversion in the same process.
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { convertDataset } from '../../src/convert/convert-dataset.js'
import { writeDatasetCard } from '../../src/hub/write-card.js'
import { synthPaths } from '../synth.js'
import type { BenchContext, BenchResult, BenchStage } from '../stage.js'

export const cardStage: BenchStage = {
  name: 'card',
  async run(ctx: BenchContext): Promise<BenchResult[]> {
    const { jsonPath } = synthPaths(ctx.dataDir)
    const dir = join(ctx.dataDir, 'card-corpus')
    await rm(dir, { recursive: true, force: true })
    await convertDataset({ annotations: jsonPath, to: 'gpt4roi', outDir: dir, formats: ['parquet'], seed: 0 })
    const t0 = performance.now()
    const r = await writeDatasetCard({ dir })
    const wallMs = performance.now() - t0
    await rm(dir, { recursive: true, force: true })
    return [{ stage: 'card', items: r.rows, unit: 'rows', wallMs, perSecond: (r.rows / wallMs) * 1000, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), regions: r.regions }]
  },
}
