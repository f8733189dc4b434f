// Histograms of a corpus for the statistics page, accumulated row by row so a scan never holds the corpus. Pure.
import { wordCount, type ViewRow } from './view-row.js'

/** Counts per integer value, e.g. { 12: 40 } = 40 captions of 12 words. */
type Histogram = Record<number, number>

/** What the statistics page draws. */
export interface CorpusStats {
  samples: number
  regions: number
  wordsPerCaption: Histogram
  regionsPerSample: Histogram
  /** Regions per category, most frequent first. */
  categories: { category: string; regions: number }[]
}

/** An accumulator: `add` each row, then `result`. */
export function corpusStatsAccumulator(): { add(row: ViewRow): void; result(): CorpusStats } {
  let samples = 0
  let regions = 0
  const words: Histogram = {}
  const perSample: Histogram = {}
  const categories = new Map<string, number>()
  return {
    add(row) {
      samples++
      regions += row.regions.length
      perSample[row.regions.length] = (perSample[row.regions.length] ?? 0) + 1
      for (const r of row.regions) {
        const w = wordCount(r.caption)
        words[w] = (words[w] ?? 0) + 1
        categories.set(r.category, (categories.get(r.category) ?? 0) + 1)
      }
    },
    result() {
      const sorted = [...categories.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      return { samples, regions, wordsPerCaption: words, regionsPerSample: perSample, categories: sorted.map(([category, n]) => ({ category, regions: n })) }
    },
  }
}
