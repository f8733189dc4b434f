// Synthetic COCO-panoptic GT + prediction pairs for the PQ bench and golden cases: stuff bands, thing rectangles and
// ellipses (some crowd), VOID gaps, and a prediction derived from the GT with jittered shapes, relabels, dropped
// segments, merges and spurious segments, so every PQ rule (match, FN, FP, crowd/VOID ignore) is exercised.
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { encodePanopticPng } from '../src/io/png/panoptic-png.js'
import { createRng, type Rng } from '../src/util/rng.js'

/** Categories of the synthetic sets: ids 1..80 are things, 81..133 stuff. */
export const SYNTH_CATEGORIES = Array.from({ length: 133 }, (_, i) => ({ id: i + 1, name: `cat${i + 1}`, isthing: i < 80 ? 1 : 0 }))

interface Shape { kind: 'rect' | 'ellipse'; x: number; y: number; w: number; h: number }
interface SegSpec { category: number; crowd: boolean; shape: Shape | null; band?: [number, number] }

/** One image's segments as JSON plus its id map. */
export interface SynthImage {
  ids: Uint32Array
  segments: { id: number; category_id: number; iscrowd: number; area: number }[]
}

function paint(ids: Uint32Array, width: number, height: number, s: Shape, id: number): void {
  const x0 = Math.max(0, Math.floor(s.x))
  const y0 = Math.max(0, Math.floor(s.y))
  const x1 = Math.min(width, Math.floor(s.x + s.w))
  const y1 = Math.min(height, Math.floor(s.y + s.h))
  const cx = s.x + s.w / 2
  const cy = s.y + s.h / 2
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      if (s.kind === 'ellipse') {
        const dx = (x + 0.5 - cx) / (s.w / 2)
        const dy = (y + 0.5 - cy) / (s.h / 2)
        if (dx * dx + dy * dy > 1) continue
      }
      ids[y * width + x] = id
    }
  }
}

function render(specs: SegSpec[], width: number, height: number, rng: Rng, voidRects: Shape[]): SynthImage {
  const ids = new Uint32Array(width * height)
  const used = new Set<number>([0])
  const idOf = specs.map(() => {
    let id = 0
    while (used.has(id)) id = 1 + rng.int(0xfffffe)
    used.add(id)
    return id
  })
  specs.forEach((s, i) => {
    if (s.band) ids.fill(idOf[i] as number, s.band[0] * width, s.band[1] * width)
  })
  specs.forEach((s, i) => {
    if (s.shape) paint(ids, width, height, s.shape, idOf[i] as number)
  })
  for (const v of voidRects) paint(ids, width, height, v, 0)
  const area = new Map<number, number>()
  for (let i = 0; i < ids.length; i++) area.set(ids[i] as number, (area.get(ids[i] as number) ?? 0) + 1)
  const segments = specs.flatMap((s, i) => {
    const a = area.get(idOf[i] as number) ?? 0
    return a > 0 ? [{ id: idOf[i] as number, category_id: s.category, iscrowd: s.crowd ? 1 : 0, area: a }] : []
  })
  return { ids, segments }
}

function jitter(rng: Rng, s: Shape, amount: number): Shape {
  const d = () => (rng.next() * 2 - 1) * amount
  return { ...s, x: s.x + d() * s.w, y: s.y + d() * s.h, w: s.w * (1 + d()), h: s.h * (1 + d()) }
}

