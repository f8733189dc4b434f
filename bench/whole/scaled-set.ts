// Pix2Cap-format files of any size for the memory rows, made by cycling through a base file's annotations (the
// synthetic set of bench/synth.ts): cycle k shifts every image id by k * shift, where shift is the first power of ten
// above the base's largest id (so ids stay unique, and the 1,000-image PNG subset can be cycled to 5M regions within
// int32 ids), and keeps each annotation's file_name, so a set built from the PNG subset reuses its PNGs (every mask
// check still passes: the PNG and its segments are unchanged). Written as a stream; only the base file is held in
// memory.
import { createWriteStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { once } from 'node:events'
import { finished } from 'node:stream/promises'

interface BaseDoc {
  images: { id: number }[]
  annotations: { image_id: number; segments_info: unknown[] }[]
  categories: unknown[]
  [key: string]: unknown
}

/** Writes `out` with at least `regions` segments (whole annotations); returns the images and segments written. */
export async function writeScaledSet(base: string, out: string, regions: number): Promise<{ images: number; regions: number }> {
  const doc = JSON.parse(await readFile(base, 'utf8')) as BaseDoc
  const imageById = new Map(doc.images.map((im) => [im.id, im]))
  const shift = 10 ** Math.ceil(Math.log10(Math.max(...doc.images.map((im) => im.id)) + 1))
  const picks: { ann: BaseDoc['annotations'][number]; shift: number }[] = []
  let n = 0
  for (let k = 0; n < regions; k++) {
    for (const ann of doc.annotations) {
      if (n >= regions) break
      picks.push({ ann, shift: k * shift })
      n += ann.segments_info.length
    }
    if (k * shift > 2 ** 31 - 2 * shift) throw new Error(`scaled set: ${regions} regions need too many cycles of ${base}`)
  }
  const stream = createWriteStream(out)
  const write = async (s: string): Promise<void> => {
    if (!stream.write(s)) await once(stream, 'drain')
  }
  await write('{"images":[')
  for (let i = 0; i < picks.length; i++) {
    const { ann, shift } = picks[i]!
    await write(`${i > 0 ? ',' : ''}${JSON.stringify({ ...imageById.get(ann.image_id), id: ann.image_id + shift })}`)
  }
  await write('],"annotations":[')
  for (let i = 0; i < picks.length; i++) {
    const { ann, shift } = picks[i]!
    await write(`${i > 0 ? ',' : ''}${JSON.stringify({ ...ann, image_id: ann.image_id + shift })}`)
  }
  await write(`],"categories":${JSON.stringify(doc.categories)}}`)
  stream.end()
  await finished(stream)
  return { images: picks.length, regions: n }
}
