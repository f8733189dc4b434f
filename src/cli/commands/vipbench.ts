// `pixcap vipbench prepare | grade | score` (reference/vipbench.md).
import { join } from 'node:path'
import { z } from 'zod'
import { PixcapError, UsageError } from '../../errors.js'
import { readJsonFile } from '../../io/input/read-json.js'
import { scoreVipBench, roundTo, type VipSample } from '../../metrics/vipbench-score.js'
import { writeFileAtomic } from '../../util/atomic-write.js'
import { loadVipAnswers } from '../../vipbench/answers.js'
import { createChatClient, DEFAULT_JUDGE_TIMEOUT_MS } from '../../vipbench/chat-client.js'
import { gradeVipBench } from '../../vipbench/grade.js'
import { PIXCAP_JUDGE_PROMPT, readJudgePromptFromCheckout } from '../../vipbench/judge-prompt.js'
import { loadVipMeta, loadVipQuestions, prepareVipBench, VipSplit, writeVipBenchQuestions } from '../../vipbench/prepare.js'
import { RawGradeFile } from '../../vipbench/raw-schema.js'
import { vipScoresCsv, vipScoresMarkdown } from '../../vipbench/report.js'
import { intFlag, parseCommandArgs, printJson, type Command } from '../command.js'
import { createProgressBar } from '../progress.js'

/** The judge record `vipbench grade` writes beside a grade file. */
const JudgeInfo = z.object({ judgePrompt: z.string(), judgeModel: z.string(), runs: z.number() })
export function judgeInfoFile(gradeFile: string): string {
  return gradeFile.replace(/\.json$/, '') + '.judge.json'
}

function splitFlag(value: string | undefined, usage: string): VipSplit {
  const parsed = VipSplit.safeParse(value ?? 'bbox')
  if (!parsed.success) throw new UsageError(`--split must be bbox or human, got "${value}"`, usage)
  return parsed.data
}

