// Synthetic Pix2Cap-COCO-scale data for `npm run bench`: the train split's size (20,550 images, 167,254 described
// segments; reference/pix2cap.md) with realistic shapes of ids, boxes, areas and ~23-word descriptions, plus real
// 640x480 panoptic PNGs for the first `pngImages` images, whose segments_info is derived from the drawn pixels so
// that every mask check passes. Deterministic for a seed.
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { segmentGeometry } from '../src/geometry/segment-geometry.js'
import { VOID_ID } from '../src/geometry/panoptic-map.js'
import { encodePanopticPng } from '../src/io/png/panoptic-png.js'
import { writeFileAtomic, writeStreamAtomic } from '../src/util/atomic-write.js'
import { createRng, deriveSeed, type Rng } from '../src/util/rng.js'
import { cocoPanopticCategories, drawShape, type Category, type Shape } from '../scripts/shapes.js'

/** Pix2Cap-COCO train2017: images with descriptions and described segments. */
export const PIX2CAP_TRAIN_IMAGES = 20_550
export const PIX2CAP_TRAIN_REGIONS = 167_254

export interface SynthOptions {
  dir: string
  pngImages: number
  images?: number
  regions?: number
  seed?: number
}

export interface SynthSet {
  /** The full Pix2Cap-format train JSON. */
  jsonPath: string
  /** The same format, holding only the images that have PNGs (for mask stages). */
  pngSubsetJsonPath: string
  /** Root of the panoptic PNGs (`file_name` is relative to it). */
  panopticDir: string
  images: number
  regions: number
  pngImages: number
}

/** One segments_info entry as Pix2Cap-COCO stores it. */
interface RawSegment {
  id: number
  category_id: number
  iscrowd: number
  bbox: [number, number, number, number]
  area: number
  description: string
}

const PNG_W = 640
const PNG_H = 480
const MAX_REGIONS = 18 // 2 stuff + a 4x4 grid of things on the PNG images
const SIZES: [number, number][] = [[640, 480], [640, 427], [480, 640], [640, 360], [500, 375], [427, 640], [640, 512]]

/** Where makeSynthSet puts things inside `dir` (stages find the data through this). */
export function synthPaths(dir: string): Pick<SynthSet, 'jsonPath' | 'pngSubsetJsonPath' | 'panopticDir'> {
  return {
    jsonPath: join(dir, 'pix2cap_synth_train.json'),
    pngSubsetJsonPath: join(dir, 'pix2cap_synth_png_subset.json'),
    panopticDir: join(dir, 'panoptic_train2017'),
  }
}

/** Writes the synthetic set into `dir` and says where everything is. */
export async function makeSynthSet(o: SynthOptions): Promise<SynthSet> {
  const images = o.images ?? PIX2CAP_TRAIN_IMAGES
  const regions = o.regions ?? PIX2CAP_TRAIN_REGIONS
  const seed = o.seed ?? 2025
  const pngImages = Math.min(o.pngImages, images)
  const cats = cocoPanopticCategories()
  const things = cats.filter((c) => c.isthing === 1)
  const stuff = cats.filter((c) => c.isthing === 0)
  const sky = cats.find((c) => c.name === 'sky-other-merged') as Category
  const grass = cats.find((c) => c.name === 'grass-merged') as Category

  const counts = regionCounts(images, regions, createRng(seed))
  const { jsonPath, pngSubsetJsonPath, panopticDir } = synthPaths(o.dir)
  await mkdir(panopticDir, { recursive: true })

  // PNG images first: their segments_info comes from the pixels.
  const pngSegments: RawSegment[][] = new Array<RawSegment[]>(pngImages)
  let next = 0
  const worker = async (): Promise<void> => {
    for (let i = next++; i < pngImages; i = next++) {
      const rng = createRng(deriveSeed(seed, `png:${i}`))
      const { png, segments } = await drawPanoptic(rng, counts[i] as number, things, sky, grass)
      await writeFileAtomic(join(panopticDir, pngName(i)), png)
      pngSegments[i] = segments
    }
  }
  await Promise.all([worker(), worker(), worker(), worker()])

  const fileOf = (subset: number): AsyncGenerator<string> =>
    (async function* () {
      yield `{"info":{"description":"pixcap synthetic Pix2Cap-COCO-scale set (bench/synth.ts)","version":"1.0","year":2025},`
      yield `"licenses":[{"id":1,"name":"CC0 1.0","url":"https://creativecommons.org/publicdomain/zero/1.0/"}],"images":[`
      for (let i = 0; i < subset; i++) yield (i > 0 ? ',' : '') + image(i).json
      yield '],"annotations":['
      for (let i = 0; i < subset; i++) {
        const segs = pngSegments[i] ?? randomSegments(createRng(deriveSeed(seed, `seg:${i}`)), counts[i] as number, image(i), things, stuff)
        yield (i > 0 ? ',' : '') + JSON.stringify({ segments_info: segs, file_name: pngName(i), image_id: imageId(i) })
      }
      yield `],"categories":${JSON.stringify(cats.map(({ id, name, supercategory, isthing, color }) => ({ supercategory, color, isthing, id, name })))}}`
    })()
  const image = (i: number): { w: number; h: number; json: string } => {
    const [w, h] = i < pngImages ? [PNG_W, PNG_H] : (SIZES[deriveSeed(seed, `size:${i}`) % SIZES.length] as [number, number])
    return { w, h, json: JSON.stringify({ license: 1, file_name: jpgName(i), height: h, width: w, id: imageId(i) }) }
  }

  await writeStreamAtomic(jsonPath, fileOf(images))
  await writeStreamAtomic(pngSubsetJsonPath, fileOf(pngImages))
  return { jsonPath, pngSubsetJsonPath, panopticDir, images, regions, pngImages }
}

