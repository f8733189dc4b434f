// visual-prompts: draws ViP-LLaVA prompts (each of the five shapes in turn) on a 640x480 JPEG and encodes the PNG,
// the per-region cost of `--to vip-llava`. Options: --vip-renders=N (default 300).
import sharp from 'sharp'
import { rleEncode } from '../../src/geometry/coco-rle.js'
import { VIP_COLORS, VIP_SHAPES, vipShapes, type VipShape } from '../../src/formats/vip-llava.js'
import { drawPrompts } from '../../src/io/png/draw-prompts.js'
import { createRng } from '../../src/util/rng.js'
import type { BenchContext, BenchResult, BenchStage } from '../stage.js'

export const visualPromptsStage: BenchStage = {
  name: 'visual-prompts',
  async run(ctx: BenchContext): Promise<BenchResult[]> {
    const n = Number(ctx.options['vip-renders'] ?? 300)
    const W = 640
    const H = 480
    const noise = Buffer.alloc(W * H * 3)
    const rng = createRng(7)
    for (let i = 0; i < noise.length; i++) noise[i] = rng.int(256)
    const jpeg = await sharp(noise, { raw: { width: W, height: H, channels: 3 } }).jpeg({ quality: 90 }).toBuffer()
    // An elliptical segment of about 200x150 px, the size of a typical COCO thing.
    const mask = new Uint8Array(W * H)
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if (((x - 300) / 100) ** 2 + ((y - 240) / 75) ** 2 <= 1) mask[y * W + x] = 1
    const region = { regionId: '1:1', segmentId: 1, categoryId: 1, category: 'x', isThing: true, isCrowd: false, bbox: [200, 165, 201, 151] as [number, number, number, number], area: 0, captions: ['x'], maskRle: rleEncode(mask, W, H) }
    const shapes = Object.keys(VIP_SHAPES) as VipShape[]
    const t0 = performance.now()
    let bytes = 0
    for (let i = 0; i < n; i++) {
      const shape = shapes[i % shapes.length]!
      bytes += (await drawPrompts({ shapes: vipShapes(shape, region, { width: W, height: H }, VIP_COLORS.red!, rng) }, jpeg)).length
    }
    const wallMs = performance.now() - t0
    return [{ stage: 'visual-prompts', items: n, unit: 'images', wallMs: Math.round(wallMs), perSecond: Math.round((n / wallMs) * 1000 * 10) / 10, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), meanPngKb: Math.round(bytes / n / 1024) }]
  },
}
