// png-decode: decode the synthetic panoptic PNGs to raw RGB and nothing else, with the same bounded concurrency as
// verifyMasks: the floor that mask-geometry is compared with (its ratioToDecode).
import { join } from 'node:path'
import sharp from 'sharp'
import { DEFAULT_MASK_CONCURRENCY } from '../../src/io/verify-masks.js'
import { synthPaths } from '../synth.js'
import type { BenchContext, BenchResult, BenchStage } from '../stage.js'
import { readPngSubset } from './png-records.js'

/** Decodes every file with at most `concurrency` decodes in flight; returns the decoded byte count. */
export async function decodeOnly(files: readonly string[], concurrency: number): Promise<number> {
  let next = 0
  let bytes = 0
  const lane = async (): Promise<void> => {
    for (let i = next++; i < files.length; i = next++) {
      const { data } = await sharp(files[i] as string).raw().toBuffer({ resolveWithObject: true })
      bytes += data.length
    }
  }
  await Promise.all(Array.from({ length: concurrency }, lane))
  return bytes
}

/** The PNG paths of the synthetic subset and the concurrency a stage should use. */
export async function maskInputs(ctx: BenchContext): Promise<{ files: string[]; concurrency: number; panopticDir: string; subset: string }> {
  const { pngSubsetJsonPath, panopticDir } = synthPaths(ctx.dataDir)
  const records = await readPngSubset(pngSubsetJsonPath)
  const concurrency = Number(ctx.options.concurrency ?? DEFAULT_MASK_CONCURRENCY)
  return { files: records.map((r) => join(panopticDir, r.maskPath as string)), concurrency, panopticDir, subset: pngSubsetJsonPath }
}

export const pngDecode: BenchStage = {
  name: 'png-decode',
  async run(ctx: BenchContext): Promise<BenchResult[]> {
    const { files, concurrency } = await maskInputs(ctx)
    const c0 = process.cpuUsage()
    const t0 = performance.now()
    const bytes = await decodeOnly(files, concurrency)
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
        decodedMb: Math.round(bytes / 2 ** 20),
        // CPU time of all threads (libuv decode threads included): steadier than wall time on a shared machine.
        cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      },
    ]
  },
}
