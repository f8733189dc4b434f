// Regenerates the inputs of the PQ golden cases (expected.json comes from panopticapi: run-panopticapi.py).
// Usage: npx tsx test/golden/pq/make-cases.ts
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { writeSynthPanoptic } from '../../../bench/panoptic-synth.js'
import { encodePanopticPng } from '../../../src/io/png/panoptic-png.js'

const HERE = dirname(fileURLToPath(import.meta.url))

/** Rows of space-separated ids -> ids. */
function grid(rows: string[]): { width: number; height: number; ids: Uint32Array } {
  const cells = rows.map((r) => r.trim().split(/\s+/).map(Number))
  return { width: cells[0]?.length ?? 0, height: cells.length, ids: Uint32Array.from(cells.flat()) }
}

async function writeGridCase(name: string, spec: {
  categories: { id: number; name: string; isthing: number }[]
  images: { gt: string[]; gtSegs: [number, number, number][]; pred: string[]; predSegs: [number, number][] }[]
}): Promise<void> {
  const dir = join(HERE, name)
  await rm(join(dir, 'gt'), { recursive: true, force: true })
  await rm(join(dir, 'pred'), { recursive: true, force: true })
  await mkdir(join(dir, 'gt'), { recursive: true })
  await mkdir(join(dir, 'pred'), { recursive: true })
  const gtAnns = []
  const predAnns = []
  for (const [i, img] of spec.images.entries()) {
    const file = `${i + 1}.png`
    const gt = grid(img.gt)
    const pred = grid(img.pred)
    await writeFile(join(dir, 'gt', file), await encodePanopticPng(gt))
    await writeFile(join(dir, 'pred', file), await encodePanopticPng(pred))
    // GT area = the JSON value, which panopticapi trusts; here it is the true pixel count.
    const area = (id: number) => gt.ids.reduce((n, v) => n + (v === id ? 1 : 0), 0)
    gtAnns.push({ image_id: i + 1, file_name: file, segments_info: img.gtSegs.map(([id, cat, crowd]) => ({ id, category_id: cat, iscrowd: crowd, area: area(id) })) })
    predAnns.push({ image_id: i + 1, file_name: file, segments_info: img.predSegs.map(([id, cat]) => ({ id, category_id: cat })) })
  }
  await writeFile(join(dir, 'gt.json'), `${JSON.stringify({ annotations: gtAnns, categories: spec.categories }, null, 1)}\n`)
  await writeFile(join(dir, 'pred.json'), `${JSON.stringify({ annotations: predAnns.reverse() }, null, 1)}\n`)
}

// Crowd (last one wins), VOID/crowd-dominated FPs, IoU exactly 0.5, a skipped category, no stuff at all.
await writeGridCase('hand-rules', {
  categories: [
    { id: 1, name: 'person', isthing: 1 },
    { id: 2, name: 'horse', isthing: 1 },
    { id: 3, name: 'unused', isthing: 1 },
    { id: 4, name: 'sky', isthing: 0 },
  ],
  images: [
    {
      gt: ['1 1 1 1 2 2 2 2', '1 1 1 1 2 2 2 2', '8 8 9 9 0 0 0 0', '8 8 9 9 0 0 0 0'],
      gtSegs: [[1, 1, 0], [2, 2, 0], [8, 1, 1], [9, 1, 1]],
      // 11 person on GT 1 (8 px, 1 on VOID-free): IoU 8/8; 12 horse covers GT 2 (8 px) + 8 px of VOID: IoU 1 after VOID;
      // 13 person lies on the first crowd (8): not excused (the last crowd, 9, wins) -> FP; 14 person on crowd 9 -> ignored
      pred: ['11 11 11 11 12 12 12 12', '11 11 11 11 12 12 12 12', '13 13 14 14 12 12 12 12', '13 13 14 14 12 12 12 12'],
      predSegs: [[11, 1], [12, 2], [13, 1], [14, 1]],
    },
    {
      gt: ['5 5 6 6', '5 5 6 6'],
      gtSegs: [[5, 1, 0], [6, 2, 0]],
      // 21 person covers GT 5 (4 px) and GT 6 (4 px): IoU exactly 0.5 -> no match: FN person, FP person, FN horse
      pred: ['21 21 21 21', '21 21 21 21'],
      predSegs: [[21, 1]],
    },
  ],
})

// A seeded synthetic set: 6 images of 96x64 (bench/panoptic-synth.ts).
await rm(join(HERE, 'synthetic-6'), { recursive: true, force: true })
await writeSynthPanoptic(join(HERE, 'synthetic-6'), { images: 6, width: 96, height: 64, seed: 7 })
console.log('golden PQ case inputs written; now run run-panopticapi.py for expected.json')
