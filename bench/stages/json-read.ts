// json-read: "JSON read + validate" on the synthetic Pix2Cap-scale train JSON (bench/synth.ts): stream the file,
// zod-validate every image, category and segment, join by image_id, and run the default filter policy, counting
// regions. Peak RSS (filled in by bench/run.ts per child) shows whether memory stays flat: only images and
// categories are held, annotations stream.
import { stat } from 'node:fs/promises'
import { filterImages } from '../../src/dataset/filter-images.js'
import { DEFAULT_FILTER_POLICY } from '../../src/dataset/filter-policy.js'
import { readPix2Cap } from '../../src/sources/pix2cap/read-pix2cap.js'
import { synthPaths } from '../synth.js'
import type { BenchContext, BenchResult, BenchStage } from '../stage.js'

export const jsonRead: BenchStage = {
  name: 'json-read',
  async run(ctx: BenchContext): Promise<BenchResult[]> {
    const { jsonPath } = synthPaths(ctx.dataDir)
    const bytes = (await stat(jsonPath)).size
    const t0 = performance.now()
    const reader = readPix2Cap({ annotations: jsonPath })
    let images = 0
    let regions = 0
    for await (const record of reader.records()) {
      images++
      regions += record.regions.length
    }
    const readMs = performance.now() - t0
    if (reader.report.errors > 0) throw new Error(`json-read: the synthetic set has ${reader.report.errors} errors: ${reader.report.issues[0]?.message}`)

    const t1 = performance.now()
    const filtered = filterImages(readPix2Cap({ annotations: jsonPath }).entries(), DEFAULT_FILTER_POLICY)
    for await (const _ of filtered) void _
    const filterMs = performance.now() - t1
    const mb = bytes / 2 ** 20
    return [
      {
        stage: 'json-read',
        items: regions,
        unit: 'regions',
        wallMs: Math.round(readMs),
        perSecond: Math.round((regions / readMs) * 1000),
        peakRssMb: 0, // filled in by bench/run.ts from the child's maxRSS
        imagesPerSecond: Math.round((images / readMs) * 1000),
        images,
        fileMb: Math.round(mb),
        mbPerSecond: Math.round((mb / readMs) * 1000),
        passes: reader.report.passes,
      },
      {
        stage: 'json-read+filter',
        items: filtered.counts.regionsIn,
        unit: 'regions',
        wallMs: Math.round(filterMs),
        perSecond: Math.round((filtered.counts.regionsIn / filterMs) * 1000),
        peakRssMb: 0,
        kept: filtered.counts.regionsKept,
        rejected: filtered.counts.rejected,
      },
    ]
  },
}
