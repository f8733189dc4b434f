// Plain row objects -> apache-arrow RecordBatches built by hand with makeData, column by column.
// Hand-built makeData in 1,000-row batches was the fastest way measured to build our nested tables
// (1.42-1.47 s per 100k rows vs 2.7 s with makeBuilder and 3.3 s with vectorFromArray; reference/ecosystem.md §3),
// and small batches are what lets parquet-wasm's row-group byte cap take effect (ecosystem.md §2).
// The fast path checks types as it copies; when a value is wrong, a second, slow walk over the batch finds the first
// offending row and path so the error names it (`row 12: conversations[3].value: expected string, got number`).
import { Field, RecordBatch, Struct, makeData, type Data, type DataType, type Schema } from 'apache-arrow'
import type { FieldSpec, FieldType } from '../../records/field-spec.js'
import { PixcapError, type JsonPath } from '../../errors.js'
import { toArrowSchema, toArrowType } from './arrow-schema.js'
import { concatData } from './arrow-concat.js'

/** Rows per record batch: datasets' DEFAULT_MAX_BATCH_SIZE (ecosystem.md §4) and the measured sweet spot (§3). */
export const DEFAULT_BATCH_ROWS = 1000
/**
 * Rows encoded at a time while a batch is assembled (ArrowBatchBuilder.append): small enough that the rows die in V8's
 * young generation, large enough that the per-piece costs stay small (arrow-concat.ts, docs/speed.md).
 */
export const PIECE_ROWS = 100
/** Rows per record batch when images are embedded: datasets and the viewer use 100-row groups (ecosystem.md §4). */
export const IMAGE_BATCH_ROWS = 100

/** An `image` column value: the datasets Image storage shape. */
export interface ImageValue {
  bytes: Uint8Array | null
  path: string | null
}

/** One output row: declared field name -> value. */
export type Row = Record<string, unknown>

class BadValue extends Error {}

/** Grows a byte buffer as strings/binaries are appended. */
class ByteBuffer {
  // A Buffer so strings are encoded in place with buf.write (no subarray view per string); same UTF-8 bytes as
  // TextEncoder, lone surrogates included (both write U+FFFD).
  bytes: Buffer = Buffer.allocUnsafe(1024)
  length = 0
  reserve(extra: number): void {
    if (this.length + extra <= this.bytes.length) return
    let size = this.bytes.length * 2
    while (size < this.length + extra) size *= 2
    const next = Buffer.allocUnsafe(size)
    this.bytes.copy(next, 0, 0, this.length)
    this.bytes = next
  }
  appendString(s: string): void {
    this.reserve(s.length * 3) // UTF-8 needs at most 3 bytes per UTF-16 code unit
    this.length += this.bytes.write(s, this.length)
  }
  appendBytes(b: Uint8Array): void {
    this.reserve(b.length)
    this.bytes.set(b, this.length)
    this.length += b.length
  }
  finish(): Uint8Array {
    const out = new Uint8Array(this.length) // a copy the batch owns (zero-filled padding is never read)
    out.set(this.bytes.subarray(0, this.length))
    return out
  }
}

/** Validity bitmap (LSB first) for values that may be null; null when nothing is null. */
function validity(values: readonly unknown[], nullable: boolean): { nullBitmap: Uint8Array | undefined; nullCount: number } {
  // Indexed loops here and below: buildData handles every column type, so V8 leaves it unoptimised, and there a
  // for-of allocates an iterator result per element (~300 MB per 167k-region conversion, a quarter of the
  // allocation that the garbage collector then spends its time on).
  let nullCount = 0
  for (let i = 0; i < values.length; i++) if (values[i] === null || values[i] === undefined) nullCount++
  if (nullCount === 0) return { nullBitmap: undefined, nullCount: 0 }
  if (!nullable) throw new BadValue()
  const bitmap = new Uint8Array(Math.ceil(values.length / 8))
  values.forEach((v, i) => {
    if (v !== null && v !== undefined) bitmap[i >> 3]! |= 1 << (i & 7)
  })
  return { nullBitmap: bitmap, nullCount }
}

const isNull = (v: unknown): boolean => v === null || v === undefined

/**
 * A string column's UTF-8 bytes in one native call when every string is ASCII (then byte offsets are string lengths),
 * filling `valueOffsets`; undefined when some string is not ASCII (the caller encodes string by string). An ASCII
 * string's UTF-8 is its UTF-16 units as bytes, so the bytes equal the per-string encoding's.
 */
function asciiColumn(values: readonly unknown[], valueOffsets: Int32Array): Uint8Array | undefined {
  let total = 0
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (typeof v === 'string') total += v.length
    else if (!isNull(v)) throw new BadValue()
    valueOffsets[i + 1] = total
  }
  const text = values.join('') // null and undefined join as ''
  const bytes = Buffer.from(text, 'utf8')
  // Any non-ASCII unit encodes to 2-4 bytes, so equal lengths mean all ASCII.
  if (bytes.length !== text.length) return undefined
  // A batch-owned copy at offset 0 (small Buffers are slices of a shared pool).
  return bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length ? new Uint8Array(bytes.buffer, 0, bytes.length) : new Uint8Array(bytes)
}

