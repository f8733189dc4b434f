import { describe, expect, it } from 'vitest'
import { t, type FieldSpec } from '../../../src/records/field-spec.js'
import { ArrowBatchBuilder } from '../../../src/io/corpus/arrow-batch.js'
import { toPlain } from '../../helpers/readback.js'

const FIELDS: FieldSpec[] = [
  t.field('id', t.string()),
  t.field('n', t.int32()),
  t.field('big', t.int64()),
  t.field('x', t.float64()),
  t.field('flag', t.bool()),
  t.field('tags', t.list(t.string())),
  t.field('turns', t.list(t.struct([t.field('from', t.string()), t.field('value', t.string())]))),
  t.field('note', t.string(), true),
  t.field('image', t.image(), true),
]

const row = (i: number) => ({
  id: `r${i} é`,
  n: i - 5,
  big: 2 ** 40 + i,
  x: i / 3,
  flag: i % 2 === 0,
  tags: Array.from({ length: i % 3 }, (_, k) => `t${k}`),
  turns: [{ from: 'human', value: `q${i}` }],
  note: i % 2 ? null : `n${i}`,
  image: i % 3 === 0 ? null : { bytes: new Uint8Array([i, 1, 2]), path: `img${i}.png` },
})

describe('ArrowBatchBuilder', () => {
  it.each([
    ['all ASCII (one native encode)', ['plain', '', null, 'text with <bbox> and "quotes"\n']],
    ['non-ASCII (string by string)', ['café', null, '\ud83d', '\ude00', 'x\u{1F600}', '中']],
  ])('encodes a %s string column exactly as TextEncoder does, string by string', (_name, values) => {
    const b = new ArrowBatchBuilder([t.field('s', t.string(), true)])
    const data = b.build(values.map((s) => ({ s }))).getChildAt(0)!.data[0]!
    const enc = new TextEncoder()
    const parts = values.map((v) => enc.encode(v ?? ''))
    expect(Array.from(data.valueOffsets)).toEqual(parts.reduce((o, p) => [...o, o[o.length - 1]! + p.length], [0]))
    expect(Buffer.from(data.values.subarray(0, data.valueOffsets[values.length]))).toEqual(Buffer.concat(parts))
  })

  it('builds a batch whose values read back as the rows (nulls where declared)', () => {
    const rows = Array.from({ length: 11 }, (_, i) => row(i))
    const batch = new ArrowBatchBuilder(FIELDS).build(rows)
    expect(batch.numRows).toBe(11)
    const back = batch.toArray().map((r) => toPlain(r.toJSON()) as Record<string, unknown>)
    expect(back.map((r) => ({ ...r, big: Number(r.big as bigint) }))).toEqual(rows)
  })

  it.each([
    ['a wrong leaf type', (r: Record<string, unknown>) => ((r.turns as { value: unknown }[])[0]!.value = 3), 'rows[4].turns[0].value: expected string, got number'],
    ['a null where not nullable', (r: Record<string, unknown>) => (r.id = null), 'rows[4].id: expected string, got null (the field is not nullable)'],
    ['a missing column', (r: Record<string, unknown>) => delete r.flag, 'rows[4].flag: expected bool, got nothing (the key is missing)'],
    ['a float for int32', (r: Record<string, unknown>) => (r.n = 1.5), 'rows[4].n: expected int32, got 1.5'],
    ['a null list item', (r: Record<string, unknown>) => (r.tags = ['a', null]), 'rows[4].tags[1]: expected string, got null (the field is not nullable)'],
    ['a string for image bytes', (r: Record<string, unknown>) => (r.image = { bytes: 'x', path: 'p' }), 'rows[4].image.bytes: expected bytes (Uint8Array), got string'],
    ['an undeclared column', (r: Record<string, unknown>) => (r.extra = 1), 'rows[4].extra: "extra" is not a declared column'],
  ])('names the row and path of %s', (_name, mutate, message) => {
    const rows: Record<string, unknown>[] = Array.from({ length: 6 }, (_, i) => row(i))
    mutate(rows[4]!)
    expect(() => new ArrowBatchBuilder(FIELDS, 'out.parquet').build(rows)).toThrow(`out.parquet: ${message}`)
  })

  it('offsets row numbers by the batch position', () => {
    const rows = [row(0), { ...row(1), n: 'x' }]
    expect(() => new ArrowBatchBuilder(FIELDS, 'f').build(rows, 1000)).toThrow('f: rows[1001].n: expected int32, got string')
  })
})
