// `npm run sample`: regenerates the bundled sample in sample/ (or in the directory given as the first argument):
// twelve 192x144 JPEG scenes of coloured shapes on sky and grass, their COCO-panoptic PNGs, and
// pix2cap_sample_train.json in Pix2Cap-COCO format whose bbox/area come from the drawn pixels. Deterministic: the
// same code writes the same JSON bytes and the same PNG pixels (test/sample/make-sample.test.ts checks it).
// The deliberate defects mirror the real fixture's (reference/pix2cap.md §9; sample/README.md lists them).
import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'
import { VOID_ID } from '../src/geometry/panoptic-map.js'
import { segmentGeometry } from '../src/geometry/segment-geometry.js'
import { encodePanopticPng } from '../src/io/png/panoptic-png.js'
import { writeFileAtomic } from '../src/util/atomic-write.js'
import { createRng, deriveSeed, type Rng } from '../src/util/rng.js'
import { article, describeGrass, describeSky, describeThing, type ThingFacts } from './sample-captions.js'
import { cocoPanopticCategories, drawShape, type Category, type Shape } from './shapes.js'

export const SAMPLE_WIDTH = 192
export const SAMPLE_HEIGHT = 144
export const SAMPLE_IMAGES = 12
const SEED = 20250123
const CELL = 48 // things sit in a 4x3 grid of 48-px cells, so none hides another

const COLOURS: [string, [number, number, number]][] = [
  ['red', [210, 40, 40]],
  ['yellow', [240, 200, 40]],
  ['blue', [40, 70, 200]],
  ['orange', [245, 140, 30]],
  ['purple', [130, 60, 170]],
  ['white', [245, 245, 245]],
  ['black', [30, 30, 30]],
  ['pink', [240, 130, 170]],
]
const NAMES_BY_SHAPE: Record<Shape['kind'], string[]> = {
  ellipse: ['sports ball', 'frisbee', 'clock', 'donut'],
  rect: ['suitcase', 'book', 'tv', 'laptop'],
  triangle: ['kite', 'umbrella', 'pizza'],
}

/** Which image carries which deliberate defect (0-based image index). */
export const DEFECTS = {
  crowd: 1, // a crowd segment (iscrowd 1): three small balls as one segment
  emptyDescription: 2, // description ""
  shortDescription: 3, // description "ok"
  listDescription: 4, // description: string[] with two alternatives
  tinyBox: 5, // a 1-px-wide thing: w <= 2 px after the 224x224 stretch
  sharedIdFrom: 6, // image 7's first thing id ...
  sharedIdTo: 7, // ... is reused by image 8's first thing
  markReference: 8, // a caption mentioning "object 3" (a leftover set-of-mark reference)
} as const

interface Segment {
  id: number
  category: Category
  iscrowd: 0 | 1
  description: string | string[]
}

interface Scene {
  rgb: Uint8Array
  ids: Uint32Array
  segments: Segment[]
}

/** Writes the sample into `outDir` (images/, panoptic/, pix2cap_sample_train.json). */
export async function makeSample(outDir: string): Promise<void> {
  const cats = cocoPanopticCategories()
  const byName = new Map(cats.map((c) => [c.name, c]))
  const cat = (name: string): Category => {
    const c = byName.get(name)
    if (c === undefined) throw new Error(`no COCO panoptic category ${name}`)
    return c
  }
  await mkdir(join(outDir, 'images'), { recursive: true })
  await mkdir(join(outDir, 'panoptic'), { recursive: true })

  const images: unknown[] = []
  const annotations: { image_id: number; file_name: string; segments_info: unknown[] }[] = []
  const used = new Set<number>()
  let sharedId = 0
  for (let i = 0; i < SAMPLE_IMAGES; i++) {
    const scene = drawScene(i, createRng(deriveSeed(SEED, `image:${i}`)), cat, sharedId)
    if (i === DEFECTS.sharedIdFrom) sharedId = (scene.segments[0] as Segment).id
    const imageId = i + 1
    const stem = String(imageId).padStart(12, '0')
    const jpeg = await sharp(scene.rgb, { raw: { width: SAMPLE_WIDTH, height: SAMPLE_HEIGHT, channels: 3 } })
      .jpeg({ quality: 90 })
      .toBuffer()
    await writeFileAtomic(join(outDir, 'images', `${stem}.jpg`), jpeg)
    await writeFileAtomic(
      join(outDir, 'panoptic', `${stem}.png`),
      await encodePanopticPng({ width: SAMPLE_WIDTH, height: SAMPLE_HEIGHT, ids: scene.ids }),
    )
    const geometry = segmentGeometry({ width: SAMPLE_WIDTH, height: SAMPLE_HEIGHT, ids: scene.ids })
    images.push({ license: 1, file_name: `${stem}.jpg`, height: SAMPLE_HEIGHT, width: SAMPLE_WIDTH, id: imageId })
    annotations.push({
      segments_info: scene.segments.map((s) => {
        const g = geometry.get(s.id)
        if (g === undefined) throw new Error(`sample image ${imageId}: segment ${s.id} has no pixels`)
        used.add(s.category.id)
        // Key order as in Pix2Cap-COCO / COCO panoptic files: area, category_id, iscrowd, id, bbox, description.
        return { area: g.area, category_id: s.category.id, iscrowd: s.iscrowd, id: s.id, bbox: g.bbox, description: s.description }
      }),
      file_name: `${stem}.png`,
      image_id: imageId,
    })
  }
  const categories = cats
    .filter((c) => used.has(c.id))
    .map(({ supercategory, color, isthing, id, name }) => ({ supercategory, color, isthing, id, name }))
  const json = formatJson({
    info: {
      description: 'pixcap bundled sample in Pix2Cap-COCO format (generated by scripts/make-sample.ts)',
      version: '1.0',
      year: 2025,
    },
    licenses: [{ url: 'https://creativecommons.org/publicdomain/zero/1.0/', id: 1, name: 'CC0 1.0 Universal' }],
    images,
    annotations,
    categories,
  })
  await writeFileAtomic(join(outDir, 'pix2cap_sample_train.json'), json)
}

