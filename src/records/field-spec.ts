// Column types declared by each target format. Writers derive the Arrow schema and the Hugging Face `datasets`
// features (`huggingface` schema metadata, reference/ecosystem.md §3) from these declarations, never from data.
// Row formats derive them from their row's zod schema (fieldsOf), so a row's shape is declared once.
import { z } from 'zod'

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

/**
 * Column types zod cannot say: a number is int32 when `.int()`, else float32 (pixel and normalised coordinates fit
 * a float32's 24-bit mantissa); register another type here, e.g. `z.number().register(columnTypes, { type: t.float64() })`.
 */
export const columnTypes = z.registry<{ type: FieldType }>()

/** The declared column list of a row schema: one truth for the row's shape (zod) and its columns (the writers). */
export function fieldsOf(schema: z.ZodObject): FieldSpec[] {
  return Object.entries(schema.shape).map(([name, s]) => fieldOf(name, s as z.ZodType, name))
}

function fieldOf(name: string, schema: z.ZodType, path: string): FieldSpec {
  const { type, nullable } = typeOf(schema, path)
  return t.field(name, type, nullable)
}

function typeOf(schema: z.ZodType, path: string): { type: FieldType; nullable: boolean } {
  const declared = columnTypes.get(schema)
  if (declared) return { type: declared.type, nullable: false }
  if (schema instanceof z.ZodNullable) return { type: typeOf(schema.unwrap() as z.ZodType, path).type, nullable: true }
  if (schema instanceof z.ZodString || schema instanceof z.ZodEnum) return { type: t.string(), nullable: false }
  if (schema instanceof z.ZodBoolean) return { type: t.bool(), nullable: false }
  if (schema instanceof z.ZodNumber) return { type: schema.format === 'safeint' || schema.format === 'int32' ? t.int32() : t.float32(), nullable: false }
  if (schema instanceof z.ZodArray) return { type: t.list(typeOf(schema.element as z.ZodType, `${path}[]`).type), nullable: false }
  if (schema instanceof z.ZodObject) {
    return { type: t.struct(Object.entries(schema.shape).map(([k, s]) => fieldOf(k, s as z.ZodType, `${path}.${k}`))), nullable: false }
  }
  throw new Error(`fieldsOf: ${path}: no column type for a ${schema.def.type} schema; register one in columnTypes`)
}
