// Dataset statistics as a pure, mergeable accumulator (STYLE.md §13: per-shard stats reduce with mergeStats).
// Distributions are kept as integer histograms, so medians and percentiles are exact after merging.
// Words are counted by splitting on runs of whitespace (the convention of the fixture README and of the reported
// 22.94 words per caption, reference/pix2cap.md §1). Quantiles interpolate linearly between ranks (numpy's default).
import type { ImageRecord } from '../records/index.js'
import { charLength, MIN_CAPTION_CHARS } from './filter-policy.js'

/** A histogram: value -> count. */
export type Histogram = Record<number, number>

/** Per-category tallies. */
interface CategoryTally {
  categoryId: number
  name: string
  isThing: boolean
  regions: number
  crowd: number
}

/** The running accumulator; build with createStats, fill with addImage, combine with mergeStats. */
export interface StatsAccumulator {
  images: number
  regions: number
  /** Caption strings, empty ones included (a list description counts each element). */
  captions: number
  /** Words per non-empty caption. */
  wordsPerCaption: Histogram
  regionsPerImage: Histogram
  byCategory: Record<number, CategoryTally>
  thing: number
  stuff: number
  crowd: number
  /** Regions whose captions are all empty. */
  emptyDescriptions: number
  /** Regions with a non-empty caption but none of at least `shortBelow` characters. */
  shortDescriptions: number
  /** Regions whose description is a list of several captions. */
  multiCaption: number
}

/** Threshold for "short" descriptions: the one caption-length rule (filter-policy.ts MIN_CAPTION_CHARS). */
const SHORT_DESCRIPTION_CHARS = MIN_CAPTION_CHARS

/** Summary of a distribution. */
export interface Distribution {
  count: number
  total: number
  mean: number
  median: number
  p95: number
  min: number
  max: number
}

/** The printable, JSON-able summary. */
export interface StatsSummary {
  images: number
  regions: number
  captions: number
  nonEmptyCaptions: number
  wordsPerCaption: Distribution
  regionsPerImage: Distribution
  thing: number
  stuff: number
  crowd: number
  emptyDescriptions: number
  shortDescriptions: number
  multiCaption: number
  /** Sorted by regions, most first. */
  byCategory: CategoryTally[]
}

/** An empty accumulator. */
export function createStats(): StatsAccumulator {
  return {
    images: 0, regions: 0, captions: 0, wordsPerCaption: {}, regionsPerImage: {}, byCategory: {},
    thing: 0, stuff: 0, crowd: 0, emptyDescriptions: 0, shortDescriptions: 0, multiCaption: 0,
  }
}

/** Number of whitespace-separated words. */
export function wordCount(text: string): number {
  const t = text.trim()
  return t === '' ? 0 : t.split(/\s+/).length
}

function bump(h: Histogram, key: number, by = 1): void {
  h[key] = (h[key] ?? 0) + by
}

/** Adds one image (all its regions) to `acc`, in place. */
export function addImage(acc: StatsAccumulator, image: ImageRecord): void {
  acc.images++
  bump(acc.regionsPerImage, image.regions.length)
  for (const r of image.regions) {
    acc.regions++
    if (r.isThing) acc.thing++
    else acc.stuff++
    if (r.isCrowd) acc.crowd++
    const cat = (acc.byCategory[r.categoryId] ??= { categoryId: r.categoryId, name: r.category, isThing: r.isThing, regions: 0, crowd: 0 })
    cat.regions++
    if (r.isCrowd) cat.crowd++
    if (r.captions.length > 1) acc.multiCaption++
    let nonEmpty = 0
    let long = 0
    for (const c of r.captions) {
      acc.captions++
      const words = wordCount(c)
      if (words === 0) continue
      nonEmpty++
      if (charLength(c.trim()) >= SHORT_DESCRIPTION_CHARS) long++
      bump(acc.wordsPerCaption, words)
    }
    if (nonEmpty === 0) acc.emptyDescriptions++
    else if (long === 0) acc.shortDescriptions++
  }
}

/** A new accumulator holding both inputs (inputs untouched). */
export function mergeStats(a: StatsAccumulator, b: StatsAccumulator): StatsAccumulator {
  const out = createStats()
  for (const s of [a, b]) {
    out.images += s.images
    out.regions += s.regions
    out.captions += s.captions
    out.thing += s.thing
    out.stuff += s.stuff
    out.crowd += s.crowd
    out.emptyDescriptions += s.emptyDescriptions
    out.shortDescriptions += s.shortDescriptions
    out.multiCaption += s.multiCaption
    for (const [k, v] of Object.entries(s.wordsPerCaption)) bump(out.wordsPerCaption, Number(k), v)
    for (const [k, v] of Object.entries(s.regionsPerImage)) bump(out.regionsPerImage, Number(k), v)
    for (const t of Object.values(s.byCategory)) {
      const cat = (out.byCategory[t.categoryId] ??= { ...t, regions: 0, crowd: 0 })
      cat.regions += t.regions
      cat.crowd += t.crowd
    }
  }
  return out
}

/** Summarises a histogram: mean, median, p95 (linear interpolation between ranks), min, max. */
export function distributionOf(h: Histogram): Distribution {
  const keys = Object.keys(h).map(Number).sort((x, y) => x - y)
  let count = 0
  let total = 0
  for (const k of keys) {
    count += h[k]!
    total += k * h[k]!
  }
  if (count === 0) return { count: 0, total: 0, mean: 0, median: 0, p95: 0, min: 0, max: 0 }
  const atRank = (rank: number): number => {
    let seen = 0
    for (const k of keys) {
      seen += h[k]!
      if (rank < seen) return k
    }
    return keys[keys.length - 1]!
  }
  const quantile = (q: number): number => {
    const pos = q * (count - 1)
    const lo = Math.floor(pos)
    const a = atRank(lo)
    const b = atRank(Math.ceil(pos))
    return a + (b - a) * (pos - lo)
  }
  return { count, total, mean: total / count, median: quantile(0.5), p95: quantile(0.95), min: keys[0]!, max: keys[keys.length - 1]! }
}

/** The summary of an accumulator. */
export function summarizeStats(acc: StatsAccumulator): StatsSummary {
  const words = distributionOf(acc.wordsPerCaption)
  return {
    images: acc.images,
    regions: acc.regions,
    captions: acc.captions,
    nonEmptyCaptions: words.count,
    wordsPerCaption: words,
    regionsPerImage: distributionOf(acc.regionsPerImage),
    thing: acc.thing,
    stuff: acc.stuff,
    crowd: acc.crowd,
    emptyDescriptions: acc.emptyDescriptions,
    shortDescriptions: acc.shortDescriptions,
    multiCaption: acc.multiCaption,
    byCategory: Object.values(acc.byCategory).sort((x, y) => y.regions - x.regions || x.categoryId - y.categoryId),
  }
}
