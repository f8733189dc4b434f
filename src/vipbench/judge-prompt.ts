// The judge prompt. pixcap ships its OWN prompt that states the same scoring rules as ViP-Bench's evaluator
// (reference/vipbench.md §4: compare ground truth with prediction; <AND> needs every element, <OR> any one; scores
// 0.0..1.0 in 0.1 steps; complete only the last cell of a `Question | Ground truth | Prediction | Correctness` table
// of few-shot rows). Scores graded with it are NOT comparable with published ViP-Bench numbers: for those, read the
// evaluator's own prompt from the user's ViP-LLaVA checkout at run time (`--judge-prompt-from`).
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PixcapError } from '../errors.js'

/** A judge prompt and the suffix appended to the fallback query when an answer cannot be parsed. */
export interface JudgePrompt {
  /** Where it came from: `pixcap` or the evaluator file path. */
  origin: string
  prompt: string
  retrySuffix: string
}

/** pixcap's own judge prompt (our wording and our few-shot rows). */
export const PIXCAP_JUDGE_PROMPT: JudgePrompt = {
  origin: 'pixcap',
  prompt: [
    'You grade answers of an AI model against a ground truth. Output only a correctness score for the last row.',
    'In the ground truth, "<AND>" joins elements that must all appear in the prediction for full credit, and "<OR>"',
    'joins alternatives of which any single one earns full credit. Allowed scores: 0.0 (wrong), 0.1, 0.2, 0.3, 0.4,',
    '0.5, 0.6, 0.7, 0.8, 0.9, 1.0 (fully right). Fill in only the empty last cell of the table.',
    '',
    'Question | Ground truth | Prediction | Correctness',
    '--- | --- | --- | ---',
    'How many apples are inside the green box? | 3 | There are five apples. | 0.0',
    'How many apples are inside the green box? | 3 | Three apples are in the box. | 1.0',
    'Which two colours does the flag in the red rectangle show? | blue <AND> yellow | The flag is blue. | 0.5',
    'Which two colours does the flag in the red rectangle show? | blue <AND> yellow | Blue and yellow stripes. | 1.0',
    'What animal is in the purple ellipse? | dog <OR> puppy | A puppy lying on the grass. | 1.0',
    'Why is the sign in the blue rectangle funny? | The sign says "No swimming" but it stands in a dry, empty pool, so the warning is pointless. | It is a no swimming sign near a pool. | 0.3',
    'Why is the sign in the blue rectangle funny? | The sign says "No swimming" but it stands in a dry, empty pool, so the warning is pointless. | The joke is that it forbids swimming in a pool that has no water, which makes the rule absurd. | 1.0',
    '',
  ].join('\n'),
  retrySuffix: '\nReply with the correctness score only, as a number between 0.0 and 1.0: ',
}

/** Path of ViP-LLaVA's evaluator inside a checkout (vipbench.md Sources). */
const VIP_EVALUATOR_PATH = 'scripts/eval/vip-bench_evaluator.py'

/**
 * Reads the evaluator's own prompt from a user's ViP-LLaVA checkout: the triple-quoted string assigned to `prompt`,
 * and the string literal appended to the retry query (the `+ "\n..."` suffix), so that grades compare with published
 * ViP-Bench scores. Nothing of it is stored in pixcap.
 */
export async function readJudgePromptFromCheckout(checkoutDir: string): Promise<JudgePrompt> {
  const file = join(checkoutDir, VIP_EVALUATOR_PATH)
  let source: string
  try {
    source = await readFile(file, 'utf8')
  } catch (err) {
    throw new PixcapError('not_found', file, [], `cannot read the ViP-Bench evaluator: ${(err as Error).message}; --judge-prompt-from expects a ViP-LLaVA checkout`)
  }
  return parseEvaluatorPrompt(source, file)
}

/** Extracts the prompt and retry suffix from the evaluator's Python source (see readJudgePromptFromCheckout). */
export function parseEvaluatorPrompt(source: string, file: string): JudgePrompt {
  const m = source.match(/^prompt\s*=\s*("""|''')([\s\S]*?)\1/m)
  if (!m) throw new PixcapError('unsupported', file, [], 'no `prompt = """..."""` assignment found; is this ViP-LLaVA\'s vip-bench_evaluator.py?')
  // The retry suffix: a string literal starting with a newline escape and carrying text, appended with `+`
  // (the bare `'\n'` between prompt and table row is skipped because it has nothing after the escape).
  const suffix = source.match(/\+\s*(["'])(\\n(?:(?!\1)[^\\\n]|\\.)+)\1/)
  if (!suffix) throw new PixcapError('unsupported', file, [], 'no retry suffix (a `+ "\\n..."` string literal) found in the evaluator')
  return { origin: file, prompt: unescapePython(m[2] as string), retrySuffix: unescapePython(suffix[2] as string) }
}

/** Decodes the common Python string escapes (\n, \t, \\, \', \"). */
function unescapePython(s: string): string {
  return s.replace(/\\([nt\\'"])/g, (_m, c: string) => ({ n: '\n', t: '\t' })[c as 'n' | 't'] ?? c)
}

/** Spaces the answer's connectives as the evaluator does before it goes into the table row. */
function spaceConnectives(answer: string): string {
  return answer.replaceAll('<AND>', ' <AND> ').replaceAll('<OR>', ' <OR> ')
}

/** The first query for a sample: prompt, newline, then the table row with an empty last cell (vipbench.md §4). */
export function buildJudgeQuery(p: JudgePrompt, question: string, answer: string, prediction: string): string {
  return `${p.prompt}\n${[question, spaceConnectives(answer), prediction, ''].join(' | ')}`
}

/** The fallback query after an unparseable answer: the meta-data question, then the retry suffix (vipbench.md §4). */
export function buildRetryQuery(p: JudgePrompt, metaQuestion: string, answer: string, prediction: string): string {
  return `${buildJudgeQuery(p, metaQuestion, answer, prediction)}${p.retrySuffix}`
}
