// The generated body of the dataset card (between the pixcap:card markers): what the corpus is, how to load it,
// statistics with histogram pictures, one example row with its region picture, the provenance from the manifest, the
// sources' licences and citations. Pure: it gets numbers and relative picture paths, it reads nothing.
import { basename } from 'node:path'
import type { Manifest } from '../io/corpus/manifest.js'
import { summarizeHistogram, type CardStats } from './card-stats.js'
import type { CardSplit } from './card-front-matter.js'
import type { SourceCredit } from './source-credits.js'

/** The pictures' paths, relative to the card. */
export interface CardPictures {
  wordsPerCaption: string | null
  regionsPerRow: string | null
  example: string | null
}

/** The example row shown on the card. */
interface CardExample {
  id: string
  /** True when the picture shows the real photo; false when the boxes are drawn on a blank canvas. */
  photo: boolean
  /** The row as JSON, long strings shortened. */
  json: string
}

/** Everything the body shows. */
export interface CardBodyInput {
  prettyName: string
  formatSummary: string
  loadId: string
  splits: readonly (CardSplit & { stats: CardStats })[]
  total: CardStats
  manifest: Manifest
  manifestSha256: string
  pictures: CardPictures
  example: CardExample | null
  credits: readonly (SourceCredit & { id: string })[]
  pixcapVersion: string
}

const fmt = (n: number, digits = 2): string => (Number.isInteger(n) ? String(n) : n.toFixed(digits))

function statsCells(s: CardStats): string {
  const w = summarizeHistogram(s.wordsPerCaption)
  const r = summarizeHistogram(s.regionsPerRow)
  const cell = (x: ReturnType<typeof summarizeHistogram>) => (x ? `${fmt(x.mean)} / ${fmt(x.median)} / ${x.min}-${x.max}` : 'n/a')
  return `${s.rows} | ${s.regions} | ${s.captions} | ${cell(w)} | ${cell(r)}`
}

/** The markdown between the card markers. */
export function cardBody(c: CardBodyInput): string {
  const m = c.manifest
  const out: string[] = []
  out.push(`# ${c.prettyName}`, '')
  out.push(`A region-level instruction corpus in the **${m.format.name}** format, built by pixcap ${c.pixcapVersion} from ${c.credits.map((s) => s.name).join(', ')}.`, '')
  out.push(`Format: ${c.formatSummary}`, '')
  out.push('## Load it', '', '```python', 'from datasets import load_dataset', '', `ds = load_dataset(${JSON.stringify(c.loadId)})`, '```', '')
  out.push('## Statistics', '')
  if (c.splits.length === 0) out.push(`This corpus is one JSON document per split (${m.format.name}), not rows; see \`manifest.json\` for its files.`, '')
  else out.push('| split | rows | regions | captions | words per caption (mean / median / range) | regions per row (mean / median / range) |')
  if (c.splits.length > 0) out.push('|---|---:|---:|---:|---|---|')
  for (const s of c.splits) out.push(`| ${s.name} | ${statsCells(s.stats)} |`)
  if (c.splits.length > 1) out.push(`| **all** | ${statsCells(c.total)} |`)
  out.push('')
  const reasons = Object.entries(m.counts.rejectedByReason).sort(([a], [b]) => a.localeCompare(b))
  out.push(
    `Source: ${m.counts.images.in} images and ${m.counts.regions.in} regions in; ${m.counts.regions.inSamples} regions in samples and ${m.counts.regions.rejected} rejected` +
      // Image-level conversations (LLaVA-Instruct, VCR) count apart from regions (docs/sources.md).
      (m.counts.conversations ? `; ${m.counts.conversations.in} image-level conversations in, ${m.counts.conversations.inSamples} in samples and ${m.counts.conversations.rejected} rejected` : '') +
      (reasons.length > 0 ? ` (${reasons.map(([k, v]) => `${k} ${v}`).join(', ')}; every one is listed with its reason in \`rejects.jsonl\`).` : '.'),
    '',
  )
  if (c.pictures.wordsPerCaption) out.push(`![Histogram of words per caption](${c.pictures.wordsPerCaption})`, '')
  if (c.pictures.regionsPerRow) out.push(`![Histogram of regions per row](${c.pictures.regionsPerRow})`, '')
  if (c.example) {
    out.push('## Example', '')
    if (c.pictures.example) {
      out.push(`![Regions of example ${c.example.id}](${c.pictures.example})`, '')
      if (!c.example.photo) out.push('_The photo was not available when the card was made (pass `--images-dir`); the boxes are drawn on a blank canvas of the image\'s size._', '')
    }
    out.push('```json', c.example.json, '```', '')
  }
  out.push('## Provenance', '', `From \`manifest.json\` (sha256 \`${c.manifestSha256}\`), written last by \`pixcap ${m.command}\`:`, '')
  out.push('| | |', '|---|---|')
  out.push(`| pixcap | ${m.pixcap.version} |`)
  out.push(`| format | ${m.format.name} \`${JSON.stringify(m.format.options)}\` |`)
  out.push(`| seed | ${m.seed} |`)
  out.push(`| templates | ${m.templates ? `${basename(m.templates.file)} (sha256 \`${m.templates.sha256}\`)` : 'none'} |`)
  out.push(`| filter policy | \`${JSON.stringify(m.filterPolicy)}\` |`)
  const options = Object.fromEntries(Object.entries(m.options).filter(([k]) => !/Dir$/.test(k)))
  out.push(`| options | \`${JSON.stringify(options)}\` |`)
  if (m.shard) out.push(`| shard | ${m.shard.index} of ${m.shard.count} |`)
  out.push('')
  // Input paths are shown by file name only: the manifest records them as typed on the converting machine, and a
  // public card should not publish someone's home directory. The sha256 identifies the file.
  out.push('| input | file | bytes | sha256 |', '|---|---|---:|---|')
  for (const i of m.inputs) out.push(`| ${i.role} | ${basename(i.path)} | ${i.bytes} | \`${i.sha256}\` |`)
  out.push('')
  out.push('## Licences', '', '| source | annotations licence | images | link |', '|---|---|---|---|')
  for (const s of c.credits) out.push(`| ${s.name} | ${s.license} | ${s.imageTerms} | ${s.url} |`)
  out.push('')
  out.push('## Citation', '', 'If you use this corpus, cite its sources:', '')
  for (const s of c.credits) if (s.bibtex) out.push('```bibtex', s.bibtex, '```', '')
  return out.join('\n')
}
