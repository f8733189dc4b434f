// Answers come either as the grading dict `{"v1_{question_id}": text}` or as answer lines, one per question: the
// shared RegionAnswer line (src/schemas/region-qa.ts) that the bridge's infer writes and that has the field names of
// llava/eval/model_vqa.py's lines (vipbench.md §3).
import { readFile } from 'node:fs/promises'
import { PixcapError } from '../errors.js'
import { readJsonFile, readJsonlFile } from '../io/input/read-json.js'
import { RegionAnswer } from '../schemas/region-qa.js'
import { RawVipAnswers } from './raw-schema.js'

/** Loads answers keyed `v1_{question_id}` from either format (detected by the first non-blank character). */
export async function loadVipAnswers(file: string): Promise<Record<string, string>> {
  let head: string
  try {
    head = (await readFile(file, 'utf8')).trimStart().slice(0, 1)
  } catch (err) {
    throw new PixcapError('not_found', file, [], `cannot read: ${(err as Error).message}`)
  }
  if (head === '{') {
    // A dict file is one JSON object; a JSONL file's first line is an object too: try the dict first.
    try {
      return await readJsonFile(file, RawVipAnswers)
    } catch (err) {
      if (!(err instanceof PixcapError) || err.code !== 'invalid_json') throw err
    }
  }
  const lines = await readJsonlFile(file, RegionAnswer)
  return Object.fromEntries(lines.map((l) => [`v1_${l.question_id}`, l.text]))
}
