// Column types declared by each target format. Writers derive the Arrow schema and the Hugging Face `datasets`
// features (`huggingface` schema metadata, reference/ecosystem.md §3) from these declarations, never from data.

/** The type of one column or nested field. `image` is the datasets Image feature: struct<bytes: binary, path: string>. */
export type FieldType =
  | { kind: 'string' }
  | { kind: 'bool' }
  | { kind: 'int32' }
  | { kind: 'int64' }
  | { kind: 'float32' }
  | { kind: 'float64' }
  | { kind: 'list'; item: FieldType }
  | { kind: 'struct'; fields: FieldSpec[] }
  | { kind: 'image' }

/** A named column or struct member. */
export interface FieldSpec {
  name: string
  type: FieldType
  /** Nulls allowed (default false). */
  nullable?: boolean
}

/** Small constructors so declarations read like the schema they describe. */
export const t = {
  string: (): FieldType => ({ kind: 'string' }),
  bool: (): FieldType => ({ kind: 'bool' }),
  int32: (): FieldType => ({ kind: 'int32' }),
  int64: (): FieldType => ({ kind: 'int64' }),
  float32: (): FieldType => ({ kind: 'float32' }),
  float64: (): FieldType => ({ kind: 'float64' }),
  list: (item: FieldType): FieldType => ({ kind: 'list', item }),
  struct: (fields: FieldSpec[]): FieldType => ({ kind: 'struct', fields }),
  image: (): FieldType => ({ kind: 'image' }),
  field: (name: string, type: FieldType, nullable = false): FieldSpec => ({ name, type, nullable }),
}
