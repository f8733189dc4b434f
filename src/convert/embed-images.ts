// --embed-images: the `image` column (a path relative to the images root) becomes the datasets Image feature,
// struct<bytes: binary, path: string> with the file's bytes (reference/ecosystem.md §3). The convention is declared by
// the column, not by the format's name (formats/embedded-image.ts declares the field change).
import { readFile } from 'node:fs/promises'
import { OptionError } from '../errors.js'
import type { Row } from '../io/corpus/arrow-batch.js'
import { resolveInside } from '../io/input/safe-path.js'
import { IMAGE_COLUMN } from '../formats/embedded-image.js'

/** Reads the image of each row (inside `imagesDir`, never outside) into `{bytes, path}`. */
export async function embedImages(rows: readonly Row[], imagesDir: string, where: string): Promise<Row[]> {
  return Promise.all(
    rows.map(async (row, i) => {
      const rel = row[IMAGE_COLUMN]
      if (typeof rel !== 'string') return row
      const file = resolveInside(imagesDir, rel, { file: where, path: [i, IMAGE_COLUMN] })
      let bytes: Buffer
      try {
        bytes = await readFile(file)
      } catch (err) {
        throw new OptionError(`{embedImages}: cannot read ${file} (image "${rel}" under {imagesDir} ${imagesDir}): ${(err as Error).message}`)
      }
      return { ...row, [IMAGE_COLUMN]: { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path: rel } }
    }),
  )
}
