// The other two VCR loaders of GPT4RoI's stage 2 (jshilong/GPT4RoI gpt4roi/configs/stage2.py lists `vcr`,
// `single_vcr` and `multi_vcr` over the same train.jsonl, so each line can be up to three samples). Both keep only
// the objects the QUESTION names, as regions in the order of their numbers there, and write `region{k} <bbox>` inline
// (gpt4roi/datasets/vcr.py SingleVCRDataset / MultiVCRDataset .load_annotations). The rules, followed here:
//   - `judge_format`: the digit runs (`\d+`, no word boundary) of question, answer and rationale; format 0 when the
//     answer's numbers are a subset of the question's, format 1 when answer's and rationale's together are; a line
//     with neither, or whose answer has no number, is not used; `single_region` when the question has at most one;
//   - question numbers are 1-based object indices; one outside 1..objects skips the line;
//   - single (one number in the question): every digit run of the question becomes `region1 <bbox>`; the answer's
//     first number's text, and (format 1) the rationale's first number's text, become `{class} at region1`
//     (str.replace, all occurrences); the rationale turn and a "why" question only in format 1;
//   - multi (several): each question number n (k-th, in order) is replaced as a whole word in question, answer and
//     (format 1) rationale, by `region{k} <bbox>` in the question and `{objects[n-1]} at region{k}` in the others;
//     a line whose question then holds another `<bbox>` count than it names numbers is skipped (a repeated number).
// Upstream skips silently what does not fit; these are not rejects here either: they are not samples of that loader.
import { BBOX_TOKEN } from '../../instruct/gpt4roi-tokens.js'
import type { ConversationTurn } from '../../records/index.js'

/** A variant's conversation: its turns (without the image token) and the object indices (0-based) of its `<bbox>`. */
export interface VcrVariant {
  kind: 'single' | 'multi'
  turns: ConversationTurn[]
  objects: number[]
}

const digitRuns = (s: string): string[] => s.match(/\d+/g) ?? []
const isSubset = (a: Iterable<string>, b: ReadonlySet<string>): boolean => [...a].every((x) => b.has(x))

/** The single_vcr or multi_vcr conversation of one annotation, or null when that loader does not use it. */
export function vcrVariant(ann: { objects: readonly string[]; question_orig: string; answer_orig: string; rationale_orig: string }, why: string): VcrVariant | null {
  let q = ann.question_orig
  let a = ann.answer_orig
  let r = ann.rationale_orig
  const qDigits = digitRuns(q)
  const aDigits = digitRuns(a)
  const rDigits = digitRuns(r)
  const qSet = new Set(qDigits)
  let format = -1
  if (isSubset(aDigits, qSet)) format = 0
  if (isSubset([...aDigits, ...rDigits], qSet)) format = 1
  if (format < 0 || aDigits.length === 0) return null
  const objects = qDigits.map((d) => Number(d) - 1)
  if (objects.some((k) => k < 0 || k >= ann.objects.length)) return null
  const withWhy = (question: string, answer: string, rationale: string): ConversationTurn[] => [
    { from: 'human', value: question },
    { from: 'gpt', value: answer },
    ...(format === 1 ? [{ from: 'human' as const, value: why }, { from: 'gpt' as const, value: rationale }] : []),
  ]
  if (qDigits.length <= 1) {
    q = q.replace(/\d+/g, `region1 ${BBOX_TOKEN}`)
    const name = ann.objects[objects[0]!]!
    a = a.split(aDigits[0]!).join(`${name} at region1`)
    if (format === 1 && rDigits.length > 0) {
      const rName = ann.objects[Number(rDigits[0]) - 1]
      if (rName === undefined) return null
      r = r.split(rDigits[0]!).join(`${rName} at region1`)
    }
    return { kind: 'single', turns: withWhy(q, a, r), objects }
  }
  // Placeholders first, so a number written by an earlier replacement is not replaced again.
  const mark = (k: number): string => `\u0000${k}\u0000`
  qDigits.forEach((d, k) => {
    const word = new RegExp(`\\b${d}\\b`, 'g')
    q = q.replace(word, mark(k))
    a = a.replace(word, mark(k))
    if (format === 1) r = r.replace(word, mark(k))
  })
  qDigits.forEach((d, k) => {
    const name = `${ann.objects[Number(d) - 1]} at region${k + 1}`
    q = q.split(mark(k)).join(`region${k + 1} ${BBOX_TOKEN}`)
    a = a.split(mark(k)).join(name)
    if (format === 1) r = r.split(mark(k)).join(name)
  })
  if (q.split(BBOX_TOKEN).length - 1 !== objects.length) return null
  return { kind: 'multi', turns: withWhy(q, a, r), objects }
}
