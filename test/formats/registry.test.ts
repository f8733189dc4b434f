import { describe, expect, it } from 'vitest'
import { loadTemplates } from '../../src/instruct/load-templates.js'
import { FORMATS } from '../../src/formats/registry.js'
import type { FieldType } from '../../src/records/field-spec.js'
import { rleEncode } from '../../src/geometry/coco-rle.js'

const templates = (await loadTemplates()).templates
// A 20x20 square mask at (10, 10): formats that carry masks (osprey, vip-llava mask contours) need one.
const mask = new Uint8Array(100 * 100)
for (let y = 10; y < 30; y++) for (let x = 10; x < 30; x++) mask[y * 100 + x] = 1
const image = {
  source: 'test',
  split: 'val',
  imageId: 1,
  imagePath: '1.jpg',
  width: 100,
  height: 100,
  regions: [{ regionId: '1:1', segmentId: 1, categoryId: 1, category: 'person', isThing: true, isCrowd: false, bbox: [10, 10, 20, 20] as [number, number, number, number], area: 400, captions: ['a person'], maskRle: rleEncode(mask, 100, 100) }],
}

/** The zod type a declared FieldType should accept, to compare declaration and schema on a real row. */
function conforms(value: unknown, type: FieldType): boolean {
  switch (type.kind) {
    case 'string':
      return typeof value === 'string'
    case 'int32':
    case 'int64':
      return Number.isInteger(value)
    case 'float32':
    case 'float64':
      return typeof value === 'number'
    case 'bool':
      return typeof value === 'boolean'
    case 'list':
      return Array.isArray(value) && value.every((v) => conforms(v, type.item))
    case 'struct':
      return (
        typeof value === 'object' &&
        value !== null &&
        Object.keys(value).sort().join() === type.fields.map((f) => f.name).sort().join() &&
        type.fields.every((f) => conforms((value as Record<string, unknown>)[f.name], f.type))
      )
    case 'image':
      return false
  }
}

describe('FORMATS registry', () => {
  it('declares each format under its own name', () => {
    for (const [key, format] of Object.entries(FORMATS)) expect(format.name).toBe(key)
    expect(Object.keys(FORMATS).sort()).toEqual(['densecoco', 'gpt4roi', 'llava', 'osprey', 'qwen-vl', 'sharegpt', 'vgdata', 'vip-llava'])
  })

  it.each(Object.values(FORMATS).filter((f) => f.kind === 'rows'))('$name: rows match both the zod schema and the declared fields', (format) => {
    if (format.kind !== 'rows') return
    const { rows } = format.fromImage(image, { seed: 1, templates, maxRegions: 15, split: 'val', options: {} })
    expect(rows.length).toBeGreaterThan(0)
    for (const row of rows) {
      expect(format.schema.parse(row)).toEqual(row)
      expect(Object.keys(row as object)).toEqual(format.fields.map((f) => f.name))
      for (const f of format.fields) expect(conforms((row as Record<string, unknown>)[f.name], f.type), f.name).toBe(true)
    }
  })

  it.each(Object.values(FORMATS))('$name: options default from {} and refuse unknown keys with a path', (format) => {
    expect(() => format.options.parse({})).not.toThrow()
    expect(format.options.safeParse({ nonsense: 1 }).success).toBe(false)
  })

  it('names the bad option of a row format', () => {
    const ctx = { seed: 1, templates, maxRegions: 15, split: 'val', options: { task: 'poetry' } }
    expect(() => FORMATS.gpt4roi.fromImage(image, ctx)).toThrow(/^gpt4roi options: task: /)
  })

  it('keeps nested column types real', () => {
    const byName = Object.fromEntries(FORMATS.gpt4roi.fields.map((f) => [f.name, f.type]))
    expect(byName.boxes).toEqual({ kind: 'list', item: { kind: 'list', item: { kind: 'float32' } } })
    expect(byName.conversations).toEqual({
      kind: 'list',
      item: { kind: 'struct', fields: [expect.objectContaining({ name: 'from' }), expect.objectContaining({ name: 'value' })] },
    })
    expect(byName.regions?.kind).toBe('list')
  })
})
