// Joins Arrow Data pieces of one type end to end into one Data, as if the rows had been built at once: the same
// buffers, bit for bit, so the IPC and Parquet bytes of a batch do not depend on how it was pieced together.
//
// Why pieces: ArrowBatchBuilder's callers hold a batch's row objects until the batch is built, and 1,000 rows of
// conversations outlive a young-generation collection or two, so V8 promotes them (~100 MB over the 167k-region bench
// conversion, and old-space collections after). Built 100 rows at a time, the rows die young (docs/speed.md).
//
// Covers the types toArrowType makes (arrow-schema.ts): Utf8, Binary, Bool, Int32, Int64, Float32, Float64, List and
// Struct; pieces must start at offset 0 (ArrowBatchBuilder's do).
import { DataType, makeData, type Data } from 'apache-arrow'

/** The pieces' bits (LSB first) end to end; `bitsOf` gives a piece's packed bits, or undefined for all set. */
function joinPackedBits(pieces: readonly Data[], length: number, bitsOf: (p: Data) => Uint8Array | undefined): Uint8Array {
  const bits = new Uint8Array(Math.ceil(length / 8))
  let at = 0
  for (const p of pieces) {
    const own = bitsOf(p)
    for (let i = 0; i < p.length; i++, at++) {
      if (own === undefined || (own[i >> 3]! >> (i & 7)) & 1) bits[at >> 3]! |= 1 << (at & 7)
    }
  }
  return bits
}

/** Validity of the joined Data: undefined when nothing is null (the builder's convention), else LSB-first bits. */
function joinValidity(pieces: readonly Data[], length: number): Uint8Array | undefined {
  if (pieces.every((p) => p.nullCount === 0)) return undefined
  return joinPackedBits(pieces, length, (p) => (p.nullCount === 0 ? undefined : p.nullBitmap))
}

/** The first `count` elements of each piece's typed array, end to end, in a new array of the same kind. */
function joinArrays<T extends Int32Array | BigInt64Array | Float32Array | Float64Array | Uint8Array>(arrays: readonly T[], counts: readonly number[]): T {
  const total = counts.reduce((a, b) => a + b, 0)
  const out = new (arrays[0]!.constructor as new (n: number) => T)(total)
  let at = 0
  arrays.forEach((a, i) => {
    out.set(a.subarray(0, counts[i]) as never, at)
    at += counts[i]!
  })
  return out
}

/** Offsets of the pieces end to end, each piece's shifted by the value count before it; and that total count. */
function joinOffsets(pieces: readonly Data[], length: number): { valueOffsets: Int32Array; values: number } {
  const valueOffsets = new Int32Array(length + 1)
  let row = 0
  let base = 0
  for (const p of pieces) {
    const own = p.valueOffsets as Int32Array
    for (let i = 1; i <= p.length; i++) valueOffsets[row + i] = base + own[i]!
    row += p.length
    base += own[p.length]!
  }
  return { valueOffsets, values: base }
}

/** One Data holding the rows of `pieces` in order; every piece has `type` (the same DataType instance or an equal one). */
export function concatData(type: DataType, pieces: readonly Data[]): Data {
  if (pieces.length === 1) return pieces[0]!
  for (const p of pieces) if (p.offset !== 0) throw new RangeError('concatData: pieces must start at offset 0')
  const length = pieces.reduce((n, p) => n + p.length, 0)
  const nullCount = pieces.reduce((n, p) => n + p.nullCount, 0)
  const nullBitmap = joinValidity(pieces, length)
  const common = { type, length, nullCount, nullBitmap }
  const mk = (props: Record<string, unknown>): Data => makeData({ ...common, ...props } as never)
  if (DataType.isUtf8(type) || DataType.isBinary(type)) {
    const { valueOffsets } = joinOffsets(pieces, length)
    const data = joinArrays(
      pieces.map((p) => p.values as Uint8Array),
      pieces.map((p) => (p.valueOffsets as Int32Array)[p.length]!),
    )
    return mk({ valueOffsets, data })
  }
  if (DataType.isBool(type)) return mk({ data: joinPackedBits(pieces, length, (p) => p.values as Uint8Array) })
  if (DataType.isInt(type) || DataType.isFloat(type)) {
    return mk({ data: joinArrays(pieces.map((p) => p.values as Int32Array), pieces.map((p) => p.length)) })
  }
  if (DataType.isList(type)) {
    const { valueOffsets } = joinOffsets(pieces, length)
    const childType = type.children[0]!.type
    return mk({ valueOffsets, child: concatData(childType, pieces.map((p) => p.children[0]!)) })
  }
  if (DataType.isStruct(type)) {
    return mk({ children: type.children.map((field, c) => concatData(field.type, pieces.map((p) => p.children[c]!))) })
  }
  throw new TypeError(`concatData: no rule for Arrow type ${String(type)}`)
}
