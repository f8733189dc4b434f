// Text report of a panoptic evaluation, laid out like panopticapi's pq_compute printout (PQ/SQ/RQ in percent with
// one decimal, N categories), then the per-category table and, with --captions, the Pix2Cap caption scores.
import { PQ_GROUPS, type PqScores } from '../metrics/pq/index.js'
import type { PanopticCaptionResult } from './panoptic-captions.js'
import type { PanopticEvalResult } from './panoptic-eval.js'

const pct = (v: number) => (100 * v).toFixed(1).padStart(5)

function groupRow(name: string, s: PqScores | null): string {
  if (s === null) return `${name.padEnd(10)}| ${'-'.padStart(5)}  ${'-'.padStart(5)}  ${'-'.padStart(5)} ${'0'.padStart(5)}  (no evaluated category)`
  return `${name.padEnd(10)}| ${pct(s.pq)}  ${pct(s.sq)}  ${pct(s.rq)} ${String(s.n).padStart(5)}`
}

/** Renders PQ (and caption scores when present) as text. */
export function renderPanopticReport(r: PanopticEvalResult | PanopticCaptionResult): string {
  const lines: string[] = []
  lines.push(`${''.padEnd(10)}| ${'PQ'.padStart(5)}  ${'SQ'.padStart(5)}  ${'RQ'.padStart(5)} ${'N'.padStart(5)}`)
  lines.push('-'.repeat(10 + 7 * 4))
  for (const g of PQ_GROUPS) lines.push(groupRow(g, r.pq[g]))
  lines.push('', `Per category (${r.pq.perCategory.length} evaluated, ${r.images} images):`)
  const w = Math.max(8, ...r.pq.perCategory.map((c) => c.name.length))
  lines.push(`${'category'.padEnd(w)}  ${'id'.padStart(4)}  kind   ${'PQ'.padStart(5)}  ${'SQ'.padStart(5)}  ${'RQ'.padStart(5)}  ${'TP'.padStart(5)} ${'FP'.padStart(5)} ${'FN'.padStart(5)}`)
  for (const c of r.pq.perCategory) {
    lines.push(`${c.name.padEnd(w)}  ${String(c.categoryId).padStart(4)}  ${c.isThing ? 'thing' : 'stuff'}  ${pct(c.pq)}  ${pct(c.sq)}  ${pct(c.rq)}  ${String(c.tp).padStart(5)} ${String(c.fp).padStart(5)} ${String(c.fn).padStart(5)}`)
  }
  if ('captions' in r) {
    const q = r.captions
    lines.push('', `Caption quality (Pix2Cap): ${q.matched} matched pairs / ${q.total} TP+FP+FN, weight ${q.weight.toFixed(4)}`)
    if (q.weighted && q.raw) {
      lines.push(`  BLEU-4  ${pct(q.weighted.Bleu_4)}   (unweighted ${pct(q.raw.Bleu_4)})`)
      lines.push(`  ROUGE-L ${pct(q.weighted.ROUGE_L)}   (unweighted ${pct(q.raw.ROUGE_L)})`)
      lines.push(`  CIDEr   ${pct(q.weighted.CIDEr)}   (unweighted ${pct(q.raw.CIDEr)})`)
    } else lines.push('  no matched pair with a caption')
    lines.push('  METEOR, SPICE: not computed (Java-only; Pix2Cap reports METEOR as 0)')
    const s = q.skipped
    if (s.listCaption + s.missingCaption + s.missingDescription > 0) {
      lines.push(`  skipped TP pairs: ${s.listCaption} list caption, ${s.missingCaption} missing caption, ${s.missingDescription} missing description`)
    }
    const m = r.denseMap
    lines.push('', `Dense-caption mAP (DenseCap-style; caption score: ${m.captionScorer.name}${m.captionScorer.isMeteor ? '' : ', NOT METEOR'})`)
    lines.push(`  mAP ${pct(m.map)}   detection mAP ${pct(m.detmap)}   (${m.detections} detections, npos ${m.npos}${m.defaultScores > 0 ? `, ${m.defaultScores} without score -> 1.0` : ''})`)
    if (!m.captionScorer.isMeteor) lines.push(`  ${m.captionScorer.note}`)
  }
  return `${lines.join('\n')}\n`
}
