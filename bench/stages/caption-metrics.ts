// Caption metrics throughput: BLEU-1..4 + ROUGE-L + CIDEr-D on 100,000 hypotheses with 5 references each (generated
// deterministically), side by side with pycocoevalcap's pure-Python scorers on the same input in the same run
// (bench/pycocoevalcap_scorers.py; needs PIXCAP_PYCOCOEVALCAP or --pycocoevalcap=DIR, else it reports "skipped").
// Options: --caption-hyps=N (default 100000), --pycocoevalcap=DIR, --python=PATH.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { scoreCaptions } from '../../src/metrics/caption-metrics.js'
import { createRng } from '../../src/util/rng.js'
import type { BenchContext, BenchResult, BenchStage } from '../stage.js'

const HERE = dirname(fileURLToPath(import.meta.url))
const REFS_PER_HYP = 5

/** Deterministic caption-like sentences: a Zipf-ish vocabulary so n-grams repeat as in real captions. */
export function generateCaptionSet(n: number, seed = 1234): { ids: string[]; hyps: string[]; refs: string[][] } {
  const rng = createRng(seed)
  const vocab = Array.from({ length: 2000 }, (_, i) => `w${i.toString(36)}`)
  const word = (): string => vocab[Math.floor(vocab.length * rng.next() ** 3)] as string
  const sentence = (): string => Array.from({ length: 6 + rng.int(10) }, word).join(' ')
  const ids: string[] = []
  const hyps: string[] = []
  const refs: string[][] = []
  for (let i = 0; i < n; i++) {
    ids.push(String(i))
    hyps.push(sentence())
    refs.push(Array.from({ length: REFS_PER_HYP }, sentence))
  }
  return { ids, hyps, refs }
}

function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024
}

export const captionMetricsStage: BenchStage = {
  name: 'caption-metrics',
  async run(ctx: BenchContext): Promise<BenchResult[]> {
    const n = Number(ctx.options['caption-hyps'] ?? 100_000)
    const data = generateCaptionSet(n)
    const refs = new Map(data.ids.map((id, i) => [id, data.refs[i] as string[]]))
    const hyps = new Map(data.ids.map((id, i) => [id, data.hyps[i] as string]))
    // Wall and CPU time: on a shared machine CPU time is the steadier comparison (both sides are single-threaded
    // apart from V8's GC helpers, which CPU time includes).
    const t0 = performance.now()
    const c0 = process.cpuUsage()
    const { corpus } = scoreCaptions({ refs, hyps }, { tokenize: false })
    const wallMs = performance.now() - t0
    const c1 = process.cpuUsage(c0)
    const cpuMs = (c1.user + c1.system) / 1000
    // Each family alone, for the per-metric comparison with Python.
    const perMetricMs: Record<string, number> = {}
    for (const metric of ['BLEU', 'ROUGE_L', 'CIDEr'] as const) {
      const t = performance.now()
      scoreCaptions({ refs, hyps }, { tokenize: false, metrics: [metric] })
      perMetricMs[metric] = Math.round(performance.now() - t)
    }
    const ts: BenchResult = {
      stage: 'caption-metrics', items: n, unit: 'hypotheses', wallMs: Math.round(wallMs), perSecond: Math.round(n / (wallMs / 1000)),
      peakRssMb: Math.round(peakRssMb()), cpuMs: Math.round(cpuMs), perMetricMs, refsPerHypothesis: REFS_PER_HYP, corpus,
    }
    const pyDir = ctx.options.pycocoevalcap ?? process.env.PIXCAP_PYCOCOEVALCAP
    const python = ctx.options.python ?? process.env.PIXCAP_PYTHON ?? resolve(HERE, '../../.venv/bin/python')
    const tmp = await mkdtemp(join(tmpdir(), 'pixcap-bench-captions-'))
    try {
      const input = join(tmp, 'input.json')
      await writeFile(input, JSON.stringify(data))
      const args = [join(HERE, '../pycocoevalcap_scorers.py'), '--input', input, ...(pyDir ? [`--pycocoevalcap=${pyDir}`] : [])]
      const r = await execa(python, args, { reject: false })
      if (r.failed) return [ts, { stage: 'caption-metrics:pycocoevalcap', items: 0, unit: 'hypotheses', wallMs: 0, perSecond: 0, peakRssMb: 0, skipped: `python failed: ${r.shortMessage} ${String(r.stderr).slice(-500)}` }]
      const py = JSON.parse(String(r.stdout).trim().split('\n').pop() as string) as
        | { skipped: string }
        | { ok: true; ms: Record<string, number>; cpuMs: Record<string, number>; corpus: Record<string, number>; peakRssMb: number }
      if ('skipped' in py) return [ts, { stage: 'caption-metrics:pycocoevalcap', items: 0, unit: 'hypotheses', wallMs: 0, perSecond: 0, peakRssMb: 0, skipped: py.skipped }]
      const pyMs = Object.values(py.ms).reduce((a, b) => a + b, 0)
      const pyCpuMs = Object.values(py.cpuMs).reduce((a, b) => a + b, 0)
      let maxRelDiff = 0
      for (const [k, v] of Object.entries(py.corpus)) maxRelDiff = Math.max(maxRelDiff, Math.abs((corpus[k] as number) - v) / Math.abs(v))
      return [ts, {
        stage: 'caption-metrics:pycocoevalcap', items: n, unit: 'hypotheses', wallMs: Math.round(pyMs), perSecond: Math.round(n / (pyMs / 1000)),
        peakRssMb: Math.round(py.peakRssMb), perMetricMs: Object.fromEntries(Object.entries(py.ms).map(([k, v]) => [k, Math.round(v)])),
        cpuMs: Math.round(pyCpuMs),
        speedup: Number((pyMs / wallMs).toFixed(2)), cpuSpeedup: Number((pyCpuMs / cpuMs).toFixed(2)), targetSpeedup: 10,
        corpusMaxRelDiff: maxRelDiff,
      }]
    } finally {
      await rm(tmp, { recursive: true, force: true })
    }
  },
}
