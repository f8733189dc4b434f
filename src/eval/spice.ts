// SPICE 1.0 through its own jar, as pycocoevalcap runs it (spice/spice.py, metrics.md §7):
//   java -jar -Xmx8G spice-1.0.jar in.json -cache <dir> -out out.json -subset -silent
// in.json = [{ image_id, test, refs }]; out.json = [{ image_id, scores: { All: { f, pr, re }, ... } }].
// The score is np.mean of scores.All.f (null/non-numbers become NaN as spice.py's float_convert does, so the mean can be
// NaN). SPICE needs CoreNLP 3.6.0 models beside the jar (get_stanford_models.py) and Java 8/11 (metrics.md §7).
// Real jar runs are not tested in this repository: the tests run a Java-free stand-in that reads and writes the files.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { execa } from 'execa'
import { z } from 'zod'
import { PixcapError } from '../errors.js'
import { validateJson } from '../io/input/read-json.js'
import type { CaptionPair } from '../metrics/bleu.js'
import { npMean } from '../metrics/np-mean.js'
import { commandLine, type ProcessPlan } from './meteor.js'

/** The command pycocoevalcap uses; `{in}`/`{out}` are filled per run. The cache defaults to `<jar dir>/cache` as upstream. */
export function planSpice(jar: string, files: { input: string; output: string; cache?: string }, java = 'java'): ProcessPlan {
  const cache = files.cache ?? join(dirname(jar), 'cache')
  return { file: java, args: ['-jar', '-Xmx8G', jar, files.input, '-cache', cache, '-out', files.output, '-subset', '-silent'], cwd: dirname(jar) }
}

const SpiceOutput = z.array(z.looseObject({
  image_id: z.union([z.number(), z.string()]),
  scores: z.looseObject({ All: z.looseObject({ f: z.unknown() }) }),
}))

/** spice.py float_convert: anything float() rejects becomes NaN. */
function toFloat(v: unknown): number {
  if (typeof v === 'number') return v
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v)
  return Number.NaN
}

/** Runs SPICE over the images (ids as given); `plan` receives the temp input/output paths. */
export async function runSpice(
  pairs: readonly CaptionPair[],
  ids: readonly (string | number)[],
  plan: (files: { input: string; output: string }) => ProcessPlan,
  opts: { signal?: AbortSignal } = {},
): Promise<{ corpus: number; perImage: number[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'pixcap-spice-'))
  try {
    const input = join(dir, 'in.json')
    const output = join(dir, 'out.json')
    await writeFile(input, JSON.stringify(pairs.map((p, i) => ({ image_id: ids[i], test: p.hyp, refs: p.refs }))))
    const p = plan({ input, output })
    const result = await execa(p.file, p.args, { cwd: p.cwd, reject: false, cancelSignal: opts.signal, stdin: 'ignore' })
    if (result.failed) {
      throw new PixcapError('run_failed', commandLine(p), [], `${result.exitCode !== undefined ? `SPICE exited with code ${result.exitCode}` : result.shortMessage}${result.stderr ? `; stderr: ${String(result.stderr).slice(-2000)}` : ''}`)
    }
    let json: unknown
    try {
      json = JSON.parse(await readFile(output, 'utf8'))
    } catch (err) {
      throw new PixcapError('protocol', output, [], `SPICE wrote no readable JSON: ${(err as Error).message}`, { cause: err })
    }
    const rows = validateJson(SpiceOutput, json, `${commandLine(p)} (output)`)
    const byId = new Map(rows.map((r) => [String(r.image_id), toFloat(r.scores.All.f)]))
    const perImage = ids.map((id, i) => {
      const v = byId.get(String(id))
      if (v === undefined) throw new PixcapError('protocol', commandLine(p), [], `SPICE output has no entry for image ${JSON.stringify(id)} (input index ${i})`)
      return v
    })
    // spice.py averages in the order of its output file, not the input order.
    return { corpus: npMean(rows.map((r) => toFloat(r.scores.All.f))), perImage }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