/** makeData's overloads are keyed on the static DataType; ours is only known at run time. */
const mk = (props: Record<string, unknown>): Data => makeData(props as never)

function buildData(type: FieldType, arrowType: DataType, values: readonly unknown[], nullable: boolean): Data {
  const length = values.length
  const { nullBitmap, nullCount } = validity(values, nullable)
  switch (type.kind) {
    case 'string': {
      const valueOffsets = new Int32Array(length + 1)
      const ascii = asciiColumn(values, valueOffsets)
      if (ascii !== undefined) return mk({ type: arrowType, length, nullCount, nullBitmap, valueOffsets, data: ascii })
      const buf = new ByteBuffer()
      for (let i = 0; i < length; i++) {
        const v = values[i]
        if (typeof v === 'string') buf.appendString(v)
        else if (!isNull(v)) throw new BadValue()
        valueOffsets[i + 1] = buf.length
      }
      return mk({ type: arrowType, length, nullCount, nullBitmap, valueOffsets, data: buf.finish() })
    }
    case 'bool': {
      const data = new Uint8Array(Math.ceil(length / 8))
      for (let i = 0; i < length; i++) {
        const v = values[i]
        if (v === true) data[i >> 3]! |= 1 << (i & 7)
        else if (v !== false && !isNull(v)) throw new BadValue()
      }
      return mk({ type: arrowType, length, nullCount, nullBitmap, data })
    }
    case 'int32':
    case 'float32':
    case 'float64': {
      const data = type.kind === 'int32' ? new Int32Array(length) : type.kind === 'float32' ? new Float32Array(length) : new Float64Array(length)
      for (let i = 0; i < length; i++) {
        const v = values[i]
        if (typeof v === 'number') {
          if (type.kind === 'int32' && (!Number.isInteger(v) || v < -2147483648 || v > 2147483647)) throw new BadValue()
          data[i] = v
        } else if (!isNull(v)) throw new BadValue()
      }
      return mk({ type: arrowType, length, nullCount, nullBitmap, data })
    }
    case 'int64': {
      const data = new BigInt64Array(length)
      for (let i = 0; i < length; i++) {
        const v = values[i]
        if (typeof v === 'bigint') data[i] = v
        else if (typeof v === 'number' && Number.isSafeInteger(v)) data[i] = BigInt(v)
        else if (!isNull(v)) throw new BadValue()
      }
      return mk({ type: arrowType, length, nullCount, nullBitmap, data })
    }
    case 'list': {
      const valueOffsets = new Int32Array(length + 1)
      const items: unknown[] = []
      for (let i = 0; i < length; i++) {
        const v = values[i]
        if (Array.isArray(v)) for (let j = 0; j < v.length; j++) items.push(v[j])
        else if (!isNull(v)) throw new BadValue()
        valueOffsets[i + 1] = items.length
      }
      const childType = (arrowType.children[0] as Field).type
      const child = buildData(type.item, childType, items, false)
      return mk({ type: arrowType, length, nullCount, nullBitmap, valueOffsets, child })
    }
    case 'struct':
    case 'image': {
      const specs: FieldSpec[] =
        type.kind === 'struct'
          ? type.fields
          : [
              { name: 'bytes', type: { kind: 'string' }, nullable: true },
              { name: 'path', type: { kind: 'string' }, nullable: true },
            ]
      const children = specs.map((spec, c) => {
        const column: unknown[] = new Array(length)
        for (let i = 0; i < length; i++) {
          const v = values[i]
          if (isNull(v)) column[i] = null
          else if (typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array)) column[i] = (v as Row)[spec.name]
          else throw new BadValue()
        }
        const childType = (arrowType.children[c] as Field).type
        if (type.kind === 'image' && spec.name === 'bytes') return buildBinary(childType, column)
        // Children of a null struct are null too, whatever their own declaration says.
        return buildData(spec.type, childType, column, spec.nullable === true || nullCount > 0)
      })
      return mk({ type: arrowType, length, nullCount, nullBitmap, children })
    }
  }
}

function buildBinary(arrowType: DataType, values: readonly unknown[]): Data {
  const { nullBitmap, nullCount } = validity(values, true)
  const buf = new ByteBuffer()
  const valueOffsets = new Int32Array(values.length + 1)
  values.forEach((v, i) => {
    if (v instanceof Uint8Array) buf.appendBytes(v)
    else if (!isNull(v)) throw new BadValue()
    valueOffsets[i + 1] = buf.length
  })
  return mk({ type: arrowType, length: values.length, nullCount, nullBitmap, valueOffsets, data: buf.finish() })
}

/** Describes a JS value for error messages: `number`, `null`, `array`, ... */
function describe(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  if (v instanceof Uint8Array) return 'bytes'
  return typeof v
}