/** One JSON value per line for arrays of objects, so diffs of the committed file stay readable. */
function formatJson(doc: Record<string, unknown>): string {
  const lines: string[] = ['{']
  const keys = Object.keys(doc)
  keys.forEach((key, k) => {
    const value = doc[key]
    const comma = k < keys.length - 1 ? ',' : ''
    if (key === 'annotations' && Array.isArray(value)) {
      lines.push(`  "annotations": [`)
      value.forEach((ann: { segments_info: unknown[]; file_name: string; image_id: number }, a) => {
        lines.push(`    {"segments_info": [`)
        ann.segments_info.forEach((s, j) => lines.push(`      ${JSON.stringify(s)}${j < ann.segments_info.length - 1 ? ',' : ''}`))
        lines.push(`    ], "file_name": ${JSON.stringify(ann.file_name)}, "image_id": ${ann.image_id}}${a < value.length - 1 ? ',' : ''}`)
      })
      lines.push(`  ]${comma}`)
    } else if (Array.isArray(value)) {
      lines.push(`  ${JSON.stringify(key)}: [`)
      value.forEach((v, j) => lines.push(`    ${JSON.stringify(v)}${j < value.length - 1 ? ',' : ''}`))
      lines.push(`  ]${comma}`)
    } else {
      lines.push(`  ${JSON.stringify(key)}: ${JSON.stringify(value)}${comma}`)
    }
  })
  lines.push('}')
  return `${lines.join('\n')}\n`
}

