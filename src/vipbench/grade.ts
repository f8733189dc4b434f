// ViP-Bench grading with an LLM judge, following ViP-LLaVA's evaluator (scripts/eval/vip-bench_evaluator.py;
// reference/vipbench.md §4): per run and per sample, one query at temperature 0 with max_tokens 3; when the answer's
// first token is not a float in [0, 1], re-ask with the meta-data question and the retry suffix, the temperature
// raised by 0.5 after each retry; after the 5th retry the score is 0.0. The grade file (same layout as the
// evaluator's `-grade-{n}runs.json`) is rewritten atomically after every sample, so a crash resumes where it stopped
// and never re-asks a graded (id, run).
import { PixcapError } from '../errors.js'
import { readJsonFile } from '../io/read-json.js'
import { writeFileAtomic } from '../util/atomic-write.js'
import type { ProgressSink } from '../util/progress.js'
import type { ChatClient } from './chat-client.js'
import { buildJudgeQuery, buildRetryQuery, type JudgePrompt } from './judge-prompt.js'
import { firstToken, parseJudgeScore } from './parse-score.js'
import { RawGradeFile, type RawVipMetaFile } from './raw-schema.js'

/** Judge settings fixed by the evaluator (vipbench.md §4). */
export const JUDGE_MAX_TOKENS = 3
export const JUDGE_TEMPERATURE_STEP = 0.5
/** The evaluator gives up (score 0.0) once its try counter exceeds this. */
export const JUDGE_MAX_TRIES = 5

/** Inputs of one grading job. */
export interface GradeVipBenchOptions {
  meta: RawVipMetaFile
  /** `v1_{question_id}` -> the split's question text (the first query uses it, not the meta question). */
  questions: Map<string, string>
  /** `v1_{question_id}` -> the model's answer. */
  answers: Record<string, string>
  client: ChatClient
  judge: JudgePrompt
  runs: number
  gradeFile: string
  /** Wait before re-sending after an API error (the evaluator sleeps 30 s). */
  apiRetryDelayMs?: number
  /** API errors tolerated per query before giving up (the evaluator retries forever). */
  maxApiRetries?: number
  onProgress?: ProgressSink
  signal?: AbortSignal
}

/** What a grading job did. */
export interface GradeSummary {
  gradeFile: string
  runs: number
  samples: number
  /** Queries sent in this invocation (resumed ones are not re-sent). */
  queries: number
  graded: number
  skippedAlreadyGraded: number
  /** Samples whose judge answers never parsed (scored 0.0 as the evaluator does). */
  unparseable: string[]
}

async function loadGrades(file: string): Promise<RawGradeFile> {
  try {
    return await readJsonFile(file, RawGradeFile)
  } catch (err) {
    if (!(err instanceof PixcapError)) throw err
    // No readable grade file yet: start from nothing (it is written after each grade).
    if (err.code === 'not_found' || err.code === 'io') return {}
    if (err.code === 'invalid_json') throw new PixcapError('invalid_json', file, [], `grade file is not valid JSON (${err.cause instanceof Error ? err.cause.message : err.detail}); move it away to start over`, { cause: err })
    throw err
  }
}

/** Waits `ms` or until `signal` aborts; the abort listener is removed either way (one per retry would pile up). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(t)
      reject(signal?.reason)
    }
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** Grades every (sample, run) not yet in the grade file. */
export async function gradeVipBench(o: GradeVipBenchOptions): Promise<GradeSummary> {
  const grades = await loadGrades(o.gradeFile)
  const ids = Object.keys(o.meta)
  for (const id of ids) {
    if (!(id in o.answers)) throw new PixcapError('not_found', 'answers', [id], `no answer for ${id}; the answers must cover all ${ids.length} ViP-Bench samples`)
    if (!o.questions.has(id)) throw new PixcapError('not_found', 'questions.jsonl', [id], `no question line with question_id ${id.slice(3)}`)
  }
  const summary: GradeSummary = { gradeFile: o.gradeFile, runs: o.runs, samples: ids.length, queries: 0, graded: 0, skippedAlreadyGraded: 0, unparseable: [] }
  const ask = async (content: string, temperature: number) => {
    const maxApiRetries = o.maxApiRetries ?? 20
    for (let attempt = 0; ; attempt++) {
      o.signal?.throwIfAborted()
      try {
        summary.queries++
        return await o.client.complete({ content, temperature, maxTokens: JUDGE_MAX_TOKENS })
      } catch (err) {
        if (attempt >= maxApiRetries) throw new PixcapError('io', 'judge', [], `judge request failed ${attempt + 1} times: ${(err as Error).message}; progress is saved in ${o.gradeFile}, run again to resume`)
        await sleep(o.apiRetryDelayMs ?? 30_000, o.signal)
      }
    }
  }
  const total = ids.length * o.runs
  let done = 0
  for (let run = 0; run < o.runs; run++) {
    for (const id of ids) {
      const entry = grades[id] ?? { model: [], content: [], score: [] }
      if (entry.score.length >= run + 1) {
        summary.skippedAlreadyGraded++
        o.onProgress?.({ kind: 'progress', stage: 'graded', done: ++done, total })
        continue
      }
      const meta = o.meta[id] as RawVipMetaFile[string]
      const prediction = o.answers[id] as string
      let temperature = 0
      let response = await ask(buildJudgeQuery(o.judge, o.questions.get(id) as string, meta.answer, prediction), temperature)
      let content = response.content
      let tries = 1
      let score: number
      for (;;) {
        const token = firstToken(content)
        const parsed = parseJudgeScore(token)
        if (parsed !== null) {
          score = parsed
          content = token
          break
        }
        response = await ask(buildRetryQuery(o.judge, meta.question, meta.answer, prediction), temperature)
        content = response.content
        tries++
        temperature += JUDGE_TEMPERATURE_STEP
        if (tries > JUDGE_MAX_TRIES) {
          score = 0
          summary.unparseable.push(id)
          break
        }
      }
      entry.model[run] = response.model
      entry.content[run] = content
      entry.score[run] = score
      grades[id] = entry
      await writeFileAtomic(o.gradeFile, `${JSON.stringify(grades, null, 4)}\n`)
      summary.graded++
      o.onProgress?.({ kind: 'progress', stage: 'graded', done: ++done, total })
    }
  }
  return summary
}
