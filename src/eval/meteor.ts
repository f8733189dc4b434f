// METEOR 1.5 through its own jar, as pycocoevalcap runs it (meteor/meteor.py, metrics.md §4):
//   java -jar -Xmx2G meteor-1.5.jar - - -stdio -l en -norm
// For each image we send `SCORE ||| ref1 ||| ... ||| refN ||| hyp` and read one line of sufficient statistics; then
// one `EVAL ||| stats1 ||| ... ||| statsN` line answers N per-image scores and a final corpus score computed from the
// pooled statistics (the reported METEOR; not a mean). Real jar runs are not tested in this repository: the tests
// drive a Java-free stand-in that speaks the same line protocol.
import { dirname } from 'node:path'
import { createInterface } from 'node:readline'
import { execa } from 'execa'
import { PixcapError } from '../errors.js'
import type { CaptionPair } from '../metrics/bleu.js'

/** A process to start: program, arguments and working directory. */
export interface ProcessPlan {
  file: string
  args: string[]
  cwd: string
}

/** The command pycocoevalcap uses, run from the jar's directory (the jar finds its data/ there). */
export function planMeteor(jar: string, java = 'java'): ProcessPlan {
  return { file: java, args: ['-jar', '-Xmx2G', jar, '-', '-', '-stdio', '-l', 'en', '-norm'], cwd: dirname(jar) }
}

/** The SCORE line for one image; `|||` is stripped from the hypothesis as meteor.py does. */
export function meteorScoreLine(hyp: string, refs: readonly string[]): string {
  const h = hyp.replaceAll('|||', '').replaceAll('  ', ' ')
  return ['SCORE', refs.join(' ||| '), h].join(' ||| ')
}

/** The command line as one string, for messages. */
export function commandLine(plan: ProcessPlan): string {
  return [plan.file, ...plan.args].join(' ')
}

function parseScore(line: string | undefined, what: string, plan: ProcessPlan): number {
  const v = line === undefined ? Number.NaN : Number(line.trim())
  if (line === undefined || line.trim() === '' || !Number.isFinite(v)) {
    throw new PixcapError('protocol', commandLine(plan), [], `METEOR ${what}: expected a number, got ${line === undefined ? 'end of output' : JSON.stringify(line)}`)
  }
  return v
}

/** Runs METEOR over the images in order; returns the jar's corpus score and per-image scores. */
export async function runMeteor(pairs: readonly CaptionPair[], plan: ProcessPlan, opts: { signal?: AbortSignal } = {}): Promise<{ corpus: number; perImage: number[] }> {
  const child = execa(plan.file, plan.args, { cwd: plan.cwd, stdin: 'pipe', stdout: 'pipe', stderr: 'pipe', reject: false, cancelSignal: opts.signal, buffer: { stdout: false, stderr: true } })
  // A child that dies early makes writes fail with EPIPE; the missing answer is reported instead.
  child.stdin.on('error', () => {})
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  const next = async (): Promise<string | undefined> => {
    const r = await lines.next()
    return r.done ? undefined : r.value
  }
  const send = (line: string): void => {
    child.stdin.write(`${line}\n`)
  }
  try {
    const stats: string[] = []
    for (const { hyp, refs } of pairs) {
      send(meteorScoreLine(hyp, refs))
      const line = await next()
      if (line === undefined) throw new PixcapError('protocol', commandLine(plan), [], 'METEOR closed its output before answering a SCORE line')
      stats.push(line.trim())
    }
    send(['EVAL', ...stats].join(' ||| '))
    const perImage: number[] = []
    for (let i = 0; i < pairs.length; i++) perImage.push(parseScore(await next(), `score of image ${i}`, plan))
    const corpus = parseScore(await next(), 'corpus score', plan)
    return { corpus, perImage }
  } catch (err) {
    child.kill()
    const result = await child
    if (err instanceof PixcapError) {
      const why = [result.failed ? result.shortMessage : '', result.stderr ? `stderr: ${String(result.stderr).slice(-2000)}` : ''].filter(Boolean)
      if (why.length > 0) throw new PixcapError('protocol', err.file, [], `${err.detail}; ${why.join('; ')}`, { cause: err })
    }
    throw err
  } finally {
    child.stdin.end()
    await child
  }
}
