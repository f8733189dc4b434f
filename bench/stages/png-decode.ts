// png-decode: decode the synthetic panoptic PNGs to raw RGB and nothing else, with the same decoder (the project's own,
// sharp as fallback), the same bounded concurrency and the same worker arrangement as verifyMasks: the floor that
// mask-geometry is compared with (its ratioToDecode).
import { join } from 'node:path'
import { builtLibrary } from '../built.js'
import { synthPaths } from '../synth.js'
import type { BenchContext, BenchResult, BenchStage } from '../stage.js'
import { readPngSubset } from './png-records.js'

/**
 * Decodes every file with at most `concurrency` decodes in flight, on `workers` worker threads (0 = this thread);
 * returns the decoded byte count.
 */
export async function decodeOnly(files: readonly string[], concurrency: number, workers: number): Promise<number> {
  const { createWorkerPool } = await builtLibrary()
  const entry = new URL('./decode-worker.mjs', import.meta.url)
  const pool = workers > 0 ? createWorkerPool<string, number>(entry, Math.min(workers, concurrency)) : undefined
  // @ts-expect-error plain JS module of the bench (decode-one.mjs), typed by its use here
  const { decodeOnePng } = (await import('./decode-one.mjs')) as { decodeOnePng: (file: string) => Promise<number> }
  const decode = async (file: string): Promise<number> => (pool !== undefined ? pool.run(file) : decodeOnePng(file))
  let next = 0
  let bytes = 0
  const lane = async (): Promise<void> => {
    for (let i = next++; i < files.length; i = next++) {
      const n = await decode(files[i] as string)
      bytes += n
    }
  }
  try {
    await Promise.all(Array.from({ length: concurrency }, lane))
  } finally {
    await pool?.close()
  }
  return bytes
}

/** The PNG paths of the synthetic subset and the concurrency a stage should use. */
export async function maskInputs(
  ctx: BenchContext,
): Promise<{ files: string[]; concurrency: number; workers: number; panopticDir: string; subset: string }> {
  const { pngSubsetJsonPath, panopticDir } = synthPaths(ctx.dataDir)
  const records = await readPngSubset(pngSubsetJsonPath)
  const { DEFAULT_MASK_CONCURRENCY, defaultMaskWorkers } = await builtLibrary()
  const workers = Number(ctx.options.workers ?? defaultMaskWorkers())
  const concurrency = Number(ctx.options.concurrency ?? Math.max(DEFAULT_MASK_CONCURRENCY, 2 * workers))
  return { files: records.map((r) => join(panopticDir, r.maskPath as string)), concurrency, workers, panopticDir, subset: pngSubsetJsonPath }
}

export const pngDecode: BenchStage = {
  name: 'png-decode',
  async run(ctx: BenchContext): Promise<BenchResult[]> {
    const { files, concurrency, workers } = await maskInputs(ctx)
    const c0 = process.cpuUsage()
    const t0 = performance.now()
    const bytes = await decodeOnly(files, concurrency, workers)
    const wallMs = performance.now() - t0
    const cpu = process.cpuUsage(c0)
    return [
      {
        stage: 'png-decode',
        items: files.length,
        unit: 'images',
        wallMs: Math.round(wallMs),
        perSecond: Math.round((files.length / wallMs) * 1000),
        peakRssMb: 0, // filled in by bench/run.ts from the child's maxRSS
        concurrency,
        workers,
        decodedMb: Math.round(bytes / 2 ** 20),
        // CPU time of all threads (libuv decode threads included): steadier than wall time on a shared machine.
        cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      },
    ]
  },
}
