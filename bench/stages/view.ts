// view: `pixcap view` on the Pix2Cap-scale corpus (bench/synth.ts JSON -> gpt4roi Parquet with convertDataset; the
// conversion is not timed). A real server (serveView, 127.0.0.1, random port) is started fresh, then over HTTP:
// the first page (GET /api/info + the first 24 samples, what the browser asks on opening) and ten page turns
// (next 24 each), then a jump to the last page and a filtered count (a full scan of the `regions` column).
// Target (issue 16): first page < 1 s with the corpus's 167k regions; memory bounded by two row groups.
// Measured (2 shared cores, load ~5, three runs): first page 0.62-0.68 s, page turns median 2.5-3.7 ms (max 15 ms),
// last page 46-64 ms, filtered count 1.7-1.9 s (docs/view.md).
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { convertDataset } from '../../src/convert/convert-dataset.js'
import { serveView } from '../../src/view/serve-view.js'
import { synthPaths } from '../synth.js'
import type { BenchContext, BenchResult, BenchStage } from '../stage.js'

const PAGE = 24
const TURNS = 10

async function get(url: string): Promise<unknown> {
  const res = await fetch(url)
  if (!res.ok) throw new Error(`view bench: ${url} answered ${res.status}: ${await res.text()}`)
  return res.json()
}

export const viewStage: BenchStage = {
  name: 'view',
  async run(ctx: BenchContext): Promise<BenchResult[]> {
    const outDir = join(ctx.dataDir, 'view-corpus')
    await rm(outDir, { recursive: true, force: true })
    const converted = await convertDataset({ annotations: synthPaths(ctx.dataDir).jsonPath, to: 'gpt4roi', outDir, formats: ['parquet'], seed: 0 })
    const regions = converted.manifest.counts.regions.inSamples
    const server = await serveView({ target: outDir })
    try {
      const t0 = performance.now()
      await get(`${server.url}api/info`)
      const first = (await get(`${server.url}api/samples?offset=0&limit=${PAGE}`)) as { total: number; rows: unknown[] }
      const firstPageMs = performance.now() - t0
      const turns: number[] = []
      for (let i = 1; i <= TURNS; i++) {
        const s = performance.now()
        await get(`${server.url}api/samples?offset=${i * PAGE}&limit=${PAGE}`)
        turns.push(performance.now() - s)
      }
      const l0 = performance.now()
      await get(`${server.url}api/samples?offset=${Math.max(0, first.total - PAGE)}&limit=${PAGE}`)
      const lastPageMs = performance.now() - l0
      const f0 = performance.now()
      const filtered = (await get(`${server.url}api/samples?minRegions=15&limit=${PAGE}`)) as { total: number }
      const filterMs = performance.now() - f0
      const turnsMs = turns.reduce((a, b) => a + b, 0)
      const round = (x: number) => Math.round(x * 10) / 10
      return [{
        stage: 'view',
        items: TURNS + 1,
        unit: 'pages',
        wallMs: round(firstPageMs + turnsMs),
        perSecond: round(((TURNS + 1) * 1000) / (firstPageMs + turnsMs)),
        peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
        samples: first.total,
        regions,
        rowGroups: server.corpus?.rowGroups ?? 0,
        firstPageMs: round(firstPageMs),
        pageTurnMsMedian: round([...turns].sort((a, b) => a - b)[Math.floor(TURNS / 2)] as number),
        pageTurnMsMax: round(Math.max(...turns)),
        lastPageMs: round(lastPageMs),
        filterScanMs: round(filterMs),
        filterMatches: filtered.total,
      }]
    } finally {
      await server.close()
      await rm(outDir, { recursive: true, force: true })
    }
  },
}
