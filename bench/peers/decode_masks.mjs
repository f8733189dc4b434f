// The floor of `pixcap validate --panoptic-dir`, as a whole Node process: read the Pix2Cap JSON, then decode every
// annotation's panoptic PNG to pixels with the same decoder (bench/stages/decode-one.mjs: the project's own, sharp as
// fallback), on the same worker pool arrangement (one thread per core, 2 PNGs in flight per thread), and nothing else:
// no checks, no geometry. Needs the built library (npm run build).
//
//   node bench/peers/decode_masks.mjs ANNOTATIONS.json PANOPTIC_DIR
import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { createWorkerPool } from '../../dist/io/workers/worker-pool.js'

const [annotations, panopticDir] = process.argv.slice(2)
if (annotations === undefined || panopticDir === undefined) throw new Error('usage: decode_masks.mjs ANNOTATIONS.json PANOPTIC_DIR')
const doc = JSON.parse(readFileSync(annotations, 'utf8'))
const files = doc.annotations.map((a) => join(panopticDir, a.file_name))
const workers = availableParallelism()
const pool = createWorkerPool(new URL('../stages/decode-worker.mjs', import.meta.url), workers)
let next = 0
let bytes = 0
const lane = async () => {
  for (let i = next++; i < files.length; i = next++) bytes += await pool.run(files[i])
}
try {
  await Promise.all(Array.from({ length: Math.max(4, 2 * workers) }, lane))
} finally {
  await pool.close()
}
process.stdout.write(`${JSON.stringify({ images: files.length, decodedMb: Math.round(bytes / 2 ** 20) })}\n`)
