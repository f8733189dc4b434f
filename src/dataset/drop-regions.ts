// Removing single regions from a written row, for caption dedup. Only one layout allows it without rebuilding the
// conversation: one question/answer pair per region, in `<bbox>` order (GPT4RoI's VGDATA/DENSECOCO samples,
// reference/gpt4roi.md §4-5, pixcap's gpt4roi region_caption rows). Region k sits at regions[k], boxes[k], turns
// 2k and 2k+1, template_ids[k] and masks[k] (when masks are carried). After a removal, regions are renumbered
// (`region{k} <bbox>` counts from 1 in token order, §2) and the begin string moves to the new first question (§4).
// Any other layout is refused with the reason, never edited half-way.
import { PixcapError } from '../errors.js'
import { BEGIN_STRING } from '../instruct/gpt4roi-tokens.js'
import type { PlainRow } from '../io/corpus/read-corpus-rows.js'

/** Why a row's regions cannot be removed one by one, or null when they can. */
export function regionDropBlocker(row: PlainRow): string | null {
  const regions = row.regions
  const turns = row.conversations
  if (!Array.isArray(regions)) return 'the row has no regions[] column'
  if (!Array.isArray(row.boxes) || row.boxes.length !== regions.length) return 'boxes[] does not match regions[] one to one'
  if (!Array.isArray(turns) || turns.length !== 2 * regions.length) return `${Array.isArray(turns) ? turns.length : 0} turns for ${regions.length} regions; one question/answer pair per region is needed (gpt4roi --task region_caption)`
  for (let k = 0; k < regions.length; k++) {
    const q = turns[2 * k] as { from?: unknown; value?: unknown } | undefined
    if (q?.from !== 'human' || typeof q.value !== 'string' || !q.value.includes(`region${k + 1} <bbox>`)) return `turn ${2 * k} does not introduce region${k + 1} <bbox>`
  }
  return null
}

/** The row without the regions at `drop` (indices into regions[]); null when none is left. */
export function dropRowRegions(row: PlainRow, drop: ReadonlySet<number>, where: { file: string; row: number }): PlainRow | null {
  if (drop.size === 0) return row
  const blocker = regionDropBlocker(row)
  if (blocker !== null) throw new PixcapError('unsupported', where.file, [where.row], `cannot remove single regions from this row: ${blocker}; run dedup with --no-captions, or convert with --to gpt4roi`)
  const regions = row.regions as unknown[]
  const keep = regions.map((_, k) => k).filter((k) => !drop.has(k))
  if (keep.length === 0) return null
  const turns = row.conversations as { from: string; value: string }[]
  const pick = <T>(list: unknown): T[] | unknown => (Array.isArray(list) && list.length === regions.length ? keep.map((k) => list[k] as T) : list)
  const newTurns: { from: string; value: string }[] = []
  keep.forEach((k, j) => {
    let q = turns[2 * k]!.value.replace(`region${k + 1} <bbox>`, `region${j + 1} <bbox>`)
    if (k === 0 && j !== 0 && q.startsWith(BEGIN_STRING)) q = q.slice(BEGIN_STRING.length)
    if (j === 0 && k !== 0 && turns[0]!.value.startsWith(BEGIN_STRING) && !q.startsWith(BEGIN_STRING)) q = BEGIN_STRING + q
    newTurns.push({ from: 'human', value: q }, { ...turns[2 * k + 1]! })
  })
  const out: PlainRow = { ...row, conversations: newTurns }
  for (const key of ['regions', 'boxes', 'template_ids', 'masks']) if (key in row) out[key] = pick(row[key])
  return out
}