function imageId(i: number): number {
  return 9 + i * 29 // sparse, COCO-like integer ids
}
function jpgName(i: number): string {
  return `${String(imageId(i)).padStart(12, '0')}.jpg`
}
function pngName(i: number): string {
  return `${String(imageId(i)).padStart(12, '0')}.png`
}

/** Regions per image in [1, MAX_REGIONS], summing exactly to `total`. */
function regionCounts(images: number, total: number, rng: Rng): number[] {
  if (total < images || total > images * MAX_REGIONS) throw new RangeError(`cannot spread ${total} regions over ${images} images`)
  const counts = Array.from({ length: images }, () => 1 + rng.int(15))
  let sum = counts.reduce((a, b) => a + b, 0)
  while (sum !== total) {
    const i = rng.int(images)
    const c = counts[i] as number
    if (sum < total && c < MAX_REGIONS) {
      counts[i] = c + 1
      sum++
    } else if (sum > total && c > 1) {
      counts[i] = c - 1
      sum--
    }
  }
  return counts
}

/** Draws sky + grass (stuff) and up to 16 things in a 4x4 grid; returns the PNG and the pixel-derived segments. */
async function drawPanoptic(
  rng: Rng,
  n: number,
  things: Category[],
  sky: Category,
  grass: Category,
): Promise<{ png: Buffer; segments: RawSegment[] }> {
  const ids = new Uint32Array(PNG_W * PNG_H)
  const used = new Set<number>([VOID_ID])
  const newId = (): number => {
    for (;;) {
      const id = 1 + rng.int(0xfffffe)
      if (!used.has(id)) {
        used.add(id)
        return id
      }
    }
  }
  const planned: { id: number; cat: Category; iscrowd: number }[] = []
  const horizon = 160 + rng.int(160)
  const skyId = newId()
  drawShape(ids, PNG_W, PNG_H, { kind: 'rect', x0: 0, y0: 0, x1: PNG_W, y1: n === 1 ? PNG_H : horizon }, skyId)
  planned.push({ id: skyId, cat: sky, iscrowd: 0 })
  if (n >= 2) {
    const grassId = newId()
    // A 2-px VOID seam between sky and grass, like the unlabelled borders of real panoptic PNGs.
    drawShape(ids, PNG_W, PNG_H, { kind: 'rect', x0: 0, y0: horizon + 2, x1: PNG_W, y1: PNG_H }, grassId)
    planned.push({ id: grassId, cat: grass, iscrowd: 0 })
  }
  const cells = rng.shuffle(Array.from({ length: 16 }, (_, k) => k)).slice(0, Math.max(0, n - 2))
  for (const cell of cells) {
    const cw = PNG_W / 4
    const ch = PNG_H / 4
    const x0 = (cell % 4) * cw
    const y0 = Math.floor(cell / 4) * ch
    const w = 12 + rng.int(cw - 20)
    const h = 12 + rng.int(ch - 20)
    const x = x0 + 4 + rng.int(cw - 8 - w + 1)
    const y = y0 + 4 + rng.int(ch - 8 - h + 1)
    const kind = rng.int(3)
    const shape: Shape =
      kind === 0
        ? { kind: 'rect', x0: x, y0: y, x1: x + w, y1: y + h }
        : kind === 1
          ? { kind: 'ellipse', cx: x + w / 2, cy: y + h / 2, rx: w / 2, ry: h / 2 }
          : { kind: 'triangle', pts: [[x + w / 2, y], [x, y + h], [x + w, y + h]] }
    const id = newId()
    drawShape(ids, PNG_W, PNG_H, shape, id)
    planned.push({ id, cat: rng.pick(things), iscrowd: rng.int(100) === 0 ? 1 : 0 })
  }
  const geometry = segmentGeometry({ width: PNG_W, height: PNG_H, ids })
  const segments = planned.map(({ id, cat, iscrowd }): RawSegment => {
    const g = geometry.get(id)
    if (g === undefined) throw new Error(`synth: segment ${id} got no pixels`)
    return { id, category_id: cat.id, iscrowd, bbox: g.bbox, area: g.area, description: describe(rng, cat.name) }
  })
  return { png: await encodePanopticPng({ width: PNG_W, height: PNG_H, ids }), segments }
}

