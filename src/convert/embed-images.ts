// --embed-images: the `image` column (a path relative to the images root) becomes the datasets Image feature,
// struct<bytes: binary, path: string> with the file's bytes (reference/ecosystem.md §3). The convention is declared by
// the column, not by the format's name: any row format with a top-level string column `image` can embed.
import { readFile } from 'node:fs/promises'
import { OptionError } from '../errors.js'
import { t, type FieldSpec } from '../records/field-spec.js'
import type { Row } from '../io/corpus/arrow-batch.js'
import { resolveInside } from '../io/input/safe-path.js'

/** The column that holds the image path. */
const IMAGE_COLUMN = 'image'

/** The row fields with `image` turned into the Image feature; a usage error when there is no such string column. */
export function embeddedImageFields(fields: readonly FieldSpec[], format: string): FieldSpec[] {
  const col = fields.find((f) => f.name === IMAGE_COLUMN)
  if (!col || col.type.kind !== 'string') {
    throw new OptionError(`{embedImages} needs a top-level string column "${IMAGE_COLUMN}"; format ${format} has ${fields.map((f) => f.name).join(', ')}`)
  }
  return fields.map((f) => (f.name === IMAGE_COLUMN ? t.field(IMAGE_COLUMN, t.image(), f.nullable === true) : f))
}

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
