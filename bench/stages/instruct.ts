// Instruction building throughput: ImageRecords -> rows of each conversation format, and the densecoco document.
// Records are synthesized here (Pix2Cap-like: ~8 regions of ~23-word captions per image; --instruct-images=N), so
// the stage measures the builders and the document streaming, not JSON parsing or PNG decoding.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FORMATS } from '../../src/formats/registry.js'
import type { FormatContext } from '../../src/formats/target-format.js'
import { loadTemplates } from '../../src/instruct/load-templates.js'
import type { ImageRecord } from '../../src/records/region-record.js'
import { createRng } from '../../src/util/rng.js'
import type { BenchResult, BenchStage } from '../stage.js'

const WORDS = 'a man in a red shirt holding the reins of a brown horse beside the gravel track under tall green pine trees'.split(' ')

function synthImage(i: number): ImageRecord {
  const rng = createRng(i)
  const n = 2 + rng.int(14) // 2..15, mean ~8 like Pix2Cap-COCO (pix2cap.md §1)
  return {
    source: 'synthetic',
    split: 'train',
    imageId: i,
    imagePath: `${String(i).padStart(12, '0')}.jpg`,
    width: 640,
    height: 480,
    regions: Array.from({ length: n }, (_, k) => {
      const w = 10 + rng.int(300)
      const h = 10 + rng.int(200)
      return {
        regionId: `${i}:${k}`,
        segmentId: k + 1,
        categoryId: 1 + rng.int(80),
        category: 'thing',
        isThing: true,
        isCrowd: false,
        bbox: [rng.int(640 - w), rng.int(480 - h), w, h] as [number, number, number, number],
        area: w * h,
        captions: [Array.from({ length: 23 }, () => rng.pick(WORDS)).join(' ')],
      }
    }),
  }
}

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024)
}

/** `npm run bench` stage: regions per second through every target format. */
export const instructStage: BenchStage = {
  name: 'instruct',
  async run(ctx) {
    const count = Number(ctx.options['instruct-images'] ?? 20_000)
    const images = Array.from({ length: count }, (_, i) => synthImage(i))
    const regions = images.reduce((n, im) => n + im.regions.length, 0)
    const fctx: FormatContext = { seed: 0, templates: (await loadTemplates()).templates, maxRegions: 15, split: 'train', options: {} }
    const results: BenchResult[] = []
    for (const format of Object.values(FORMATS)) {
      const t0 = performance.now()
      let rows = 0
      if (format.kind === 'rows') {
        for (const im of images) rows += format.fromImage(im, fctx).rows.length
      } else {
        const dir = await mkdtemp(join(tmpdir(), 'pixcap-bench-'))
        try {
          rows = (await format.write((async function* () { yield* images })(), fctx, join(dir, format.fileName('train')))).images
        } finally {
          await rm(dir, { recursive: true, force: true })
        }
      }
      const wallMs = performance.now() - t0
      results.push({ stage: `instruct:${format.name}`, items: regions, unit: 'regions', wallMs, perSecond: (regions / wallMs) * 1000, peakRssMb: peakRssMb(), images: count, rows })
    }
    return results
  },
}
