// The grid's filters, parsed from the query string and applied to rows. Pure.
// - category: some region has exactly this category;
// - minWords/maxWords: some region's caption has that many words (finds the short or rambling ones);
// - minRegions/maxRegions: number of regions in the sample;
// - q: case-insensitive text in any caption, turn or the image path.
import { z } from 'zod'
import { wordCount, type ViewRow } from './view-row.js'

const count = z.coerce.number().int().nonnegative()

/** Filter of the sample grid; every field is optional and they combine with AND. */
export const SampleFilter = z
  .object({
    category: z.string().min(1).optional(),
    q: z.string().min(1).optional(),
    minWords: count.optional(),
    maxWords: count.optional(),
    minRegions: count.optional(),
    maxRegions: count.optional(),
  })
  .strict()
export type SampleFilter = z.infer<typeof SampleFilter>

/** Filter keys as they appear in URLs. */
const SAMPLE_FILTER_KEYS = ['category', 'q', 'minWords', 'maxWords', 'minRegions', 'maxRegions'] as const

/** The filter of a query string (empty values are absent); throws a ZodError on bad numbers. */
export function parseSampleFilter(params: URLSearchParams): SampleFilter {
  const raw: Record<string, string> = {}
  for (const key of SAMPLE_FILTER_KEYS) {
    const v = params.get(key)
    if (v !== null && v.trim() !== '') raw[key] = v.trim()
  }
  return SampleFilter.parse(raw)
}

/** True when nothing is filtered. */
export function isEmptyFilter(f: SampleFilter): boolean {
  return SAMPLE_FILTER_KEYS.every((k) => f[k] === undefined)
}

/** A stable key for caching a filter's matches. */
export function filterKey(f: SampleFilter): string {
  return JSON.stringify(SAMPLE_FILTER_KEYS.map((k) => f[k] ?? null))
}

/** Columns a filter needs to read. */
export function filterColumns(f: SampleFilter): string[] {
  return f.q !== undefined ? ['image', 'regions', 'conversations'] : ['regions']
}

/** Whether a row passes the filter. */
export function matchesFilter(row: ViewRow, f: SampleFilter): boolean {
  const n = row.regions.length
  if (f.minRegions !== undefined && n < f.minRegions) return false
  if (f.maxRegions !== undefined && n > f.maxRegions) return false
  if (f.category !== undefined && !row.regions.some((r) => r.category === f.category)) return false
  if (f.minWords !== undefined || f.maxWords !== undefined) {
    const lo = f.minWords ?? 0
    const hi = f.maxWords ?? Infinity
    if (!row.regions.some((r) => { const w = wordCount(r.caption); return w >= lo && w <= hi })) return false
  }
  if (f.q !== undefined) {
    const q = f.q.toLowerCase()
    const texts = [row.image ?? '', ...row.regions.map((r) => r.caption), ...row.conversations.map((t) => t.value)]
    if (!texts.some((t) => t.toLowerCase().includes(q))) return false
  }
  return true
}
