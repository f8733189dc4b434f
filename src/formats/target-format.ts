// A target format is a declared variant (STYLE.md §7): writers read its declaration (row schema, column types,
// sidecar files) and never switch on its name. Every format is built from the same canonical ImageRecord stream.
//
// Two shapes:
// - RowFormat: one or more rows per image (gpt4roi, llava, sharegpt, qwen-vl); the writers shard them into
//   Parquet / Arrow / JSONL using `fields` for the column types.
// - DocumentFormat: one JSON document per split (densecoco, vgdata); the format streams it to disk itself,
//   atomically (src/util/atomic-write.ts openAtomic), never as one giant string.
import type { z } from 'zod'
import type { ImageRender } from '../geometry/prompt-shapes.js'

export type { ImageRender } from '../geometry/prompt-shapes.js'
import type { ImageConversation, ImageRecord } from '../records/region-record.js'
import type { RejectRecord } from '../records/reject.js'
import type { TemplateSet } from '../instruct/template-set.js'
import type { FieldSpec } from '../records/field-spec.js'

/** What every format gets besides the image. */
export interface FormatContext {
  /**
   * Base seed. Formats derive one random stream per image, deriveSeed(seed, String(imageId)), rather than sharing
   * one rng across images: the samples of an image then do not depend on which shard or worker built them.
   */
  seed: number
  templates: TemplateSet
  /** Regions per sample (GPT4RoI: 15). */
  maxRegions: number
  /** Split name written into rows, e.g. `train`. */
  split: string
  /** Format-specific options, validated by the format's own `options` schema (unknown keys are an error). */
  options: Record<string, unknown>
  /**
   * Prefix for image paths written into rows (`--image-root`): a folder the trainer resolves against (LLaVA's
   * image_folder, LLaMA-Factory's media_dir) or an absolute path. Absent: paths stay relative to the images root.
   */
  imageRoot?: string
  /** Which draw this is when the corpus holds several epochs (`--epochs`); 0 by default. */
  epoch?: number
}

/** The image path a row should carry: `imageRoot/imagePath` (POSIX join) when a root is declared. */
export function imageRef(ctx: Pick<FormatContext, 'imageRoot'>, imagePath: string): string {
  if (ctx.imageRoot === undefined || ctx.imageRoot === '') return imagePath
  return `${ctx.imageRoot.replace(/\/+$/, '')}/${imagePath}`
}

/** Rows built from one image, and the regions that could not be used (each with a reason; nothing is dropped silently). */
export interface FormatResult<Row> {
  rows: Row[]
  rejects: RejectRecord[]
  /** New images the rows reference (visual prompts drawn on the source image); io/ renders them, formats never touch pixels. */
  renders?: ImageRender[]
}

/** What a format needs besides the annotations, given its parsed options. */
export interface FormatNeeds {
  /** Each region's COCO RLE from the panoptic PNG (needs --panoptic-dir). */
  masks?: boolean
  /** Source image pixels (needs --images-dir). */
  images?: boolean
}

/** What writers know about a finished corpus, for formats that emit extra files (e.g. LLaMA-Factory's dataset_info.json). */
export interface CorpusSummary {
  /** Dataset name, e.g. `pix2cap_coco`. */
  name: string
  /** Per split: its row count and its data files, relative to the corpus root. */
  splits: { split: string; rows: number; files: string[] }[]
}

/** An extra file a format wants beside its data, path relative to the corpus root. */
export interface SidecarFile {
  path: string
  content: string
}

/** A format whose output is rows (Parquet / Arrow / JSONL). */
export interface RowFormat<Row = unknown> {
  readonly kind: 'rows'
  readonly name: string
  /** One line for `--help`, the manifest and the dataset card; states the box convention. */
  readonly summary: string
  /** Zod schema of one row; writers may validate rows with it. */
  readonly schema: z.ZodType<Row>
  /** Column types (Arrow / HF features), in column order; nested types stay real (list<struct<...>>). */
  readonly fields: FieldSpec[]
  /** Schema of `ctx.options`; its parsed defaults are what the manifest should record. */
  readonly options: z.ZodType<Record<string, unknown>>
  fromImage(image: ImageRecord, ctx: FormatContext): FormatResult<Row>
  /** The row of one image-level conversation (formats/image-conversation.ts); formats without it reject them. */
  fromConversation?(image: ImageRecord, conversation: ImageConversation, ctx: FormatContext): Row
  sidecars?(summary: CorpusSummary): SidecarFile[]
  /** Output files written when the user names none (default: parquet); e.g. `json` for trainers that json.load an array. */
  readonly defaultOutputs?: readonly string[]
  /** Inputs the format needs for these options (masks, pixels). */
  needs?(options: Record<string, unknown>): FormatNeeds
}

/** What a document format wrote. */
export interface DocumentResult {
  /** Images and regions written to the document. */
  images: number
  regions: number
  rejects: RejectRecord[]
}

/** A format whose output is one JSON document per split, streamed to `dest` atomically. */
export interface DocumentFormat {
  readonly kind: 'document'
  readonly name: string
  readonly summary: string
  readonly options: z.ZodType<Record<string, unknown>>
  /** File name for a split, relative to the corpus root, e.g. `densecoco/val.json`. */
  fileName(split: string): string
  write(images: AsyncIterable<ImageRecord>, ctx: FormatContext, dest: string): Promise<DocumentResult>
}

/** Any target format. Shared code branches on the declared `kind`, never on `name`. */
export type TargetFormat = RowFormat | DocumentFormat
