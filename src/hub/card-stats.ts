// Statistics the dataset card shows, computed from the rows themselves and not from any one format's name
// (STYLE.md §7): a row's regions are its `regions` list (gpt4roi), else its `boxes`, else one per assistant turn; its
// captions are the regions' `caption`s, else the assistant turns (`conversations[].from == 'gpt'`, or
// `messages[].role == 'assistant'`). Words are whitespace-separated, as `pixcap stats` counts them (dataset/stats.ts).
import { wordCount } from '../dataset/stats.js'
import type { FieldSpec } from '../records/field-spec.js'

/**
 * The columns the rule above reads, among a format's declared fields: `regions` (and `boxes` only without it), the
 * conversation columns only when the regions carry no `caption`, and `source` for the credits.
 */
export function statsColumns(fields: readonly FieldSpec[]): string[] {
  const names = new Set(fields.map((f) => f.name))
  const regions = fields.find((f) => f.name === 'regions')
  const regionsHaveCaptions = regions?.type.kind === 'list' && regions.type.item.kind === 'struct' && regions.type.item.fields.some((f) => f.name === 'caption')
  const wanted = regions ? ['regions', ...(regionsHaveCaptions ? [] : ['conversations', 'messages'])] : ['boxes', 'conversations', 'messages']
  return [...wanted, 'source'].filter((c) => names.has(c))
}

/** Counts that merge across shards and splits. */
export interface CardStats {
  rows: number
  regions: number
  captions: number
  /** words per caption -> how many captions */
  wordsPerCaption: Map<number, number>
  /** regions per row -> how many rows */
  regionsPerRow: Map<number, number>
}

/** An empty accumulator. */
export function createCardStats(): CardStats {
  return { rows: 0, regions: 0, captions: 0, wordsPerCaption: new Map(), regionsPerRow: new Map() }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** The assistant turns of a conversation-shaped row. */
function assistantTurns(row: Record<string, unknown>): string[] {
  const out: string[] = []
  if (Array.isArray(row.conversations)) {
    for (const t of row.conversations) if (isObject(t) && t.from === 'gpt' && typeof t.value === 'string') out.push(t.value)
  }
  if (Array.isArray(row.messages)) {
    for (const t of row.messages) if (isObject(t) && t.role === 'assistant' && typeof t.content === 'string') out.push(t.content)
  }
  return out
}

/** The captions and region count of one row (see the module header for the rule). */
function rowRegionsAndCaptions(row: Record<string, unknown>): { regions: number; captions: string[] } {
  if (Array.isArray(row.regions)) {
    const captions = row.regions.flatMap((r) => (isObject(r) && typeof r.caption === 'string' ? [r.caption] : []))
    return { regions: row.regions.length, captions: captions.length > 0 ? captions : assistantTurns(row) }
  }
  const turns = assistantTurns(row)
  return { regions: Array.isArray(row.boxes) ? row.boxes.length : turns.length, captions: turns }
}

function bump(m: Map<number, number>, key: number): void {
  m.set(key, (m.get(key) ?? 0) + 1)
}

/** Adds one row. */
export function addRow(stats: CardStats, row: Record<string, unknown>): void {
  const { regions, captions } = rowRegionsAndCaptions(row)
  stats.rows++
  stats.regions += regions
  bump(stats.regionsPerRow, regions)
  for (const c of captions) {
    stats.captions++
    bump(stats.wordsPerCaption, wordCount(c))
  }
}

/** Mean, median, min and max of a value -> count histogram (null when empty). */
export function summarizeHistogram(h: ReadonlyMap<number, number>): { mean: number; median: number; min: number; max: number } | null {
  const keys = [...h.keys()].sort((a, b) => a - b)
  const n = keys.reduce((a, k) => a + (h.get(k) ?? 0), 0)
  if (n === 0) return null
  let sum = 0
  for (const k of keys) sum += k * (h.get(k) ?? 0)
  // Median as numpy's: the mean of the two middle values when n is even.
  const at = (rank: number): number => {
    let seen = 0
    for (const k of keys) {
      seen += h.get(k) ?? 0
      if (seen > rank) return k
    }
    return keys[keys.length - 1]!
  }
  const median = n % 2 === 1 ? at((n - 1) / 2) : (at(n / 2 - 1) + at(n / 2)) / 2
  return { mean: sum / n, median, min: keys[0]!, max: keys[keys.length - 1]! }
}