const prepareUsage = 'pixcap vipbench prepare --root <ViP-Bench dir> [--split bbox|human] --out questions.jsonl [--json]'
export const vipbenchPrepareCommand: Command = {
  name: 'vipbench prepare',
  summary: 'ViP-Bench -> GPT4RoI region questions (region{N} <bbox>, normalised boxes)',
  usage: prepareUsage,
  options: [
    { flag: '--root DIR', description: 'ViP-Bench folder (required)' },
    { flag: '--split bbox|human', description: 'visual prompt kind', default: 'bbox' },
    { flag: '--out FILE', description: 'questions JSONL to write (required)' },
    { flag: '--json', description: 'print the result (or the error) as JSON on stdout' },
  ],
  async run(rawArgs, io) {
    const { values } = parseCommandArgs(this, rawArgs, {
      options: { root: { type: 'string' }, split: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' } },
    })
    if (!values.root || !values.out) throw new UsageError('--root and --out are required', prepareUsage)
    const split = splitFlag(values.split, prepareUsage)
    const questions = await prepareVipBench({ root: values.root, split })
    await writeVipBenchQuestions(values.out, questions)
    const boxes = questions.reduce((n, q) => n + q.boxes.length, 0)
    if (values.json) printJson(io, { ok: true, split, questions: questions.length, boxes, out: values.out })
    else io.stdout.write(`prepared ${questions.length} ${split} questions with ${boxes} region boxes -> ${values.out}\n`)
    return 0
  },
}

const gradeUsage =
  'pixcap vipbench grade --root <ViP-Bench dir> --answers <answers.json|.jsonl> --base-url <OpenAI-compatible URL> --model <judge model> ' +
  '[--split bbox|human] [--runs N] [--grade-file F] [--api-key-env OPENAI_API_KEY] [--judge-prompt-from <ViP-LLaVA checkout>|pixcap] [--retry-delay-ms 30000] [--judge-timeout-s 120] [--json]'
export const vipbenchGradeCommand: Command = {
  name: 'vipbench grade',
  summary: 'grade answers with an LLM judge (resumable; N runs)',
  usage: gradeUsage,
  options: [
    { flag: '--root DIR', description: 'ViP-Bench folder (required)' },
    { flag: '--answers FILE', description: 'model answers .json or .jsonl (required)' },
    { flag: '--base-url URL', description: 'OpenAI-compatible judge endpoint (required)' },
    { flag: '--model NAME', description: 'judge model (required)' },
    { flag: '--split bbox|human', description: 'visual prompt kind', default: 'bbox' },
    { flag: '--runs N', description: 'grading runs', default: '1' },
    { flag: '--grade-file F', description: 'grade file, resumed when it exists' },
    { flag: '--api-key-env VAR', description: 'environment variable holding the API key', default: 'OPENAI_API_KEY' },
    { flag: '--judge-prompt-from DIR|pixcap', description: 'read the judge prompt from a ViP-LLaVA checkout, or use pixcap\'s own', default: 'pixcap' },
    { flag: '--retry-delay-ms N', description: 'wait before retrying a failed API call', default: '30000' },
    { flag: '--judge-timeout-s N', description: 'give up on one judge request after N seconds (then it is retried)', default: '120' },
    { flag: '--json', description: 'print the result (or the error) as JSON on stdout' },
  ],
  async run(rawArgs, io) {
    const { values } = parseCommandArgs(this, rawArgs, {
      options: {
        root: { type: 'string' }, answers: { type: 'string' }, 'base-url': { type: 'string' }, model: { type: 'string' },
        split: { type: 'string' }, runs: { type: 'string' }, 'grade-file': { type: 'string' }, 'api-key-env': { type: 'string' },
        'judge-prompt-from': { type: 'string' }, 'retry-delay-ms': { type: 'string' }, 'judge-timeout-s': { type: 'string' }, json: { type: 'boolean' },
      },
    })
    if (!values.root || !values.answers || !values['base-url'] || !values.model) {
      throw new UsageError('--root, --answers, --base-url and --model are required', gradeUsage)
    }
    const split = splitFlag(values.split, gradeUsage)
    const runs = intFlag('runs', values.runs, 1, gradeUsage)
    if (runs < 1) throw new UsageError('--runs must be at least 1', gradeUsage)
    const keyEnv = values['api-key-env'] ?? 'OPENAI_API_KEY'
    const judgeTimeoutS = intFlag('judge-timeout-s', values['judge-timeout-s'], DEFAULT_JUDGE_TIMEOUT_MS / 1000, gradeUsage)
    if (judgeTimeoutS < 1) throw new UsageError('--judge-timeout-s must be at least 1', gradeUsage)
    // `pixcap` (or no flag) is pixcap's own prompt; a path is a ViP-LLaVA checkout whose evaluator prompt is read.
    const from = values['judge-prompt-from']
    const judge = from && from !== 'pixcap' ? await readJudgePromptFromCheckout(from) : PIXCAP_JUDGE_PROMPT
    const meta = await loadVipMeta(values.root)
    const questions = new Map([...(await loadVipQuestions(values.root, split))].map(([k, q]) => [k, q.text]))
    const answers = await loadVipAnswers(values.answers)
    const safeModel = values.model.replace(/[^\w.-]+/g, '_')
    const gradeFile = values['grade-file'] ?? join(values.root, 'results', `${split}_${safeModel}-grade-${runs}runs.json`)
    const progress = createProgressBar(io, values.json === true)
    const summary = await gradeVipBench({
      meta, questions, answers, judge, runs, gradeFile,
      client: createChatClient({ baseUrl: values['base-url'], model: values.model, apiKey: io.env[keyEnv], timeoutMs: judgeTimeoutS * 1000 }),
      apiRetryDelayMs: intFlag('retry-delay-ms', values['retry-delay-ms'], 30_000, gradeUsage),
      onProgress: progress,
      ...(io.signal ? { signal: io.signal } : {}),
    })
    progress.finish()
    // Which prompt and judge produced the grades, beside the grade file, so `vipbench score` can say it.
    await writeFileAtomic(judgeInfoFile(gradeFile), `${JSON.stringify({ judgePrompt: judge.origin, judgeModel: values.model, runs }, null, 2)}\n`)
    if (values.json) printJson(io, { ok: true, judgePrompt: judge.origin, ...summary })
    else {
      io.stdout.write(`graded ${summary.graded} (resumed past ${summary.skippedAlreadyGraded}) of ${summary.samples} samples x ${runs} run(s) with ${summary.queries} judge queries -> ${gradeFile}\n`)
      io.stdout.write(`judge prompt: ${judge.origin}${judge.origin === 'pixcap' ? ' (scores are not comparable with published ViP-Bench numbers; use --judge-prompt-from)' : ''}\n`)
      if (summary.unparseable.length > 0) io.stdout.write(`unparseable judge answers scored 0.0: ${summary.unparseable.join(', ')}\n`)
    }
    return 0
  },
}

const scoreUsage = 'pixcap vipbench score --root <ViP-Bench dir> --grades <grade file> [--runs N] [--name MODEL] [--csv F] [--markdown F] [--json]'
export const vipbenchScoreCommand: Command = {
  name: 'vipbench score',
  summary: 'aggregate grades: per-capability mean x100, total, mean and std over runs',
  usage: scoreUsage,
  options: [
    { flag: '--root DIR', description: 'ViP-Bench folder (required)' },
    { flag: '--grades F', description: 'grade file from vipbench grade (required)' },
    { flag: '--runs N', description: 'runs to aggregate', default: 'all in the file' },
    { flag: '--name MODEL', description: 'model name in the tables', default: 'model' },
    { flag: '--csv F', description: 'also write a CSV table' },
    { flag: '--markdown F', description: 'also write a Markdown table' },
    { flag: '--json', description: 'print the result (or the error) as JSON on stdout' },
  ],
  async run(rawArgs, io) {
    const { values } = parseCommandArgs(this, rawArgs, {
      options: { root: { type: 'string' }, grades: { type: 'string' }, runs: { type: 'string' }, name: { type: 'string' }, csv: { type: 'string' }, markdown: { type: 'string' }, json: { type: 'boolean' } },
    })
    if (!values.root || !values.grades) throw new UsageError('--root and --grades are required', scoreUsage)
    const meta = await loadVipMeta(values.root)
    const grades = await readJsonFile(values.grades, RawGradeFile)
    const minRuns = Math.min(...Object.keys(meta).map((id) => grades[id]?.score.length ?? 0))
    const runs = intFlag('runs', values.runs, minRuns, scoreUsage)
    const missing = Object.keys(meta).filter((id) => (grades[id]?.score.length ?? 0) < runs)
    if (runs < 1 || missing.length > 0) {
      throw new UsageError(`${values.grades}: ${missing.length} sample(s) lack ${Math.max(runs, 1)} graded run(s) (first: ${missing.slice(0, 5).join(', ')}); finish grading first`)
    }
    const samples = new Map<string, VipSample>(Object.entries(meta).map(([id, m]) => [id, { capability: m.capability, scores: grades[id]?.score ?? [] }]))
    const scores = scoreVipBench(samples, runs)
    const name = values.name ?? 'model'
    const judge = await readJsonFile(judgeInfoFile(values.grades), JudgeInfo).catch((err: unknown) => {
      if (err instanceof PixcapError && err.code === 'not_found') return { judgePrompt: 'unknown (no judge record beside the grade file)', judgeModel: 'unknown', runs }
      throw err
    })
    if (values.csv) await writeFileAtomic(values.csv, vipScoresCsv(name, scores))
    if (values.markdown) await writeFileAtomic(values.markdown, vipScoresMarkdown(name, scores))
    const comparable = judge.judgePrompt !== 'pixcap'
    if (values.json) printJson(io, { ok: true, judgePrompt: judge.judgePrompt, judgeModel: judge.judgeModel, ...scores })
    else {
      io.stdout.write(`judge: ${judge.judgeModel}, prompt ${judge.judgePrompt}${comparable ? '' : " (pixcap's own: not comparable with published ViP-Bench scores)"}\n\n`)
      io.stdout.write(vipScoresMarkdown(name, scores))
      io.stdout.write(`\ntotal ${roundTo(scores.total, 1)} (std ${roundTo(scores.std, 1)} over ${runs} run(s))\n`)
    }
    return 0
  },
}