/** Slow path: the first place where `value` does not match `type`, as [relative path, detail]. */
function findMismatch(type: FieldType, value: unknown, nullable: boolean, path: JsonPath): [JsonPath, string] | null {
  if (isNull(value)) {
    if (nullable) return null
    return [path, value === undefined ? `expected ${type.kind}, got nothing (the key is missing)` : `expected ${type.kind}, got null (the field is not nullable)`]
  }
  switch (type.kind) {
    case 'string':
      return typeof value === 'string' ? null : [path, `expected string, got ${describe(value)}`]
    case 'bool':
      return typeof value === 'boolean' ? null : [path, `expected bool, got ${describe(value)}`]
    case 'int32':
      return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= 2147483647
        ? null
        : [path, `expected int32, got ${typeof value === 'number' ? value : describe(value)}`]
    case 'int64':
      return typeof value === 'bigint' || (typeof value === 'number' && Number.isSafeInteger(value))
        ? null
        : [path, `expected int64, got ${typeof value === 'number' ? value : describe(value)}`]
    case 'float32':
    case 'float64':
      return typeof value === 'number' ? null : [path, `expected ${type.kind}, got ${describe(value)}`]
    case 'list': {
      if (!Array.isArray(value)) return [path, `expected a list, got ${describe(value)}`]
      for (let i = 0; i < value.length; i++) {
        const bad = findMismatch(type.item, value[i], false, [...path, i])
        if (bad) return bad
      }
      return null
    }
    case 'struct': {
      if (typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) return [path, `expected an object, got ${describe(value)}`]
      for (const f of type.fields) {
        const bad = findMismatch(f.type, (value as Row)[f.name], f.nullable === true, [...path, f.name])
        if (bad) return bad
      }
      return null
    }
    case 'image': {
      if (typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) return [path, `expected an image {bytes, path}, got ${describe(value)}`]
      const { bytes, path: p } = value as Row
      if (!isNull(bytes) && !(bytes instanceof Uint8Array)) return [[...path, 'bytes'], `expected bytes (Uint8Array), got ${describe(bytes)}`]
      if (!isNull(p) && typeof p !== 'string') return [[...path, 'path'], `expected string, got ${describe(p)}`]
      return null
    }
  }
}

/** Builds RecordBatches of at most `batchRows` rows from rows matching `fields`. */
export class ArrowBatchBuilder {
  readonly schema: Schema
  private readonly structType: Struct

  /** `label` names the rows in errors (usually the output file). */
  constructor(
    readonly fields: readonly FieldSpec[],
    readonly label = 'rows',
  ) {
    this.schema = toArrowSchema(fields)
    this.structType = new Struct(this.schema.fields)
  }

  /**
   * One RecordBatch from `rows` (call it with at most a batch's worth). `firstRow` is the index of rows[0] in the
   * whole output, for error messages.
   */
  build(rows: readonly Row[], firstRow = 0): RecordBatch {
    return new RecordBatch(this.schema, this.buildStruct(rows, firstRow))
  }

  /** Pieces of the batch being assembled (append / takeBatch). */
  private pieces: Data[] = []

  /**
   * Type-checks and encodes `rows` as the next piece of the batch being assembled, so the caller can let the row
   * objects go before the batch is complete (arrow-concat.ts says why). `firstRow` as for {@link build}.
   */
  append(rows: readonly Row[], firstRow = 0): void {
    if (rows.length > 0) this.pieces.push(this.buildStruct(rows, firstRow))
  }

  /** Rows appended since the last takeBatch. */
  get appendedRows(): number {
    return this.pieces.reduce((n, p) => n + p.length, 0)
  }

  /** The rows appended since the last call, as one RecordBatch (byte for byte what `build` of them all gives). */
  takeBatch(): RecordBatch {
    const pieces = this.pieces
    this.pieces = []
    if (pieces.length === 0) return this.build([])
    return new RecordBatch(this.schema, concatData(this.structType, pieces) as Data<Struct>)
  }

  private buildStruct(rows: readonly Row[], firstRow: number): Data<Struct> {
    try {
      const declared = new Set(this.fields.map((f) => f.name))
      for (let r = 0; r < rows.length; r++) {
        const row = rows[r]!
        for (const key of Object.keys(row)) {
          if (!declared.has(key)) throw this.error(firstRow + r, [key], `"${key}" is not a declared column (declared: ${[...declared].join(', ')})`)
        }
      }
      const children = this.fields.map((spec, c) => {
        const column = rows.map((row) => row[spec.name])
        return buildData(spec.type, this.structType.children[c]!.type, column, spec.nullable === true)
      })
      return makeData({ type: this.structType, length: rows.length, nullCount: 0, children })
    } catch (err) {
      if (!(err instanceof BadValue)) throw err
      for (let r = 0; r < rows.length; r++) {
        for (const spec of this.fields) {
          const bad = findMismatch(spec.type, rows[r]![spec.name], spec.nullable === true, [spec.name])
          if (bad) throw this.error(firstRow + r, bad[0], bad[1])
        }
      }
      throw err // unreachable: the slow walk accepts exactly what the fast path accepts
    }
  }

  private error(row: number, path: JsonPath, detail: string): PixcapError {
    return new PixcapError('schema', this.label, ['rows', row, ...path], detail)
  }
}

/** Convenience: the Arrow type of a FieldType (re-exported for writers that need child types). */