/** Generates one GT/prediction pair of `width` x `height`. */
export function synthPanopticPair(rng: Rng, width: number, height: number): { gt: SynthImage; pred: SynthImage } {
  const gt: SegSpec[] = []
  const bands = 2 + rng.int(3)
  let y = 0
  for (let b = 0; b < bands; b++) {
    const end = b === bands - 1 ? height : Math.min(height, y + Math.floor(((0.5 + rng.next()) * height) / bands))
    gt.push({ category: 81 + rng.int(53), crowd: false, shape: null, band: [y, end] })
    y = end
  }
  const things = 4 + rng.int(16)
  for (let t = 0; t < things; t++) {
    const w = 8 + rng.int(Math.max(1, Math.floor(width / 3)))
    const h = 8 + rng.int(Math.max(1, Math.floor(height / 3)))
    gt.push({
      category: 1 + rng.int(80),
      crowd: rng.next() < 0.08,
      shape: { kind: rng.next() < 0.5 ? 'rect' : 'ellipse', x: rng.int(width), y: rng.int(height), w, h },
    })
  }
  const voids: Shape[] = Array.from({ length: rng.int(4) }, () => ({ kind: 'rect' as const, x: rng.int(width), y: rng.int(height), w: 2 + rng.int(40), h: 2 + rng.int(40) }))
  const pred: SegSpec[] = []
  for (const s of gt) {
    const r = rng.next()
    if (r < 0.05) continue // dropped: its pixels go to whatever lies below (or VOID)
    const category = r < 0.1 ? 1 + rng.int(s.band ? 133 : 80) : s.category
    if (s.band) {
      const shift = Math.round((rng.next() * 2 - 1) * 6)
      pred.push({ category, crowd: false, shape: null, band: [Math.max(0, s.band[0] + shift), Math.min(height, s.band[1] + shift)] })
    } else if (s.shape) {
      pred.push({ category, crowd: false, shape: jitter(rng, s.shape, r < 0.15 ? 0.5 : 0.08) })
    }
  }
  for (let k = rng.int(3); k > 0; k--) {
    pred.push({ category: 1 + rng.int(133), crowd: false, shape: { kind: 'rect', x: rng.int(width), y: rng.int(height), w: 4 + rng.int(60), h: 4 + rng.int(60) } })
  }
  const predVoids = voids.filter(() => rng.next() < 0.5)
  return { gt: render(gt, width, height, rng, voids), pred: render(pred, width, height, rng, predVoids) }
}

/** Paths of a written synthetic set. */
export interface SynthPanopticSet {
  gtJson: string
  gtDir: string
  predJson: string
  predDir: string
  images: number
}

/** Writes `images` synthetic pairs under `dir` (gt.json, gt/, pred.json, pred/); PNGs are encoded a few at a time. */
export async function writeSynthPanoptic(
  dir: string,
  o: { images: number; width: number; height: number; seed: number; adaptiveFiltering?: boolean },
): Promise<SynthPanopticSet> {
  const rng = createRng(o.seed)
  const gtDir = join(dir, 'gt')
  const predDir = join(dir, 'pred')
  await mkdir(gtDir, { recursive: true })
  await mkdir(predDir, { recursive: true })
  const gtAnns: unknown[] = []
  const predAnns: unknown[] = []
  const images: unknown[] = []
  const pending = new Set<Promise<void>>()
  for (let i = 0; i < o.images; i++) {
    const imageId = 100000 + i
    const fileName = `${String(imageId).padStart(12, '0')}.png`
    const { gt, pred } = synthPanopticPair(rng, o.width, o.height)
    images.push({ id: imageId, file_name: fileName.replace('.png', '.jpg'), width: o.width, height: o.height })
    gtAnns.push({ image_id: imageId, file_name: fileName, segments_info: gt.segments })
    predAnns.push({ image_id: imageId, file_name: fileName, segments_info: pred.segments.map(({ id, category_id }) => ({ id, category_id })) })
    const job = (async () => {
      const [a, b] = await Promise.all([
        encodePanopticPng({ width: o.width, height: o.height, ids: gt.ids }, { adaptiveFiltering: o.adaptiveFiltering ?? false }),
        encodePanopticPng({ width: o.width, height: o.height, ids: pred.ids }, { adaptiveFiltering: o.adaptiveFiltering ?? false }),
      ])
      await Promise.all([writeFile(join(gtDir, fileName), a), writeFile(join(predDir, fileName), b)])
    })().finally(() => pending.delete(job))
    pending.add(job)
    if (pending.size >= 8) await Promise.race(pending)
  }
  await Promise.all(pending)
  // Predictions listed in reverse order: pairing must go by image_id, not position.
  predAnns.reverse()
  const gtJson = join(dir, 'gt.json')
  const predJson = join(dir, 'pred.json')
  await writeFile(gtJson, JSON.stringify({ images, annotations: gtAnns, categories: SYNTH_CATEGORIES }))
  await writeFile(predJson, JSON.stringify({ annotations: predAnns }))
  return { gtJson, gtDir, predJson, predDir, images: o.images }
}
