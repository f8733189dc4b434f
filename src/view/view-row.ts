// The shape `pixcap view` shows for one corpus row: the image, its regions in `<bbox>` order (numbered from 1 as the
// conversation's `region{k}` tokens are, gpt4roi.md §2) and the conversation. Rows of the gpt4roi/densecoco-style
// formats carry `regions`; a row without them is shown with its text only. Pure.
import { z } from 'zod'

const RowRegion = z.looseObject({
  segment_id: z.number().optional(),
  category: z.string().optional(),
  bbox: z.array(z.number()).length(4),
  caption: z.string().optional(),
})

const CorpusRow = z.looseObject({
  id: z.union([z.string(), z.number()]).optional(),
  image: z.string().optional(),
  image_id: z.union([z.string(), z.number()]).optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  conversations: z.array(z.looseObject({ from: z.string(), value: z.string() })).optional(),
  regions: z.array(RowRegion).optional(),
})

/** One region as the app draws it. */
interface ViewRegion {
  /** 1-based number, as in `region{k}`. */
  k: number
  segmentId: number | null
  category: string
  /** Pixel [x, y, w, h]. */
  bbox: [number, number, number, number]
  caption: string
}

/** One sample as the app shows it; `index` is its global row number in the corpus. */
export interface ViewRow {
  index: number
  id: string
  image: string | null
  imageId: string | null
  width: number
  height: number
  regions: ViewRegion[]
  conversations: { from: string; value: string }[]
}

/** Maps a decoded row to a ViewRow; columns the row lacks come out empty rather than failing the page. */
export function toViewRow(raw: Record<string, unknown>, index: number): ViewRow {
  const parsed = CorpusRow.safeParse(raw)
  const row = parsed.success ? parsed.data : {}
  const regions = (row.regions ?? []).map((r, i) => ({
    k: i + 1,
    segmentId: r.segment_id ?? null,
    category: r.category ?? '',
    bbox: r.bbox.map(Number) as [number, number, number, number],
    caption: r.caption ?? '',
  }))
  return {
    index,
    id: row.id !== undefined ? String(row.id) : String(index),
    image: row.image ?? null,
    imageId: row.image_id !== undefined ? String(row.image_id) : null,
    width: row.width ?? 0,
    height: row.height ?? 0,
    regions,
    conversations: (row.conversations ?? []).map((t) => ({ from: t.from, value: t.value })),
  }
}

/** Words of a caption as the statistics and filters count them (whitespace-separated). */
export function wordCount(text: string): number {
  const t = text.trim()
  return t === '' ? 0 : t.split(/\s+/).length
}