/** Plausible segments without pixels, for images that get no PNG. */
function randomSegments(rng: Rng, n: number, img: { w: number; h: number }, things: Category[], stuff: Category[]): RawSegment[] {
  const used = new Set<number>()
  const out: RawSegment[] = []
  for (let k = 0; k < n; k++) {
    let id = 1 + rng.int(0xfffffe)
    while (used.has(id)) id = 1 + rng.int(0xfffffe)
    used.add(id)
    const isStuff = rng.int(10) < 3
    const w = 1 + rng.int(isStuff ? img.w : Math.ceil(img.w / 2))
    const h = 1 + rng.int(isStuff ? img.h : Math.ceil(img.h / 2))
    const x = rng.int(img.w - w + 1)
    const y = rng.int(img.h - h + 1)
    const cat = rng.pick(isStuff ? stuff : things)
    const area = Math.max(1, Math.floor(w * h * (0.35 + 0.55 * rng.next())))
    out.push({ id, category_id: cat.id, iscrowd: !isStuff && rng.int(100) === 0 ? 1 : 0, bbox: [x, y, w, h], area, description: describe(rng, cat.name) })
  }
  return out
}

const COLOURS = ['red', 'dark blue', 'white', 'black', 'grey', 'bright yellow', 'green', 'brown', 'orange', 'pale pink', 'silver', 'navy']
const SUBJECT_LEADS = ['A', 'A large', 'A small', 'An old', 'A shiny', 'A partly hidden', 'A weathered', 'A bright']
const ACTIONS = [
  'stands still near the centre of the frame',
  'rests on the ground beside a low wooden fence',
  'leans slightly to the left while facing the camera',
  'is caught in mid motion as it crosses the scene',
  'sits in soft shade cast by the trees behind it',
  'appears slightly blurred against the busy background',
]
const POSITIONS = [
  'in the lower left part of the picture',
  'towards the right edge of the image',
  'just below the horizon line',
  'in the foreground, close to the viewer',
  'behind a group of people watching from a distance',
  'near the top of the frame under an open sky',
]
const DETAILS = [
  'with a few scratches visible along its side',
  'while sunlight falls across its upper half',
  'and its outline is partly covered by nearby objects',
  'with a clear shadow stretching across the grass',
  'and a thin border of darker colour around it',
]

/** A caption of 14..36 words (mean about 23, like Pix2Cap's 22.94) that reads like a description: subject, action, position, detail. */
function describe(rng: Rng, category: string): string {
  const name = category.replace(/-(merged|other|stuff)/g, '').replace(/-/g, ' ')
  const detail = rng.int(3) === 0 ? `, ${rng.pick(DETAILS)}` : ''
  return `${rng.pick(SUBJECT_LEADS)} ${rng.pick(COLOURS)} ${name} ${rng.pick(ACTIONS)} ${rng.pick(POSITIONS)}${detail}.`
}
