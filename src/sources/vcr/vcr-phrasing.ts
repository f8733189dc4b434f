// The fixed phrases of a VCR conversation. GPT4RoI's vcr.py draws one of 6 prefixes that list every object as
// `region{i} <bbox>` joined by ',' (`Ref_WAY`) and one of 39 follow-up questions asking for the rationale
// (`WHY_QUESTIONS`); reference/gpt4roi.md §6 describes them. pixcap words its own of each kind (their prose is not
// copied), and picks one per annotation by a hash of its id, so a conversion is reproducible with or without a seed.
import { deriveSeed } from '../../util/rng.js'

/** Prefixes of the question; `{regions}` is the list of every object's `region{i} <bbox>`. */
export const VCR_PREFIXES = ['In the image there are {regions}.', 'Consider {regions}.', 'Given {regions} in the picture,', '{regions}:', 'With {regions} marked,', 'Look at {regions}.'] as const

/** Follow-up questions that ask for the rationale of the answer. */
export const VCR_WHY_QUESTIONS = [
  'Why?',
  'Why do you say so?',
  'What is your reason for that answer?',
  'How can you tell?',
  'What in the picture supports that?',
  'Can you explain why?',
  'What makes that the right answer?',
  'Explain your reasoning.',
] as const

/** The phrase of `list` chosen for annotation `key` (a fixed function of the key). */
export function phraseFor<T>(list: readonly T[], key: string, salt: string): T {
  return list[deriveSeed(0, `${salt}:${key}`) % list.length] as T
}
