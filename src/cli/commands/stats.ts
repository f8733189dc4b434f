import { FILTER_POLICY_FLAGS, FILTER_POLICY_OPTIONS, FILTER_POLICY_USAGE, filterPolicyFromFlags } from '../filter-policy-flags.js'
import { statsSource, type StatsSourceResult } from '../../dataset/source-stats.js'
import type { Distribution } from '../../dataset/stats.js'
import { UsageError } from '../../errors.js'
import { parseCommandArgs, printJson, type Command } from '../command.js'
import { createProgressBar } from '../progress.js'
import { FROM_FLAG, FROM_OPTION, fromOption } from '../source-flag.js'

const usage = `pixcap stats <annotations.json> [--from NAME] [--categories F] [--images-dir D] [--split S] [--top N (20)] [--json]\n  filter policy (what it would keep): ${FILTER_POLICY_USAGE}`

const fmt = (n: number): string => (Number.isInteger(n) ? n.toLocaleString('en-US') : n.toFixed(2))
const dist = (d: Distribution): string =>
  `mean ${fmt(d.mean)}  median ${fmt(d.median)}  p95 ${fmt(d.p95)}  min ${fmt(d.min)}  max ${fmt(d.max)}`

/** Renders the human-readable stats table. */
export function renderStats(result: StatsSourceResult, top: number): string {
  const s = result.stats
  const rows: [string, string][] = [
    ['file', result.file],
    ['split', result.split],
    ['images', fmt(s.images)],
    ['regions', `${fmt(s.regions)} (${fmt(s.thing)} thing, ${fmt(s.stuff)} stuff, ${fmt(s.crowd)} crowd)`],
    ['captions', `${fmt(s.captions)} (${fmt(s.nonEmptyCaptions)} non-empty; ${fmt(s.multiCaption)} regions with several)`],
    ['words per caption', dist(s.wordsPerCaption)],
    ['regions per image', dist(s.regionsPerImage)],
    ['empty descriptions', fmt(s.emptyDescriptions)],
    ['short descriptions (< 3 chars)', fmt(s.shortDescriptions)],
  ]
  if (result.conversations > 0 || result.filter.counts.conversationsIn > 0) rows.push(['conversations', `${fmt(result.conversations)} image-level (${fmt(result.conversationRegions)} regions they refer to)`])
  if (result.reader.droppedSegments > 0 || result.reader.errors > 0) {
    rows.push(['unreadable segments', `${fmt(result.reader.droppedSegments)} not counted above (${fmt(result.reader.errors)} errors; run pixcap validate)`])
  }
  const cw = result.captionWarnings
  const cwText = Object.entries(cw.counts).map(([k, n]) => `${k} ${fmt(n)}`).join(', ')
  if (cwText) rows.push(['caption warnings', `${cwText} (pixcap validate lists each; convert --drop-mark-leftovers / --max-caption-chars filter them)`])
  const f = result.filter
  const reasons = Object.entries(f.counts.rejected).map(([k, n]) => `${k} ${fmt(n)}`).join(', ')
  const p = f.policy
  rows.push([
    'filter policy',
    `keeps ${fmt(f.counts.regionsKept)} of ${fmt(f.counts.regionsIn)} regions in ${fmt(f.counts.imagesKept)} images; rejects ${fmt(f.counts.rejectedTotal)}${f.counts.conversationsIn > 0 ? ` regions and ${fmt(f.counts.conversationsRejected)} of ${fmt(f.counts.conversationsIn)} conversations` : ''}${reasons ? ` (${reasons})` : ''}`,
  ])
  rows.push(['', `dropCrowd ${p.dropCrowd}, minCaptionChars ${p.minCaptionChars}, minBoxSide ${p.minBoxSide}, imageRule ${p.imageRule}, maxCaptionChars ${p.maxCaptionChars}, dropMarkLeftovers ${p.dropMarkLeftovers}`])
  for (const e of cw.examples) rows.push(['', `warning: image ${e.imageId}, segment ${e.segmentId}: ${e.detail}`])
  const w = Math.max(...rows.map(([k]) => k.length))
  const lines = rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`)
  const cats = s.byCategory.slice(0, top)
  if (cats.length > 0) {
    const nw = Math.max(8, ...cats.map((c) => c.name.length))
    lines.push('', `${'category'.padEnd(nw)}  ${'kind'.padEnd(5)}  ${'regions'.padStart(8)}  ${'crowd'.padStart(6)}`)
    for (const c of cats) lines.push(`${c.name.padEnd(nw)}  ${(c.isThing ? 'thing' : 'stuff').padEnd(5)}  ${fmt(c.regions).padStart(8)}  ${fmt(c.crowd).padStart(6)}`)
    if (s.byCategory.length > top) lines.push(`(${s.byCategory.length - top} more categories; --top N or --json shows them)`)
  }
  return `${lines.join('\n')}\n`
}

/** `pixcap stats`: images, regions, captions, words per caption, categories of any registered source's file. */
export const statsCommand: Command = {
  name: 'stats',
  summary: 'statistics of an annotation file (Pix2Cap-COCO, COCO region captions, ...)',
  usage,
  options: [
    FROM_OPTION,
    { flag: '--categories F', description: 'categories JSON replacing the file\'s own' },
    { flag: '--images-dir D', description: 'photo folder, for sources that read sizes or metadata there (llava-instruct, vcr)', default: 'none (vcr: vcr1images/ beside the file)' },
    { flag: '--split S', description: 'split name shown in the report', default: 'from the file name, else train' },
    { flag: '--top N', description: 'categories listed', default: '20' },
    ...FILTER_POLICY_OPTIONS,
    { flag: '--json', description: 'print the result as JSON' },
  ],
  async run(rawArgs, io) {
    const { values, positionals } = parseCommandArgs({ name: 'stats', usage }, rawArgs, {
      allowPositionals: true,
      options: { ...FROM_FLAG, categories: { type: 'string' }, 'images-dir': { type: 'string' }, split: { type: 'string' }, top: { type: 'string' }, json: { type: 'boolean' }, ...FILTER_POLICY_FLAGS },
    })
    if (positionals.length !== 1) throw new UsageError(`pixcap stats: expected one annotations file, got ${positionals.length}`, usage)
    const top = values.top === undefined ? 20 : Number(values.top)
    if (!Number.isInteger(top) || top < 0) throw new UsageError(`--top expects a non-negative integer, got "${values.top}"`, usage)
    const policy = filterPolicyFromFlags(values)
    const bar = createProgressBar(io, values.json === true)
    const result = await statsSource({
      policy,
      annotations: positionals[0]!,
      ...fromOption(values.from, usage),
      ...(values.categories !== undefined ? { categories: values.categories } : {}),
      ...(values.split !== undefined ? { split: values.split } : {}),
      ...(values['images-dir'] !== undefined ? { imagesDir: values['images-dir'] } : {}),
      onProgress: bar,
    })
    bar.finish()
    if (values.json) printJson(io, result)
    else io.stdout.write(renderStats(result, top))
    return 0
  },
}
