// Turns `npm run bench` output (JSON lines) into the README's speed tables:
//   npm run bench -- --only convert > bench-out.jsonl
//   tsx bench/speed-table.ts bench-out.jsonl [more.jsonl ...] [--readme README.md]
// Prints Markdown: the machine and date the bench recorded, then the whole-process table (each pixcap command and
// each peer: min / median / max wall time of the repeats, peak RSS, ratio of the medians, the peer's script) and the
// in-process table (stage timings inside a started process, for profiling). With --readme, replaces the text between
// `<!-- speed-table:begin -->` and `<!-- speed-table:end -->` in that file instead of printing. Later lines for the
// same stage replace earlier ones, so several partial runs can be combined.
import { readFile, writeFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { z } from 'zod'

const Spread = z.object({ min: z.number(), median: z.number(), max: z.number() })
const Side = z.object({ label: z.string(), script: z.string().optional(), command: z.string(), wallMs: Spread, peakRssMb: z.number().nullable(), ratio: z.number().optional() })
const WholeLine = z.object({
  table: z.literal('whole-process'), stage: z.string(), items: z.number(), unit: z.string(), repeat: z.number(),
  loadAverage: z.object({ before: z.number(), after: z.number() }), pixcap: Side, peers: z.array(Side), notes: z.array(z.string()).optional(),
})
const MachineLine = z.object({ table: z.literal('machine'), date: z.string(), cpus: z.number(), cpuModel: z.string(), node: z.string(), argv: z.array(z.string()) })
const MemoryLine = z.object({ table: z.literal('memory'), regions: z.number(), verifyMasks: z.boolean(), fileMb: z.number(), wallMs: z.number(), peakRssMb: z.number().nullable(), command: z.string() })
const StageLine = z.object({ table: z.literal('in-process'), stage: z.string(), items: z.number(), unit: z.string(), wallMs: z.number(), perSecond: z.number(), peakRssMb: z.number() }).passthrough()

const BEGIN = '<!-- speed-table:begin -->'
const END = '<!-- speed-table:end -->'

const seconds = (ms: number): string => (ms >= 10_000 ? (ms / 1000).toFixed(1) : ms >= 1000 ? (ms / 1000).toFixed(2) : `${Math.round(ms)} ms`).replace(/^(\d+\.\d+)$/, '$1 s')
const spreadText = (s: z.infer<typeof Spread>): string => `${seconds(s.min)} / **${seconds(s.median)}** / ${seconds(s.max)}`
const rss = (mb: number | null): string => (mb === null ? 'n/a' : `${Math.round(mb)} MB`)
const ratioText = (r: number): string => (r <= 1 ? `${r.toFixed(2)}x (${(1 / r).toFixed(1)}x faster)` : `${r.toFixed(2)}x (slower)`)

export function renderSpeedTables(lines: unknown[]): string {
  const machines = lines.flatMap((l) => { const m = MachineLine.safeParse(l); return m.success ? [m.data] : [] })
  const whole = new Map<string, z.infer<typeof WholeLine>>()
  const stages = new Map<string, z.infer<typeof StageLine>>()
  const memory = new Map<string, z.infer<typeof MemoryLine>>()
  for (const l of lines) {
    const w = WholeLine.safeParse(l)
    if (w.success) whole.set(w.data.stage, w.data)
    const s = StageLine.safeParse(l)
    if (s.success) stages.set(s.data.stage, s.data)
    const m = MemoryLine.safeParse(l)
    if (m.success) memory.set(`${m.data.regions}-${m.data.verifyMasks}`, m.data)
  }
  const out: string[] = []
  const seen = new Set<string>()
  for (const m of machines) {
    const key = `${m.date.slice(0, 10)} ${m.cpus} ${m.cpuModel} ${m.node}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push(`Measured ${m.date.slice(0, 10)} on ${m.cpus} cores (${m.cpuModel}), Node ${m.node}.`)
  }
  if (whole.size > 0) {
    out.push('', 'Whole process (spawn to exit, as a shell sees it): min / **median** / max wall time of the repeats; ratio = pixcap median / peer median.', '')
    out.push('| Case | Program | Wall time | Peak RSS | Ratio | Load avg |', '|---|---|---|---|---|---|')
    for (const w of whole.values()) {
      const load = `${w.loadAverage.before}-${w.loadAverage.after}`
      out.push(`| ${w.stage} (${w.items.toLocaleString('en-US')} ${w.unit}, ${w.repeat} runs) | \`${w.pixcap.command}\` | ${spreadText(w.pixcap.wallMs)} | ${rss(w.pixcap.peakRssMb)} | | ${load} |`)
      for (const p of w.peers) {
        const name = p.script !== undefined ? `${p.label}: \`${p.script}\`` : `${p.label}: \`${p.command}\``
        out.push(`| | ${name} | ${spreadText(p.wallMs)} | ${rss(p.peakRssMb)} | ${ratioText(p.ratio ?? Number.NaN)} | |`)
      }
      for (const n of w.notes ?? []) out.push(`| | *${n}* | | | | |`)
    }
  }
  if (memory.size > 0) {
    out.push('', 'Peak RSS of one whole `pixcap convert --to gpt4roi --format parquet,arrow` process by corpus size (one run each; `--panoptic-dir` adds mask verification; ratio = this size / the size in the ratio column):', '')
    out.push('| Regions | Input | Masks verified | Wall time | Peak RSS | Ratio |', '|---|---|---|---|---|---|')
    const rows = [...memory.values()].sort((a, b) => Number(a.verifyMasks) - Number(b.verifyMasks) || a.regions - b.regions)
    for (const m of rows) {
      // Each size against the size ten times smaller with the same masks setting, when there is one.
      const base = rows.find((r) => r.verifyMasks === m.verifyMasks && Math.round(m.regions / r.regions) === 10)
      const ratio = base && m.peakRssMb !== null && base.peakRssMb !== null ? `${(m.peakRssMb / base.peakRssMb).toFixed(2)}x of ${base.regions.toLocaleString('en-US')}` : ''
      out.push(`| ${m.regions.toLocaleString('en-US')} | ${m.fileMb} MB | ${m.verifyMasks ? 'yes' : 'no'} | ${seconds(m.wallMs)} | ${rss(m.peakRssMb)} | ${ratio} |`)
    }
  }
  if (stages.size > 0) {
    out.push('', 'In-process stage timings (inside an already started Node process; for profiling, not what a user waits for):', '')
    out.push('| Stage | Items | Wall time | Throughput | Peak RSS |', '|---|---|---|---|---|')
    // A stage whose peer was not available here (e.g. no panopticapi checkout) says so under the table, not as a row
    // of zeros.
    const skipped: string[] = []
    for (const s of stages.values()) {
      const why = (s as { skipped?: unknown }).skipped
      if (typeof why === 'string') skipped.push(`${s.stage}: ${why}`)
      else out.push(`| ${s.stage} | ${s.items.toLocaleString('en-US')} ${s.unit} | ${seconds(s.wallMs)} | ${Math.round(s.perSecond).toLocaleString('en-US')}/s | ${rss(s.peakRssMb)} |`)
    }
    if (skipped.length > 0) out.push('', `Not run on this machine: ${skipped.join('; ')}.`)
  }
  return `${out.join('\n')}\n`
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, options: { readme: { type: 'string' } }, allowPositionals: true })
  if (positionals.length === 0) throw new Error('usage: tsx bench/speed-table.ts BENCH_OUTPUT.jsonl [...] [--readme README.md]')
  const lines: unknown[] = []
  for (const file of positionals) {
    const text = await readFile(file, 'utf8')
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return
      try {
        lines.push(JSON.parse(line))
      } catch (err) {
        throw new Error(`${file}:${i + 1}: not a JSON line: ${(err as Error).message}`)
      }
    })
  }
  const table = renderSpeedTables(lines)
  if (values.readme === undefined) {
    process.stdout.write(table)
    return
  }
  const readme = await readFile(values.readme, 'utf8')
  const b = readme.indexOf(BEGIN)
  const e = readme.indexOf(END)
  if (b < 0 || e < b) throw new Error(`${values.readme} has no ${BEGIN} ... ${END} section`)
  await writeFile(values.readme, `${readme.slice(0, b + BEGIN.length)}\n${table}${readme.slice(e)}`)
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`speed-table: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exitCode = 1
})
