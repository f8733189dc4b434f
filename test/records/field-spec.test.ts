import { z } from 'zod'
import { describe, expect, it } from 'vitest'
import { columnTypes, fieldsOf, t } from '../../src/records/field-spec.js'
import { FORMATS } from '../../src/formats/registry.js'
import type { TargetFormat } from '../../src/formats/target-format.js'

describe('fieldsOf: columns from a row schema', () => {
  it('maps zod types to column types (int32 for integers, float32 else, unless registered)', () => {
    const Row = z.object({
      id: z.string(),
      kind: z.enum(['a', 'b']),
      ok: z.boolean(),
      n: z.number().int(),
      x: z.number(),
      area: z.number().register(columnTypes, { type: t.float64() }),
      note: z.string().nullable(),
      boxes: z.array(z.array(z.number()).length(4)),
      turns: z.array(z.object({ from: z.string(), value: z.string() })),
    })
    expect(fieldsOf(Row)).toEqual([
      t.field('id', t.string()),
      t.field('kind', t.string()),
      t.field('ok', t.bool()),
      t.field('n', t.int32()),
      t.field('x', t.float32()),
      t.field('area', t.float64()),
      t.field('note', t.string(), true),
      t.field('boxes', t.list(t.list(t.float32()))),
      t.field('turns', t.list(t.struct([t.field('from', t.string()), t.field('value', t.string())]))),
    ])
  })

  it('refuses a type it cannot map, naming the path', () => {
    expect(() => fieldsOf(z.object({ regions: z.array(z.object({ extra: z.record(z.string(), z.number()) })) }))).toThrow(
      'fieldsOf: regions[].extra: no column type for a record schema; register one in columnTypes',
    )
  })

  it('row formats declare their columns through their schema (gpt4roi column order; osprey area stays float64)', () => {
    const osprey = FORMATS.osprey as TargetFormat
    const annotation = osprey.kind === 'rows' ? osprey.fields.find((f) => f.name === 'annotation') : undefined
    expect(annotation?.type).toMatchObject({ kind: 'list', item: { kind: 'struct', fields: expect.arrayContaining([t.field('area', t.float64())]) } })
    expect(FORMATS.gpt4roi.fields.map((f) => `${f.name}:${f.type.kind}`)).toEqual([
      'id:string', 'image:string', 'image_id:string', 'width:int32', 'height:int32', 'conversations:list', 'boxes:list', 'regions:list',
      'template_ids:list', 'source:string', 'split:string', 'masks:list',
    ])
  })
})
