// The per-image loop of a row-format conversion: each image (once per epoch) -> the format's rows and rejects, drawn
// visual prompts, embedded image bytes, and the corpus sink. Split out of convert-dataset.ts (setup, clean-up and the
// manifest), which had grown past 450 lines.
import type { FormatContext, RowFormat } from '../formats/target-format.js'
import { conversationRows } from '../formats/image-conversation.js'
import type { Row } from '../io/corpus/arrow-batch.js'
import { writeRender } from '../io/png/draw-prompts.js'
import type { RowSink } from '../io/corpus/row-sink.js'
import type { ManifestFile } from '../io/corpus/manifest.js'
import type { ImageRecord } from '../records/region-record.js'
import type { RejectRecord } from '../records/reject.js'
import { embedImages } from './embed-images.js'

/** Running totals of {@link writeRowImages}, updated in place as images go by. */
export interface RowImageCounts {
  imagesDone: number
  regionsInSamples: number
  conversationsInSamples: number
  samples: number
}

/** Where the rows go and what they need. */
export interface RowImagesTarget {
  format: RowFormat
  /** One context per epoch (epoch 0 first). */
  epochCtx: readonly FormatContext[]
  sink: RowSink
  onReject: (r: RejectRecord) => Promise<void>
  /** Folder of the source images: visual prompts are drawn on them, and `embed` reads them. */
  imagesDir?: string
  outDir: string
  /** Put each row's image bytes in the row; `where` names the annotations file in errors. */
  embed?: { where: string }
  /** Drawn images, as manifest entries and as paths to remove on failure. */
  files: ManifestFile[]
  renderedFiles: string[]
}

/** Images between progress reports. */
const PROGRESS_EVERY_IMAGES = 256

/** Writes every image's rows to the sink; yields after each {@link PROGRESS_EVERY_IMAGES} images. */
export async function* writeRowImages(images: AsyncIterable<ImageRecord>, t: RowImagesTarget, counts: RowImageCounts): AsyncGenerator<void> {
  for await (const image of images) {
    for (let epoch = 0; epoch < t.epochCtx.length; epoch++) {
      const ectx = t.epochCtx[epoch]!
      const result = t.format.fromImage(image, ectx)
      const talk = conversationRows(t.format, image, ectx)
      // Every draw sees the same regions and rejects the same ones: count them once.
      if (epoch === 0) {
        counts.regionsInSamples += image.regions.length - result.rejects.length
        counts.conversationsInSamples += talk.rows.length
        for (const r of result.rejects) await t.onReject(r)
        for (const r of talk.rejects) await t.onReject(r)
      }
      for (const render of result.renders ?? []) {
        const drawn = await writeRender(render, t.imagesDir!, t.outDir)
        t.renderedFiles.push(drawn.file)
        t.files.push({ ...drawn, kind: 'image', rows: 0 })
      }
      let rows = (talk.rows.length === 0 ? result.rows : [...result.rows, ...talk.rows]) as Row[]
      if (t.embed) rows = await embedImages(rows, t.imagesDir!, t.embed.where)
      await t.sink.write(rows)
      counts.samples += rows.length
    }
    counts.imagesDone++
    if (counts.imagesDone % PROGRESS_EVERY_IMAGES === 0) yield
  }
}
