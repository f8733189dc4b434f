// Whole-process case `convert`: `pixcap convert <train.json> --to gpt4roi --format parquet,arrow` on the synthetic
// Pix2Cap-COCO-scale set (167,254 regions by default), against
// - the Python JSONL peer (bench/peers/convert_jsonl.py: stdlib json, the same samples, JSONL out),
// - the Python Parquet peer (bench/peers/convert_parquet.py: json + pyarrow, same columns, SNAPPY, 10k-row groups,
//   plus the Arrow stream),
// - the floor (bench/peers/floor_convert.mjs: Node reads, JSON.parses and writes back the same bytes).
// Targets (issue 18): pixcap <= 1.0x the JSONL peer and <= 3x the floor.
import { rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { synthPaths } from '../synth.js'
import type { WholeProcessCase } from './case.js'
import { benchPython } from './python.js'

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)))
const TEMPLATES = join(ROOT, 'templates/pixcap-default.json')

/** Throws unless a peer's JSON line reports `samples` equal to pixcap's. */
function sameSamples(label: string, expected: { samples?: number }) {
  return (stdout: string): void => {
    const line = JSON.parse(stdout.trim().split('\n').pop() as string) as { samples: number }
    if (expected.samples === undefined) expected.samples = line.samples
    else if (line.samples !== expected.samples) throw new Error(`${label}: ${line.samples} samples, pixcap wrote ${expected.samples}`)
  }
}

export const convertCase: WholeProcessCase = {
  name: 'convert',
  async prepare(ctx) {
    const { jsonPath } = synthPaths(ctx.dataDir)
    const out = join(ctx.dataDir, 'whole-convert')
    const python = benchPython(ROOT)
    const expected: { samples?: number } = {}
    let regions = 0
    return {
      items: () => regions,
      unit: 'regions',
      pixcap: {
        label: 'pixcap convert',
        argv: [process.execPath, join(ROOT, 'bin/pixcap.js'), 'convert', jsonPath, '--to', 'gpt4roi', '--out', join(out, 'pixcap'), '--format', 'parquet,arrow', '--overwrite', '--json'],
        before: () => rm(join(out, 'pixcap'), { recursive: true, force: true }),
        check(stdout) {
          const r = JSON.parse(stdout) as { manifest?: { counts: { samples: number; regions: { in: number } } }; counts?: { samples: number; regions: { in: number } } }
          const counts = r.manifest?.counts ?? r.counts
          if (counts === undefined) throw new Error(`pixcap convert --json printed no counts: ${stdout.slice(0, 300)}`)
          expected.samples = counts.samples
          regions = counts.regions.in
        },
      },
      peers: [
        {
          label: 'Python JSONL (json)',
          script: 'bench/peers/convert_jsonl.py',
          argv: [python, join(ROOT, 'bench/peers/convert_jsonl.py'), jsonPath, TEMPLATES, join(out, 'peer.jsonl')],
          check: sameSamples('convert_jsonl.py', expected),
        },
        {
          label: 'Python Parquet (json + pyarrow)',
          script: 'bench/peers/convert_parquet.py',
          argv: [python, join(ROOT, 'bench/peers/convert_parquet.py'), jsonPath, TEMPLATES, join(out, 'peer-parquet')],
          check: sameSamples('convert_parquet.py', expected),
        },
        {
          label: 'floor: Node read + JSON.parse + write',
          script: 'bench/peers/floor_convert.mjs',
          argv: [process.execPath, join(ROOT, 'bench/peers/floor_convert.mjs'), jsonPath, join(out, 'floor.json')],
        },
      ],
      cleanup: () => rm(out, { recursive: true, force: true }),
    }
  },
}
