// Streams a COCO-shaped JSON document `{...head, "images": [...], "annotations": [...], ...tail}` without holding
// it in memory: images go straight to the destination, annotations to a side file that is appended afterwards, so
// both lists come out in the same order (GPT4RoI's DENSECOCO loader zips them by position, gpt4roi.md §10). Both
// files are written atomically (src/util/atomic-write.ts); a failure leaves only `*.incomplete` files behind.
import { createReadStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import { openAtomic, type AtomicFileHandle } from '../util/atomic-write.js'

/** What a document builder emits, in order. */
export interface CocoDocumentSink {
  image(entry: unknown): Promise<void>
  annotation(entry: unknown): Promise<void>
}

/** Buffers small JSON writes into ~1 MiB chunks (one syscall per chunk, not per object). */
class ListWriter {
  private buf = ''
  private first = true
  constructor(private readonly out: AtomicFileHandle) {}
  async item(value: unknown): Promise<void> {
    this.buf += (this.first ? '' : ',') + JSON.stringify(value)
    this.first = false
    if (this.buf.length >= 1 << 20) await this.flush()
  }
  async raw(text: string): Promise<void> {
    this.buf += text
  }
  async flush(): Promise<void> {
    if (this.buf === '') return
    await this.out.write(this.buf)
    this.buf = ''
  }
}

/**
 * Writes the document to `dest`: `head` keys first, then images and annotations as `build` emits them, then the
 * keys `tail()` returns (computed after the stream, e.g. the categories seen).
 */
export async function writeCocoDocument(
  dest: string,
  head: Record<string, unknown>,
  build: (sink: CocoDocumentSink) => Promise<void>,
  tail: () => Record<string, unknown>,
): Promise<void> {
  const out = await openAtomic(dest)
  const side = await openAtomic(`${dest}.annotations.incomplete`)
  const sidePath = side.tmpPath
  try {
    const images = new ListWriter(out)
    const annotations = new ListWriter(side)
    let prefix = '{'
    for (const [k, v] of Object.entries(head)) prefix += `${JSON.stringify(k)}:${JSON.stringify(v)},`
    await images.raw(`${prefix}"images":[`)
    await build({ image: (e) => images.item(e), annotation: (e) => annotations.item(e) })
    await annotations.flush()
    await images.raw('],"annotations":[')
    await images.flush()
    // Close the side file under its .incomplete name, then append its bytes to the document.
    await side.commit()
    for await (const chunk of createReadStream(`${dest}.annotations.incomplete`, { highWaterMark: 1 << 20 })) await out.write(chunk as Buffer)
    let suffix = ']'
    for (const [k, v] of Object.entries(tail())) suffix += `,${JSON.stringify(k)}:${JSON.stringify(v)}`
    await images.raw(`${suffix}}`)
    await images.flush()
    await out.commit()
  } catch (err) {
    await out.abort()
    await side.abort()
    throw err
  } finally {
    await rm(`${dest}.annotations.incomplete`, { force: true })
    await rm(sidePath, { force: true })
  }
}
