// Declared FieldSpecs -> an apache-arrow Schema and the Hugging Face `datasets` features JSON.
// datasets stores its features in one schema-metadata key, `huggingface` = {"info": {"features": ...}}
// (datasets arrow_writer.py _build_metadata; reference/ecosystem.md §3). datasets 5.x spells lists `List`, not
// `Sequence`; a struct is a plain dict of features; the Image feature is struct<bytes: binary, path: string> with
// `{"_type": "Image"}`. Without that metadata an image column loads as a plain dict (ecosystem.md §3), so every file
// we write carries it, and the viewer reads it too (Features.from_arrow_schema, ecosystem.md §3).
import { Binary, Bool, Field, Float32, Float64, Int32, Int64, List, Schema, Struct, Utf8, type DataType } from 'apache-arrow'
import type { FieldSpec, FieldType } from '../../records/field-spec.js'

/** The schema-metadata key `datasets` reads its features from. */
export const HF_METADATA_KEY = 'huggingface'

/** Name pyarrow and datasets give a list's child field (`pa.list_(x)` -> `list<item: x>`). */
const LIST_ITEM = 'item'

/** A `datasets` feature as JSON (`Features.to_dict()` shape). */
export type HfFeature =
  | { dtype: string; _type: 'Value' }
  | { feature: HfFeature; _type: 'List' }
  | { _type: 'Image' }
  | { [name: string]: HfFeature }

/** The Arrow type of an `image` column: the datasets Image storage type (features/image.py). */
function imageArrowType(): Struct {
  return new Struct([new Field('bytes', new Binary(), true), new Field('path', new Utf8(), true)])
}

/** The Arrow data type for a declared FieldType. */
export function toArrowType(type: FieldType): DataType {
  switch (type.kind) {
    case 'string':
      return new Utf8()
    case 'bool':
      return new Bool()
    case 'int32':
      return new Int32()
    case 'int64':
      return new Int64()
    case 'float32':
      return new Float32()
    case 'float64':
      return new Float64()
    case 'list':
      // Items nullable, as pyarrow's pa.list_ declares them; our rows never contain null items (arrow-batch checks).
      return new List(new Field(LIST_ITEM, toArrowType(type.item), true))
    case 'struct':
      return new Struct(type.fields.map(toArrowField))
    case 'image':
      return imageArrowType()
  }
}

/**
 * The Arrow field for a declared FieldSpec. Always nullable in the schema: datasets keeps a metadata feature only when
 * its arrow type equals the file's field *including nullability* (Features.from_arrow_schema, datasets 5.0.1
 * features.py), and its own schemas are all-nullable; a non-nullable `image` column loads as a plain
 * {bytes, path} struct instead of an Image. `nullable: false` is enforced on the rows instead (arrow-batch.ts).
 */
function toArrowField(spec: FieldSpec): Field {
  return new Field(spec.name, toArrowType(spec.type), true)
}

/** The datasets feature for a declared FieldType. */
function toHfFeature(type: FieldType): HfFeature {
  switch (type.kind) {
    case 'string':
    case 'bool':
    case 'int32':
    case 'int64':
    case 'float32':
    case 'float64':
      return { dtype: type.kind, _type: 'Value' }
    case 'list':
      return { feature: toHfFeature(type.item), _type: 'List' }
    case 'struct':
      return Object.fromEntries(type.fields.map((f) => [f.name, toHfFeature(f.type)]))
    case 'image':
      return { _type: 'Image' }
  }
}

/** The datasets `Features.to_dict()` of a row declaration. */
export function toHfFeatures(fields: readonly FieldSpec[]): Record<string, HfFeature> {
  return Object.fromEntries(fields.map((f) => [f.name, toHfFeature(f.type)]))
}

/** The `huggingface` metadata value: `{"info": {"features": ...}}`. */
export function hfMetadataValue(fields: readonly FieldSpec[]): string {
  return JSON.stringify({ info: { features: toHfFeatures(fields) } })
}

/** The Arrow schema of a row declaration, with the `huggingface` metadata attached. */
export function toArrowSchema(fields: readonly FieldSpec[]): Schema {
  checkFieldNames(fields, [])
  return new Schema(fields.map(toArrowField), new Map([[HF_METADATA_KEY, hfMetadataValue(fields)]]))
}

/** Duplicate or empty names would produce a schema that readers reject later with a worse message. */
function checkFieldNames(fields: readonly FieldSpec[], at: string[]): void {
  const seen = new Set<string>()
  for (const f of fields) {
    const where = [...at, f.name].join('.')
    if (f.name === '') throw new TypeError(`field spec ${at.join('.') || '(root)'}: empty field name`)
    if (seen.has(f.name)) throw new TypeError(`field spec ${where}: declared twice`)
    seen.add(f.name)
    let type = f.type
    while (type.kind === 'list') type = type.item
    if (type.kind === 'struct') checkFieldNames(type.fields, [...at, f.name])
  }
}
