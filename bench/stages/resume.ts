// resume: what `convert --resume` saves after a crash (issue 17). The Pix2Cap-scale synthetic JSON (bench/synth.ts) is
// converted by the real CLI (child process; gpt4roi, Parquet + Arrow, 5,000-row shards): once uninterrupted, once
// stopped (PIXCAP_FAILPOINT) and SIGKILLed after half its shards, then resumed. Also the cost of the lone-surrogate
// scan that the whole-file JSON path runs (io/lone-surrogates.ts) over the same JSON text. Wall time per step (the child's own RSS is not measured here; peakRssMb is the bench process).
// Measured (2 shared cores, 20,672 rows, 5 shards): uninterrupted 2.35 s; killed after 2 shards; --resume 1.97 s;
// surrogate scan of the 39 MB JSON 26 ms.
import { spawn } from 'node:child_process'
import { readFile, rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { findLoneSurrogateEscape } from '../../src/io/input/lone-surrogates.js'
import { synthPaths } from '../synth.js'
import type { BenchContext, BenchResult, BenchStage } from '../stage.js'

const BIN = resolve(import.meta.dirname, '../../bin/pixcap.js')
const SHARD_ROWS = 5000

/** Runs the CLI; with `failpoint`, SIGKILLs it there. Resolves with the wall time. */
function run(args: string[], failpoint?: string): Promise<{ ms: number }> {
  const started = performance.now()
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...(failpoint ? { PIXCAP_FAILPOINT: failpoint } : {}) } })
    let err = ''
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString()
      if (failpoint && err.includes(`failpoint ${failpoint} reached`)) child.kill('SIGKILL')
    })
    child.on('exit', (code, signal) => {
      if (code === 0 || (failpoint && signal === 'SIGKILL')) ok({ ms: performance.now() - started })
      else fail(new Error(`pixcap ${args[0]} failed (${code ?? signal}): ${err}`))
    })
  })
}

export const resumeStage: BenchStage = {
  name: 'resume',
  async run(ctx: BenchContext): Promise<BenchResult[]> {
    const { jsonPath } = synthPaths(ctx.dataDir)
    const out = join(ctx.dataDir, 'resume-corpus')
    const args = ['convert', jsonPath, '--to', 'gpt4roi', '--format', 'parquet,arrow', '--max-shard-rows', String(SHARD_ROWS), '--out', out, '--split', 'train']
    await rm(out, { recursive: true, force: true })
    const full = await run([...args, '--json'])
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'))
    const rows: number = manifest.counts.samples
    const shards = Math.ceil(rows / SHARD_ROWS)
    await rm(out, { recursive: true, force: true })
    const half = Math.max(1, Math.floor(shards / 2))
    const killed = await run(args, `shard-finished:${half}`)
    const resumed = await run([...args, '--resume'])
    await rm(out, { recursive: true, force: true })

    const text = await readFile(jsonPath, 'utf8')
    const t0 = performance.now()
    findLoneSurrogateEscape(text)
    const scanMs = performance.now() - t0
    const mb = Buffer.byteLength(text) / 2 ** 20
    const rss = Math.round(process.resourceUsage().maxRSS / 1024)
    return [
      { stage: 'resume: uninterrupted convert', items: rows, unit: 'rows', wallMs: full.ms, perSecond: (rows / full.ms) * 1000, peakRssMb: rss, shards },
      { stage: `resume: convert killed after ${half} of ${shards} shards`, items: half * SHARD_ROWS, unit: 'rows', wallMs: killed.ms, perSecond: ((half * SHARD_ROWS) / killed.ms) * 1000, peakRssMb: rss },
      { stage: 'resume: --resume to the end', items: rows, unit: 'rows', wallMs: resumed.ms, perSecond: (rows / resumed.ms) * 1000, peakRssMb: rss, keptShards: half },
      { stage: 'resume: lone-surrogate scan of the JSON text', items: Math.round(mb), unit: 'MB', wallMs: scanMs, perSecond: (mb / scanMs) * 1000, peakRssMb: rss },
    ]
  },
}
