// Builds the perturbed prediction of reference/metrics.md §10 from the shared COCO panoptic sample: relabel 4325578
// (person -> sports ball), void 3476419, merge 5186532 into 4260062 (image 142238), clear iscrowd (image 439180).
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { decodePanopticPng, encodePanopticPng } from '../../src/io/png/panoptic-png.js'
import { COCO_SAMPLE_DIR, PANOPTIC_SAMPLE_DIR, PIX2CAP_SAMPLE_JSON } from './fixtures.js'

/** The GT JSON of the shared sample (panopticapi sample_data). */
export const SAMPLE_GT_JSON = join(COCO_SAMPLE_DIR, 'sample_data/panoptic_examples.json')

interface Seg { id: number; category_id: number; iscrowd: number; [k: string]: unknown }
interface Ann { image_id: number; file_name: string; segments_info: Seg[] }

/**
 * Writes `pred.json` + `pred/*.png` into `dir` and returns their paths. With `captions`, each predicted segment gets
 * `caption` = its GT description from pix2cap_sample_val.json (the same segments with descriptions).
 */
export async function writePerturbedPrediction(dir: string, o: { captions?: boolean; perturb?: boolean } = {}): Promise<{ predJson: string; predDir: string }> {
  const gt = JSON.parse(await readFile(o.captions ? PIX2CAP_SAMPLE_JSON : SAMPLE_GT_JSON, 'utf8')) as { annotations: Ann[] }
  for (const ann of gt.annotations) {
    for (const s of ann.segments_info) {
      if (o.captions) s.caption = s.description
      delete s.description
    }
  }
  const perturb = o.perturb ?? true
  const predDir = join(dir, 'pred')
  await mkdir(predDir, { recursive: true })
  for (const ann of gt.annotations) {
    const map = await decodePanopticPng(join(PANOPTIC_SAMPLE_DIR, ann.file_name))
    if (perturb && ann.image_id === 142238) {
      const relabel = ann.segments_info.find((s) => s.id === 4325578)
      if (!relabel) throw new Error('fixture changed: 4325578 missing')
      relabel.category_id = 37
      for (let i = 0; i < map.ids.length; i++) {
        if (map.ids[i] === 3476419) map.ids[i] = 0
        else if (map.ids[i] === 5186532) map.ids[i] = 4260062
      }
      ann.segments_info = ann.segments_info.filter((s) => s.id !== 3476419 && s.id !== 5186532)
    }
    if (perturb && ann.image_id === 439180) for (const s of ann.segments_info) s.iscrowd = 0
    await writeFile(join(predDir, ann.file_name), await encodePanopticPng(map))
  }
  const predJson = join(dir, 'pred.json')
  await writeFile(predJson, JSON.stringify(gt))
  return { predJson, predDir }
}
