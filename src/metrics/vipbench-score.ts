// ViP-Bench aggregation (ViP-LLaVA scripts/eval/vip-bench_evaluator.py; reference/vipbench.md §5). Pure.
// - capability c, run r: 100 * sum of scores of samples tagged c / number of samples tagged c (multi-label samples
//   count toward every tag they carry);
// - total, run r: 100 * sum of all scores / number of samples (not the mean of the capability scores);
// - reported: the mean over runs; std = population standard deviation (numpy .std(), ddof 0) of the run totals;
// - columns ordered by tag frequency (Counter.most_common: ties keep first-seen order);
// - a second table per exact capability combination ("cap-int"), named by its tags joined with "_". Deviation: the
//   evaluator joins a Python set (order varies between processes); we sort the tags, so names are stable.

/** Per-sample input: its capability tags and one score per run. */
export interface VipSample {
  capability: readonly string[]
  scores: readonly number[]
}

/** Aggregated scores; values are x100 and unrounded (round only for display). */
export interface VipBenchScores {
  runs: number
  samples: number
  /** Capability tags in column order, then their mean score over runs. */
  capabilities: { name: string; count: number; score: number; perRun: number[] }[]
  /** Exact capability combinations, most frequent first. */
  combinations: { name: string; count: number; score: number; perRun: number[] }[]
  total: number
  totalPerRun: number[]
  std: number
}

function orderByCount(counts: Map<string, number>): [string, number][] {
  // Map keeps insertion order; a stable sort by count desc gives Counter.most_common's order.
  return [...counts.entries()].sort((a, b) => b[1] - a[1])
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length

/** Aggregates per-sample grades. Every sample must have at least `runs` scores. */
export function scoreVipBench(samples: ReadonlyMap<string, VipSample>, runs: number): VipBenchScores {
  if (runs < 1) throw new RangeError('runs must be >= 1')
  const capCount = new Map<string, number>()
  const comboCount = new Map<string, number>()
  const capSums = new Map<string, number[]>()
  const comboSums = new Map<string, number[]>()
  const totals = new Array<number>(runs).fill(0)
  for (const [id, s] of samples) {
    if (s.scores.length < runs) throw new RangeError(`sample ${id} has ${s.scores.length} score(s), expected ${runs}`)
    const caps = [...new Set(s.capability)]
    const combo = [...caps].sort().join('_')
    for (const c of caps) capCount.set(c, (capCount.get(c) ?? 0) + 1)
    comboCount.set(combo, (comboCount.get(combo) ?? 0) + 1)
    for (let r = 0; r < runs; r++) {
      const v = s.scores[r] as number
      for (const c of caps) {
        const sums = capSums.get(c) ?? new Array<number>(runs).fill(0)
        sums[r] = (sums[r] as number) + v
        capSums.set(c, sums)
      }
      const cs = comboSums.get(combo) ?? new Array<number>(runs).fill(0)
      cs[r] = (cs[r] as number) + v
      comboSums.set(combo, cs)
      totals[r] = (totals[r] as number) + v
    }
  }
  const n = samples.size
  const table = (counts: Map<string, number>, sums: Map<string, number[]>) =>
    orderByCount(counts).map(([name, count]) => {
      const perRun = (sums.get(name) as number[]).map((x) => (x / count) * 100)
      return { name, count, score: mean(perRun), perRun }
    })
  const totalPerRun = totals.map((x) => (x / n) * 100)
  const m = mean(totalPerRun)
  const std = Math.sqrt(mean(totalPerRun.map((x) => (x - m) ** 2)))
  return {
    runs,
    samples: n,
    capabilities: table(capCount, capSums),
    combinations: table(comboCount, comboSums),
    total: m,
    totalPerRun,
    std,
  }
}

/** Rounds like numpy's round (x * 10^d, round half to even, / 10^d), as the evaluator does for display. */
export function roundTo(x: number, decimals = 1): number {
  const f = 10 ** decimals
  const y = x * f
  const r = Math.round(y)
  // Math.round rounds .5 up; numpy's rint rounds .5 to the even neighbour.
  const even = r - y === 0.5 && r % 2 !== 0 ? r - 1 : r
  return even / f
}
