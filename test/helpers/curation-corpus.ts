// Small real corpora for the curation tests (split, mix, dedup, contamination): photo-like scenes drawn with sharp,
// a Pix2Cap-COCO annotation file for them, and `pixcap convert` run as a child process to write the corpus.
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { execa } from 'execa'
import sharp from 'sharp'
import { createRng } from '../../src/util/rng.js'
import { REPO_ROOT } from './fixtures.js'

export const SCENE_W = 320
export const SCENE_H = 240

/**
 * A "street scene" of one type: sky gradient, road, and a few boxes and discs placed by `seed`. Two seeds give two
 * different images of the same scene type (same palette and layout rules), the case contamination must not flag.
 */
export function sceneRgb(seed: number, w = SCENE_W, h = SCENE_H): Buffer {
  const rng = createRng(seed)
  const px = Buffer.alloc(w * h * 3)
  const shapes = Array.from({ length: 5 }, () => ({ x: rng.next() * w, y: h * 0.3 + rng.next() * h * 0.6, r: 12 + rng.next() * 40, c: [rng.int(256), rng.int(256), rng.int(256)], disc: rng.next() < 0.5 }))
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let c = y < h * 0.55 ? [120 + (y * 80) / h, 160 + (y * 40) / h, 230] : [90, 90, 95]
      for (const s of shapes) {
        const inside = s.disc ? (x - s.x) ** 2 + (y - s.y) ** 2 < s.r * s.r : Math.abs(x - s.x) < s.r && Math.abs(y - s.y) < s.r * 0.7
        if (inside) c = s.c
      }
      const i = (y * w + x) * 3
      px[i] = c[0]!
      px[i + 1] = c[1]!
      px[i + 2] = c[2]!
    }
  }
  return px
}

/** The scene as a JPEG at `quality`, optionally resized by `scale`. */
export async function sceneJpeg(seed: number, o: { quality?: number; scale?: number } = {}): Promise<Buffer> {
  let img = sharp(sceneRgb(seed), { raw: { width: SCENE_W, height: SCENE_H, channels: 3 } })
  if (o.scale !== undefined) img = img.resize(Math.round(SCENE_W * o.scale), Math.round(SCENE_H * o.scale))
  return img.jpeg({ quality: o.quality ?? 90 }).toBuffer()
}

/** One image of a test corpus: its COCO-style id, photo bytes, and regions (box + caption). */
export interface TestImage {
  id: number
  photo: Buffer
  /** Pixel size the annotation states (default SCENE_W x SCENE_H). */
  size?: [number, number]
  regions: { bbox: [number, number, number, number]; caption: string }[]
}

/** `000000000042.jpg` */
export const cocoName = (id: number, ext = 'jpg'): string => `${String(id).padStart(12, '0')}.${ext}`

/** Writes `<dir>/images/*.jpg` and `<dir>/pix2cap_<split>.json` (Pix2Cap-COCO shape) and returns their paths. */
export async function writePix2CapSet(dir: string, images: TestImage[], split = 'train'): Promise<{ json: string; imagesDir: string }> {
  const imagesDir = join(dir, 'images')
  await mkdir(imagesDir, { recursive: true })
  let segId = 1000
  const doc = {
    info: {},
    licenses: [],
    categories: [{ id: 1, name: 'person', isthing: 1, supercategory: 'person', color: [220, 20, 60] }],
    images: images.map((im) => ({ id: im.id, file_name: cocoName(im.id), width: im.size?.[0] ?? SCENE_W, height: im.size?.[1] ?? SCENE_H })),
    annotations: images.map((im) => ({
      image_id: im.id,
      file_name: cocoName(im.id, 'png'),
      segments_info: im.regions.map((r) => ({ id: segId++, category_id: 1, iscrowd: 0, bbox: r.bbox, area: r.bbox[2] * r.bbox[3], description: r.caption })),
    })),
  }
  for (const im of images) await writeFile(join(imagesDir, cocoName(im.id)), im.photo)
  const json = join(dir, `pix2cap_${split}.json`)
  await writeFile(json, JSON.stringify(doc))
  return { json, imagesDir }
}

/** Runs the built CLI (`node bin/pixcap.js ...`) and returns the execa result (never throws on exit codes). */
export function pixcap(args: string[], o: { cwd?: string } = {}) {
  return execa('node', [join(REPO_ROOT, 'bin/pixcap.js'), ...args], { reject: false, cwd: o.cwd ?? REPO_ROOT })
}

/** Converts a Pix2Cap set into a gpt4roi corpus (parquet + jsonl) through the CLI. */
export async function convertToCorpus(json: string, out: string, extra: string[] = []): Promise<void> {
  const r = await pixcap(['convert', json, '--to', 'gpt4roi', '--out', out, '--format', 'parquet,jsonl', '--json', ...extra])
  if (r.exitCode !== 0) throw new Error(`convert failed (${r.exitCode}): ${r.stdout}\n${r.stderr}`)
}
