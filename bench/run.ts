// `npm run bench`: builds the synthetic Pix2Cap-COCO-scale set once (bench/synth.ts), then
// 1. runs every stage of bench/stages/index.ts in its own child process, so that each result's peakRssMb is that
//    process's maxRSS and no stage inherits another's heap (table "in-process": timings inside a started process,
//    for profiling);
// 2. runs every whole-process case of bench/whole/index.ts: the pixcap command a user types and its peers, each as a
//    child process, --repeat times (default 3), alternating (table "whole-process": what a shell sees).
// Prints one JSON line per result on stdout; logs go to stderr. bench/speed-table.ts turns the output into the
// README's speed table.
//
//   tsx bench/run.ts [--only <name>]... [--table in-process|whole-process] [--repeat N] [--png-images N] [--keep]
//                    [--data <dir>] [--key=value ...]
//
// --only selects stages and cases by name (`--only convert` runs the in-process stage and the whole-process case);
// `--only memory` adds the memory rows (bench/whole/memory.ts: peak RSS of pixcap convert from 100k to 5M regions).
//
// --images / --regions shrink the synthetic set (default: Pix2Cap-COCO train, 20,550 / 167,254) for smoke runs.
// --data reuses (and keeps) an existing synthetic set; otherwise it lives in a temp dir removed at the end unless
// --keep. Unknown --key=value flags reach the stages as ctx.options (e.g. --concurrency=4, --rle=1).
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { execa } from 'execa'
import type { BenchContext } from './stage.js'
import { STAGES } from './stages/index.js'
import { makeSynthSet, synthPaths } from './synth.js'
import { WHOLE_PROCESS_CASES } from './whole/index.js'
import { runWholeProcessCases } from './whole/run-cases.js'
import { runMemoryRows } from './whole/memory.js'

const DEFAULT_PNG_IMAGES = 1000
const KNOWN = new Set(['only', 'png-images', 'keep', 'data', 'child', 'images', 'regions', 'table', 'repeat'])
const ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '')

async function main(argv: string[]): Promise<void> {
  const { values, tokens } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string', multiple: true },
      'png-images': { type: 'string' },
      keep: { type: 'boolean' },
      data: { type: 'string' },
      child: { type: 'string' },
      images: { type: 'string' },
      regions: { type: 'string' },
      table: { type: 'string' },
      repeat: { type: 'string' },
    },
    strict: false,
    tokens: true,
  })
  const options: Record<string, string> = {}
  for (const t of tokens) {
    if (t.kind === 'option' && !KNOWN.has(t.name)) options[t.name] = t.value ?? 'true'
  }
  const pngImages = Number(values['png-images'] ?? DEFAULT_PNG_IMAGES)
  if (!Number.isInteger(pngImages) || pngImages < 1) throw new Error(`--png-images must be a positive integer, got ${values['png-images']}`)

  if (typeof values.child === 'string') {
    await runChild(values.child, { dataDir: String(values.data), pngImages, options })
    return
  }

  const only = (values.only ?? []).map(String)
  const names = [...STAGES.map((s) => s.name), ...WHOLE_PROCESS_CASES.map((c) => c.name), 'memory']
  const unknown = only.filter((name) => !names.includes(name))
  if (unknown.length > 0) throw new Error(`unknown stage(s) ${unknown.join(', ')}; stages: ${[...new Set(names)].join(', ')}`)
  const table = values.table === undefined ? undefined : String(values.table)
  if (table !== undefined && table !== 'in-process' && table !== 'whole-process') throw new Error(`--table must be in-process or whole-process, got ${table}`)
  const repeat = Number(values.repeat ?? 3)
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat must be a positive integer, got ${String(values.repeat)}`)
  const stages = table === 'whole-process' ? [] : only.length > 0 ? STAGES.filter((s) => only.includes(s.name)) : STAGES
  const cases = table === 'in-process' ? [] : only.length > 0 ? WHOLE_PROCESS_CASES.filter((c) => only.includes(c.name)) : WHOLE_PROCESS_CASES

  // The machine the figures come from (bench/speed-table.ts prints it above the tables).
  const cpu = cpus()
  process.stdout.write(`${JSON.stringify({ table: 'machine', date: new Date().toISOString(), cpus: cpu.length, cpuModel: cpu[0]?.model.trim() ?? 'unknown', node: process.version, argv: argv })}\n`)

  const given = typeof values.data === 'string' ? values.data : undefined
  const dataDir = given ?? (await mkdtemp(join(tmpdir(), 'pixcap-bench-')))
  try {
    if (given === undefined || !existsSync(synthPaths(dataDir).jsonPath)) {
      const t0 = performance.now()
      const size = (flag: 'images' | 'regions'): number | undefined => {
        const v = values[flag]
        if (v === undefined) return undefined
        const n = Number(v)
        if (!Number.isInteger(n) || n < 1) throw new Error(`--${flag} must be a positive integer, got ${String(v)}`)
        return n
      }
      const images = size('images')
      const regions = size('regions')
      const set = await makeSynthSet({
        dir: dataDir,
        pngImages,
        ...(images !== undefined ? { images } : {}),
        ...(regions !== undefined ? { regions } : {}),
      })
      process.stderr.write(
        `bench: synthetic set in ${dataDir}: ${set.images} images, ${set.regions} regions, ${set.pngImages} PNGs (${Math.round(performance.now() - t0)} ms)\n`,
      )
    }
    const self = fileURLToPath(import.meta.url)
    const passOn = Object.entries(options).map(([k, v]) => `--${k}=${v}`)
    for (const stage of stages) {
      // node --import tsx: the child runs the same TypeScript sources without a build step.
      const child = await execa(
        process.execPath,
        ['--import', 'tsx', self, '--child', stage.name, '--data', dataDir, '--png-images', String(pngImages), ...passOn],
        { stdout: 'pipe', stderr: 'inherit', reject: false },
      )
      if (child.exitCode !== 0) {
        process.stderr.write(`bench: stage ${stage.name} failed with exit code ${child.exitCode}\n`)
        process.exitCode = 1
      }
      for (const line of child.stdout.split('\n')) if (line.trim() !== '') process.stdout.write(`${line}\n`)
    }
    await runWholeProcessCases(cases, { dataDir, pngImages, options }, ROOT, repeat)
    // Memory rows take minutes (corpora up to 5M regions): only when asked for by name.
    if (only.includes('memory')) await runMemoryRows({ dataDir, pngImages, options })
  } finally {
    if (given === undefined && values.keep !== true) await rm(dataDir, { recursive: true, force: true })
    else process.stderr.write(`bench: kept ${dataDir}\n`)
  }
}

async function runChild(name: string, ctx: BenchContext): Promise<void> {
  const stage = STAGES.find((s) => s.name === name)
  if (stage === undefined) throw new Error(`unknown stage ${name}`)
  const results = await stage.run(ctx)
  // maxRSS is in kilobytes (process.resourceUsage): the peak of this child, i.e. of this stage alone.
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024)
  for (const r of results) process.stdout.write(`${JSON.stringify({ table: 'in-process', ...r, peakRssMb })}\n`)
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
  process.exitCode = 1
})
