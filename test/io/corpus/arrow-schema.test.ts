import { describe, expect, it } from 'vitest'
import { t, type FieldSpec } from '../../../src/records/field-spec.js'
import { hfMetadataValue, toArrowSchema, toHfFeatures } from '../../../src/io/corpus/arrow-schema.js'

// The schema of the measured writers (reference/ecosystem.md §2/§3), with an Image column.
const FIELDS: FieldSpec[] = [
  t.field('id', t.string()),
  t.field('width', t.int32()),
  t.field('conversations', t.list(t.struct([t.field('from', t.string()), t.field('value', t.string())]))),
  t.field('boxes', t.list(t.list(t.float32()))),
  t.field('categories', t.list(t.string())),
]

describe('toHfFeatures', () => {
  it('matches the features JSON datasets 5.0.1 writes for this schema (reference/ecosystem.md §3)', () => {
    // Verbatim from ecosystem.md §3 ("The features JSON for our schema").
    const golden = JSON.parse(
      '{"id":{"dtype":"string","_type":"Value"},"width":{"dtype":"int32","_type":"Value"},' +
        '"conversations":{"feature":{"from":{"dtype":"string","_type":"Value"},"value":{"dtype":"string","_type":"Value"}},"_type":"List"},' +
        '"boxes":{"feature":{"feature":{"dtype":"float32","_type":"Value"},"_type":"List"},"_type":"List"},' +
        '"categories":{"feature":{"dtype":"string","_type":"Value"},"_type":"List"}}',
    ) as unknown
    expect(toHfFeatures(FIELDS)).toEqual(golden)
  })

  it('declares images as the Image feature and structs as plain dicts', () => {
    expect(toHfFeatures([t.field('image', t.image()), t.field('meta', t.struct([t.field('n', t.int64()), t.field('ok', t.bool())]))])).toEqual({
      image: { _type: 'Image' },
      meta: { n: { dtype: 'int64', _type: 'Value' }, ok: { dtype: 'bool', _type: 'Value' } },
    })
  })
})

describe('toArrowSchema', () => {
  it('builds real nested types, all nullable as datasets declares them, with the huggingface metadata', () => {
    const schema = toArrowSchema([...FIELDS, t.field('image', t.image())])
    expect(schema.fields.map((f) => `${f.name}: ${String(f.type)}`)).toEqual([
      'id: Utf8',
      'width: Int32',
      'conversations: List<Struct<{from:Utf8, value:Utf8}>>',
      'boxes: List<List<Float32>>',
      'categories: List<Utf8>',
      'image: Struct<{bytes:Binary, path:Utf8}>',
    ])
    expect(schema.fields.every((f) => f.nullable)).toBe(true)
    expect(schema.metadata.get('huggingface')).toBe(hfMetadataValue([...FIELDS, t.field('image', t.image())]))
    expect(JSON.parse(schema.metadata.get('huggingface')!)).toEqual({ info: { features: toHfFeatures([...FIELDS, t.field('image', t.image())]) } })
  })

  it('rejects duplicate column names, also inside structs', () => {
    expect(() => toArrowSchema([t.field('id', t.string()), t.field('id', t.int32())])).toThrow('field spec id: declared twice')
    expect(() => toArrowSchema([t.field('c', t.list(t.struct([t.field('a', t.string()), t.field('a', t.string())])))])).toThrow('field spec c.a: declared twice')
  })
})
