// Bench stage `pq`: Panoptic Quality on a COCO-val-size synthetic set (5,000 pairs of 640x480 PNGs by default;
// `--pq-images=N` scales it; rows filtered like COCO's PNGs unless `--pq-png-filters=none`), side by side with cocodataset/panopticapi's pq_compute on the same files in the same
// run, when a checkout is given (`--panopticapi=DIR` or PIXCAP_PANOPTICAPI). The set is generated once and cached in
// the temp dir. Besides wall time (noisy on a shared machine) both sides report CPU ms per image.
// Measured 2026-12-03, 5,000 pairs, 2 cores, six runs per set (docs/panoptic-eval.md has the figures): COCO-like
// filtered rows, pixcap 2.57 to 3.44 s (1.02 to 1.35 CPU ms per pair) against panopticapi 21.7 to 28.2 s, 8.0x to
// 8.7x; unfiltered rows, 1.93 to 2.77 s against 11.9 to 16.0 s, 5.6x to 6.4x.
import { existsSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { availableParallelism, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { execa } from 'execa'
import type { evalPanoptic as EvalPanoptic } from '../../src/eval/panoptic-eval.js'
import { writeSynthPanoptic } from '../panoptic-synth.js'
import type { BenchResult, BenchStage } from '../stage.js'

const HERE = fileURLToPath(new URL('.', import.meta.url))
const REPO = resolve(HERE, '../..')
const WIDTH = 640
const HEIGHT = 480
/** COCO val2017 panoptic size: the figure results are scaled to. */
const COCO_VAL_IMAGES = 5000

/**
 * The built evaluation (dist/, which `npm run bench` builds first) when present, i.e. what `pixcap eval panoptic`
 * runs: from the TypeScript sources every worker would first boot tsx and transpile its modules (~0.7 s here).
 */
async function loadEvalPanoptic(): Promise<{ evalPanoptic: typeof EvalPanoptic; from: string }> {
  const built = join(REPO, 'dist/eval/panoptic-eval.js')
  if (existsSync(built)) return { ...((await import(pathToFileURL(built).href)) as { evalPanoptic: typeof EvalPanoptic }), from: 'dist' }
  return { ...(await import('../../src/eval/panoptic-eval.js')), from: 'src (tsx)' }
}

const mb = () => Math.round(process.resourceUsage().maxRSS / 1024)

// `adaptive` filters rows as PIL did for COCO's own panoptic PNGs (mostly Up, then Paeth and Sub), which is the
// decoding work real data brings; `none` stores rows unfiltered (cheaper to decode, the set of earlier figures).
async function ensureSet(images: number, filters: 'adaptive' | 'none') {
  const dir = join(tmpdir(), `pixcap-bench-pq-v1-${images}-${WIDTH}x${HEIGHT}-seed1${filters === 'adaptive' ? '-adaptive' : ''}`)
  const paths = { gtJson: join(dir, 'gt.json'), gtDir: join(dir, 'gt'), predJson: join(dir, 'pred.json'), predDir: join(dir, 'pred') }
  if (existsSync(join(dir, '.complete'))) return paths
  await writeSynthPanoptic(dir, { images, width: WIDTH, height: HEIGHT, seed: 1, adaptiveFiltering: filters === 'adaptive' })
  await writeFile(join(dir, '.complete'), '')
  return paths
}

export const pqStage: BenchStage = {
  name: 'pq',
  async run(ctx) {
    const images = Number(ctx.options['pq-images'] ?? COCO_VAL_IMAGES)
    const workers = Number(ctx.options['pq-workers'] ?? availableParallelism())
    const filters = ctx.options['pq-png-filters'] ?? 'adaptive'
    if (filters !== 'adaptive' && filters !== 'none') throw new Error(`--pq-png-filters must be adaptive or none, got ${filters}`)
    const set = await ensureSet(images, filters)
    const scale = COCO_VAL_IMAGES / images

    const { evalPanoptic, from } = await loadEvalPanoptic()
    const cpu0 = process.cpuUsage()
    const t0 = performance.now()
    const r = await evalPanoptic({ ...set, workers })
    const wallMs = performance.now() - t0
    const cpu = process.cpuUsage(cpu0)
    const cpuMsPerImage = Math.round(((cpu.user + cpu.system) / 1000 / images) * 100) / 100
    const ours: BenchResult = {
      stage: 'pq', items: images, unit: 'image pairs (640x480)', pngFilters: filters, wallMs: Math.round(wallMs),
      perSecond: Math.round((images / wallMs) * 1000 * 10) / 10, peakRssMb: mb(), workers, code: from,
      cpuMsPerImage, coresUsed: Math.round(((cpu.user + cpu.system) / 1000 / wallMs) * 100) / 100, wallMsScaledToCocoVal: Math.round(wallMs * scale), pqAll: r.pq.All?.pq ?? null,
    }

    const papi = ctx.options.panopticapi ?? process.env.PIXCAP_PANOPTICAPI
    if (!papi) {
      return [ours, { stage: 'pq-panopticapi', items: 0, unit: 'image pairs', wallMs: 0, perSecond: 0, peakRssMb: 0, skipped: 'no panopticapi checkout: pass --panopticapi=DIR or set PIXCAP_PANOPTICAPI' }]
    }
    const python = process.env.PIXCAP_PYTHON ?? join(REPO, '.venv/bin/python')
    const sample = Math.min(images, Number(ctx.options['pq-cpu-sample'] ?? 200))
    const res = await execa(python, [join(HERE, 'pq_panopticapi.py'), '--panopticapi', papi, '--cpu-sample', String(sample), set.gtJson, set.gtDir, set.predJson, set.predDir])
    const lastLine = res.stdout.trim().split('\n').pop() ?? '{}'
    const p = JSON.parse(lastLine) as { wall_s: number; cores: number; cpu_ms_per_image?: number; main_peak_rss_mb?: number; All: { pq: number } }
    const theirWallMs = p.wall_s * 1000
    return [ours, {
      stage: 'pq-panopticapi', items: images, unit: 'image pairs (640x480)', pngFilters: filters, wallMs: Math.round(theirWallMs),
      perSecond: Math.round((images / theirWallMs) * 1000 * 10) / 10, peakRssMb: 0, processes: p.cores,
      // bench/run.ts stamps peakRssMb with this node child's maxRSS; the Python side's own peak is here.
      pythonMainPeakRssMb: p.main_peak_rss_mb ?? null,
      cpuMsPerImage: p.cpu_ms_per_image === undefined ? null : Math.round(p.cpu_ms_per_image * 100) / 100,
      wallMsScaledToCocoVal: Math.round(theirWallMs * scale),
      speedupWall: Math.round((theirWallMs / wallMs) * 100) / 100,
      speedupCpu: p.cpu_ms_per_image === undefined ? null : Math.round((p.cpu_ms_per_image / cpuMsPerImage) * 100) / 100,
      pqAllAbsDiff: Math.abs(p.All.pq - (r.pq.All?.pq ?? Number.NaN)),
    }]
  },
}
