// A benchmark stage: measured by `npm run bench`, one JSON line per result (throughput, peak RSS).
export interface BenchContext {
  /** Temp dir holding the synthetic Pix2Cap-COCO-scale data set (bench/synth.ts). */
  dataDir: string
  /** Number of images that also get 640x480 panoptic PNGs. */
  pngImages: number
  /** Extra options from the command line (`--key=value`). */
  options: Record<string, string>
}

/** One measured result line. */
export interface BenchResult {
  stage: string
  /** Items processed and what they are (images, regions, rows, hypotheses). */
  items: number
  unit: string
  wallMs: number
  perSecond: number
  peakRssMb: number
  [extra: string]: unknown
}

export interface BenchStage {
  name: string
  run(ctx: BenchContext): Promise<BenchResult[]>
}
