import { describe, expect, it } from 'vitest'
import { ImageTable, type ImageEntry } from '../../../src/sources/pix2cap/image-table.js'
import { createRng } from '../../../src/util/rng.js'

// The compact table must answer exactly what the Map of objects it replaced answered: checked against a Map on ids
// that collide in the low bits, exceed 2^32 and are negative, through several rehashes and pool growths.
describe('ImageTable', () => {
  it('agrees with a Map on lookups, duplicates, annotations and order, across growth', () => {
    const rng = createRng(7)
    const table = new ImageTable()
    const map = new Map<number, ImageEntry>()
    const ids: number[] = []
    for (let i = 0; i < 5000; i++) {
      const kind = i % 4
      const id = kind === 0 ? i * 4096 : kind === 1 ? 2 ** 40 + i : kind === 2 ? -i : Math.floor(rng.next() * 1e6)
      const entry: ImageEntry = { index: i, imagePath: kind === 3 ? `sub/ïmage ${i}.jpg` : `${String(id).padStart(12, '0')}.jpg`, width: 640 + i, height: 2 ** 40 + i }
      const added = table.add(id, entry)
      expect(added).toBe(!map.has(id))
      if (added) {
        map.set(id, entry)
        ids.push(id)
      }
    }
    expect(table.size).toBe(map.size)
    for (const [id, entry] of map) expect(table.get(id)).toEqual(entry)
    expect(table.get(123.5)).toBeUndefined()
    expect(table.get(2 ** 41)).toBeUndefined()
    // Annotations: join every third image, then the unjoined ones come back in insertion order.
    ids.forEach((id, k) => {
      expect(table.annotationOf(id)).toBeUndefined()
      if (k % 3 === 0) table.setAnnotation(id, k * 10)
    })
    ids.forEach((id, k) => expect(table.annotationOf(id)).toBe(k % 3 === 0 ? k * 10 : undefined))
    const expected = ids.filter((_, k) => k % 3 !== 0).map((id) => ({ id, index: map.get(id)!.index }))
    expect([...table.withoutAnnotation()]).toEqual(expected)
    expect(() => table.setAnnotation(2 ** 41, 0)).toThrow(/no image/)
  })

  it('keeps the first entry of a repeated id', () => {
    const table = new ImageTable()
    expect(table.add(9, { index: 0, imagePath: 'a.jpg', width: 1, height: 2 })).toBe(true)
    expect(table.add(9, { index: 1, imagePath: 'b.jpg', width: 3, height: 4 })).toBe(false)
    expect(table.get(9)).toEqual({ index: 0, imagePath: 'a.jpg', width: 1, height: 2 })
    expect(table.size).toBe(1)
  })
})