function drawScene(index: number, rng: Rng, cat: (name: string) => Category, sharedId: number): Scene {
  const W = SAMPLE_WIDTH
  const H = SAMPLE_HEIGHT
  const rgb = new Uint8Array(W * H * 3)
  const ids = new Uint32Array(W * H)
  const taken = new Set<number>([VOID_ID])
  const newId = (): number => {
    for (;;) {
      const id = 1 + rng.int(0xfffffe)
      if (!taken.has(id) && id !== sharedId) {
        taken.add(id)
        return id
      }
    }
  }
  // Background: a sky gradient above the horizon, grass below, a 1-px VOID seam between (like real PNG borders),
  // and mild pixel noise so the JPEG looks like a photo rather than a flat drawing.
  const horizon = 56 + rng.int(24)
  const skyId = newId()
  const grassId = newId()
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = y * W + x
      const noise = rng.int(13) - 6
      let c: [number, number, number]
      if (y < horizon) {
        const t = y / horizon
        c = [135 + 55 * t, 190 + 30 * t, 235 + 10 * t]
        ids[i] = skyId
      } else {
        c = [70, 150 - (20 * (y - horizon)) / (H - horizon), 60]
        ids[i] = y === horizon ? VOID_ID : grassId
      }
      rgb[i * 3] = clamp(c[0] + noise)
      rgb[i * 3 + 1] = clamp(c[1] + noise)
      rgb[i * 3 + 2] = clamp(c[2] + noise)
    }
  }

  const cells = rng.shuffle(Array.from({ length: 12 }, (_, k) => k))
  const nThings = 3 + rng.int(4)
  const colours = rng.shuffle(COLOURS)
  const things: { seg: Segment; facts: ThingFacts }[] = []
  for (let k = 0; k < nThings; k++) {
    const cell = cells[k] as number
    const x0 = (cell % 4) * CELL
    const y0 = Math.floor(cell / 4) * CELL
    const [colour, colourRgb] = colours[k % colours.length] as [string, [number, number, number]]
    const tiny = index === DEFECTS.tinyBox && k === 0
    const w = tiny ? 1 : 14 + rng.int(CELL - 18)
    const h = tiny ? 16 : 14 + rng.int(CELL - 18)
    const x = x0 + 2 + rng.int(CELL - 4 - w + 1)
    const y = y0 + 2 + rng.int(CELL - 4 - h + 1)
    const kinds: Shape['kind'][] = ['rect', 'ellipse', 'triangle']
    const kind: Shape['kind'] = tiny ? 'rect' : (kinds[rng.int(3)] as Shape['kind'])
    const shape: Shape =
      kind === 'rect'
        ? { kind, x0: x, y0: y, x1: x + w, y1: y + h }
        : kind === 'ellipse'
          ? { kind, cx: x + w / 2, cy: y + h / 2, rx: w / 2, ry: h / 2 }
          : { kind, pts: [[x + w / 2, y], [x, y + h], [x + w, y + h]] }
    const id = index === DEFECTS.sharedIdTo && k === 0 ? sharedId : newId()
    drawShape(ids, W, H, shape, id, { data: rgb, rgb: tiny ? [120, 80, 40] : colourRgb })
    const name = tiny ? 'baseball bat' : rng.pick(NAMES_BY_SHAPE[kind])
    const facts: ThingFacts = { colour: tiny ? 'brown' : colour, name, shape: kind, cx: (x + w / 2) / W, cy: (y + h / 2) / H, onGrass: y + h / 2 >= horizon }
    things.push({ seg: { id, category: cat(name), iscrowd: 0, description: '' }, facts })
  }
  if (index === DEFECTS.crowd) {
    // Three small balls in one free cell, labelled as one crowd segment (COCO iscrowd: a group too close to separate).
    const cell = cells[nThings] as number
    const x0 = (cell % 4) * CELL
    const y0 = Math.floor(cell / 4) * CELL
    const id = newId()
    for (const [dx, dy] of [[12, 14], [26, 18], [18, 30]] as const) {
      drawShape(ids, W, H, { kind: 'ellipse', cx: x0 + dx, cy: y0 + dy, rx: 6, ry: 6 }, id, { data: rgb, rgb: [245, 245, 245] })
    }
    const facts: ThingFacts = { colour: 'white', name: 'sports ball', shape: 'ellipse', cx: (x0 + 20) / W, cy: (y0 + 22) / H, onGrass: y0 + 22 >= horizon }
    const seg: Segment = {
      id,
      category: cat('sports ball'),
      iscrowd: 1,
      description:
        'A small group of three white sports balls lying so close together that they overlap, treated as one crowd ' +
        `region ${facts.onGrass ? 'on the grass' : 'against the sky'} of the picture.`,
    }
    things.push({ seg, facts })
  }

  for (const [k, t] of things.entries()) {
    if (t.seg.iscrowd === 1) continue
    const others = things.filter((o, j) => j !== k && o.seg.iscrowd === 0)
    const nearest = others.sort((a, b) => dist(t.facts, a.facts) - dist(t.facts, b.facts))[0]
    t.seg.description = describeThing(t.facts, nearest?.facts)
    if (t.facts.name === 'baseball bat') {
      t.seg.description = `A thin brown baseball bat standing upright, only one pixel wide, ${t.facts.onGrass ? 'planted in the grass' : 'seen against the sky'} near the other objects.`
    }
  }
  const segs = things.map((t) => t.seg)
  if (index === DEFECTS.emptyDescription) (segs[1] as Segment).description = ''
  if (index === DEFECTS.shortDescription) (segs[1] as Segment).description = 'ok'
  if (index === DEFECTS.listDescription) {
    const t = things[1] as { seg: Segment; facts: ThingFacts }
    t.seg.description = [
      describeThing(t.facts, undefined),
      `The ${t.facts.colour} ${t.facts.name} seen side on, a simple shape with crisp edges and no visible markings or text.`,
    ]
  }
  if (index === DEFECTS.markReference) {
    const t = things[0] as { seg: Segment; facts: ThingFacts }
    t.seg.description = `${article(t.facts.colour, true)} ${t.facts.colour} ${t.facts.name} placed right next to object 3 in the picture, its plain surface catching the daylight evenly from above.`
  }
  const inSky = things.filter((t) => !t.facts.onGrass && t.seg.iscrowd === 0).map((t) => t.facts)
  const onGrass = things.filter((t) => t.facts.onGrass).map((t) => t.facts)
  segs.push({ id: skyId, category: cat('sky-other-merged'), iscrowd: 0, description: describeSky(inSky) })
  segs.push({ id: grassId, category: cat('grass-merged'), iscrowd: 0, description: describeGrass(onGrass) })
  return { rgb, ids, segments: segs }
}

function dist(a: ThingFacts, b: ThingFacts): number {
  return Math.hypot(a.cx - b.cx, a.cy - b.cy)
}

function clamp(v: number): number {
  return Math.max(0, Math.min(255, Math.round(v)))
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = resolve(process.argv[2] ?? join(fileURLToPath(new URL('..', import.meta.url)), 'sample'))
  await makeSample(out)
  process.stdout.write(`sample written to ${out}\n`)
}
