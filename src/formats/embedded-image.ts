// The Image feature of --embed-images as a field change: the top-level string column `image` (a path relative to the
// images root) becomes struct<bytes: binary, path: string> (reference/ecosystem.md §3). Pure: convert/embed-images.ts
// reads the bytes; dataset/ and hub/ need only the schema.
import { OptionError } from '../errors.js'
import { t, type FieldSpec } from '../records/field-spec.js'

/** The column that holds the image path. */
export const IMAGE_COLUMN = 'image'

/** The row fields with `image` turned into the Image feature; a usage error when there is no such string column. */
export function embeddedImageFields(fields: readonly FieldSpec[], format: string): FieldSpec[] {
  const col = fields.find((f) => f.name === IMAGE_COLUMN)
  if (!col || col.type.kind !== 'string') {
    throw new OptionError(`{embedImages} needs a top-level string column "${IMAGE_COLUMN}"; format ${format} has ${fields.map((f) => f.name).join(', ')}`)
  }
  return fields.map((f) => (f.name === IMAGE_COLUMN ? t.field(IMAGE_COLUMN, t.image(), f.nullable === true) : f))
}
