// A batch assembled from pieces (ArrowBatchBuilder.append / takeBatch, arrow-concat.ts) must be the batch built at
// once, byte for byte: the .arrow and Parquet files must not depend on how the rows were pieced together.
import { Table, tableToIPC } from 'apache-arrow'
import { describe, expect, it } from 'vitest'
import { t, type FieldSpec } from '../../../src/records/field-spec.js'
import { ArrowBatchBuilder } from '../../../src/io/corpus/arrow-batch.js'
import { PixcapError } from '../../../src/errors.js'
import { toPlain } from '../../helpers/readback.js'

// Every type toArrowType makes, nullable and not, nested, with nulls that fall inside and across byte boundaries.
const FIELDS: FieldSpec[] = [
  t.field('id', t.string()),
  t.field('n', t.int32()),
  t.field('big', t.int64()),
  t.field('x', t.float64()),
  t.field('f', t.float32(), true),
  t.field('flag', t.bool()),
  t.field('maybe', t.bool(), true),
  t.field('tags', t.list(t.string())),
  t.field('boxes', t.list(t.list(t.float32()))),
  t.field('turns', t.list(t.struct([t.field('from', t.string()), t.field('value', t.string())]))),
  t.field('meta', t.struct([t.field('k', t.string()), t.field('v', t.int32(), true)]), true),
  t.field('note', t.string(), true),
  t.field('image', t.image(), true),
]

const row = (i: number) => ({
  id: i % 7 === 0 ? `r${i} café ${'中'.repeat(i % 3)}` : `r${i}`,
  n: i - 5,
  big: 2 ** 40 + i,
  x: i / 3,
  f: i % 5 === 0 ? null : i / 7,
  flag: i % 3 === 0,
  maybe: i % 4 === 0 ? null : i % 2 === 0,
  tags: Array.from({ length: i % 3 }, (_, k) => `t${k}`),
  boxes: Array.from({ length: i % 4 }, (_, k) => [k, k + 0.5, i, i + 0.25]),
  turns: [{ from: 'human', value: `q${i}` }, ...(i % 2 ? [{ from: 'gpt', value: `a${i} ${'x'.repeat(i % 11)}` }] : [])],
  meta: i % 6 === 0 ? null : { k: `k${i}`, v: i % 9 === 0 ? null : i },
  note: i % 2 ? null : `n${i}`,
  image: i % 3 === 0 ? null : { bytes: i % 5 === 0 ? null : new Uint8Array([i & 255, 1, 2]), path: `img${i}.png` },
})

const ipc = (b: ReturnType<ArrowBatchBuilder['build']>): Buffer => Buffer.from(tableToIPC(new Table(b.schema, [b]), 'stream'))

describe('ArrowBatchBuilder.append + takeBatch (arrow-concat.ts)', () => {
  it.each([
    ['100-row pieces', [100, 100, 100, 100, 100, 100, 100, 100, 100, 100]],
    ['uneven pieces across bitmap bytes', [3, 1, 17, 0, 250, 9, 720]],
    ['one piece', [1000]],
    ['one-row pieces', Array.from({ length: 40 }, () => 1)],
  ])('gives the bytes of the batch built at once, with %s', (_name, sizes) => {
    const total = sizes.reduce((a, b) => a + b, 0)
    const rows = Array.from({ length: total }, (_, i) => row(i))
    const builder = new ArrowBatchBuilder(FIELDS)
    let at = 0
    for (const n of sizes) {
      builder.append(rows.slice(at, at + n), at)
      at += n
    }
    expect(builder.appendedRows).toBe(total)
    const pieced = builder.takeBatch()
    expect(builder.appendedRows).toBe(0)
    expect(pieced.numRows).toBe(total)
    expect(ipc(pieced)).toEqual(ipc(new ArrowBatchBuilder(FIELDS).build(rows)))
    expect(toPlain(pieced.get(total - 1)!.toJSON())).toEqual(toPlain(new ArrowBatchBuilder(FIELDS).build(rows).get(total - 1)!.toJSON()))
  })

  it('starts a new batch after each takeBatch, and gives an empty batch when nothing was appended', () => {
    const builder = new ArrowBatchBuilder(FIELDS)
    builder.append([row(0), row(1)], 0)
    expect(builder.takeBatch().numRows).toBe(2)
    builder.append([row(2)], 2)
    expect(ipc(builder.takeBatch())).toEqual(ipc(new ArrowBatchBuilder(FIELDS).build([row(2)])))
    expect(builder.takeBatch().numRows).toBe(0)
  })

  it('names the row of a bad value by its index in the whole output', () => {
    const builder = new ArrowBatchBuilder(FIELDS, 'out/train rows')
    builder.append([row(0), row(1)], 0)
    const bad = { ...row(2), n: 'three' }
    expect(() => builder.append([row(2), bad], 2)).toThrow(PixcapError)
    expect(() => builder.append([row(2), bad], 2)).toThrow('rows[3].n: expected int32, got string')
  })
})
