// Evaluation sets that a training corpus must not overlap, read into one list of images each:
//   - a COCO-style JSON with `images[]`: COCO val2017 instances/captions (`id`, `file_name` 000000397133.jpg),
//     mdetr `final_refcoco*_{val,testA,testB,test}.json` / `final_flickr_*` (one "image" per expression; `file_name`
//     COCO_train2014_000000xxxxxx.jpg, `original_id` = the COCO id; reference/gpt4roi.md §5), and the GRiT/GLaMM
//     VG region-captioning test files (`test.json`, `test_caption.json`: VG `file_name`, no COCO id unless `coco_id`);
//   - a folder of images (ViP-Bench's `source_image/` or `bbox/images/`; reference/vipbench.md §1): hash only.
// Repeated images (mdetr repeats an image once per expression) are listed once, by file name.
import { readdir, stat } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import { z } from 'zod'
import { PixcapError } from '../errors.js'
import { readJsonFile } from '../io/input/read-json.js'
import { resolveInside } from '../io/input/safe-path.js'

/** An evaluation set as given: `[NAME=]PATH[@IMAGES_DIR]`. */
export interface EvaluationSetSpec {
  name: string
  /** A COCO-style JSON file or a folder of images. */
  path: string
  /** Folder the JSON's file names are relative to (enables file-hash and pHash matching). */
  imagesDir?: string
}

/** One evaluation image. */
export interface EvaluationImage {
  /** As the set names it: its file name. */
  name: string
  cocoId?: number
  /** Absolute path when the pixels are available. */
  file?: string
}

/** An evaluation set, read. */
export interface EvaluationSet {
  name: string
  path: string
  kind: 'coco-json' | 'image-folder'
  images: EvaluationImage[]
}

/** The part of a COCO-style file this reads: `images[]` (the rest may be anything). */
const CocoImagesFile = z.object({
  images: z.array(
    z.looseObject({
      id: z.union([z.number().int(), z.string()]),
      file_name: z.string().min(1),
      /** mdetr: the COCO image id behind a per-expression image. */
      original_id: z.number().int().optional(),
      /** VG image_data.json style. */
      coco_id: z.number().int().nullable().optional(),
    }),
  ),
})

const COCO_NAME = /^(?:COCO_[a-z]+\d{4}_)?(\d{12})\.(?:jpe?g|png)$/i
const IMAGE_EXT = new Set(['.jpg', '.jpeg', '.png', '.webp', '.bmp', '.gif', '.tif', '.tiff'])

/** The COCO id a file name spells (`000000397133.jpg`, `COCO_train2014_000000581857.jpg`), if it spells one. */
export function cocoIdOfFileName(file: string): number | undefined {
  const m = COCO_NAME.exec(basename(file))
  return m ? Number(m[1]) : undefined
}

/** Parses `[NAME=]PATH[@IMAGES_DIR]`; the name defaults to the file name without extension. */
export function parseEvaluationSetSpec(text: string): EvaluationSetSpec {
  const eq = /^([A-Za-z0-9_.+-]+)=(.+)$/.exec(text)
  const rest = eq ? eq[2]! : text
  const at = rest.lastIndexOf('@')
  const path = at > 0 ? rest.slice(0, at) : rest
  const imagesDir = at > 0 ? rest.slice(at + 1) : undefined
  const name = eq ? eq[1]! : basename(path).replace(/\.json$/i, '')
  return { name, path, ...(imagesDir ? { imagesDir } : {}) }
}

/** Reads an evaluation set (a COCO-style JSON or a folder of images). */
export async function readEvaluationSet(spec: EvaluationSetSpec): Promise<EvaluationSet> {
  const st = await stat(spec.path).catch((err: unknown) => {
    throw new PixcapError('not_found', spec.path, [], `cannot read the evaluation set "${spec.name}": ${(err as Error).message}`, { cause: err })
  })
  if (st.isDirectory()) {
    const entries = await readdir(spec.path, { withFileTypes: true, recursive: true })
    const images = entries
      .filter((e) => e.isFile() && IMAGE_EXT.has(extname(e.name).toLowerCase()))
      .map((e) => join(e.parentPath ?? e.path, e.name))
      .sort()
      .map((file) => ({ name: file.slice(spec.path.length).replace(/^[\\/]+/, ''), file, ...(cocoIdOfFileName(file) !== undefined ? { cocoId: cocoIdOfFileName(file)! } : {}) }))
    if (images.length === 0) throw new PixcapError('not_found', spec.path, [], `the evaluation set "${spec.name}" is a folder without images (${[...IMAGE_EXT].join(', ')})`)
    return { name: spec.name, path: spec.path, kind: 'image-folder', images }
  }
  const doc = await readJsonFile(spec.path, CocoImagesFile)
  const byName = new Map<string, EvaluationImage>()
  doc.images.forEach((img, i) => {
    if (byName.has(img.file_name)) return
    const cocoId = img.original_id ?? img.coco_id ?? cocoIdOfFileName(img.file_name)
    const file = spec.imagesDir ? resolveInside(spec.imagesDir, img.file_name, { file: spec.path, path: ['images', i, 'file_name'] }) : undefined
    byName.set(img.file_name, { name: img.file_name, ...(cocoId !== undefined && cocoId !== null ? { cocoId } : {}), ...(file ? { file } : {}) })
  })
  return { name: spec.name, path: spec.path, kind: 'coco-json', images: [...byName.values()] }
}
