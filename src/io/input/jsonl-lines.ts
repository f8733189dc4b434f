// Streams a JSON Lines file value by value (VCR's train.jsonl is several hundred MB: one string of it would near
// V8's limit). Blank lines are skipped; a line that is not JSON is a PixcapError naming the file and `["line N"]`,
// the path readJsonlFile (read-json.ts) uses, so both readers' errors read alike.
import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { PixcapError } from '../../errors.js'
import { checkNoLoneSurrogates } from './lone-surrogates.js'

/** One parsed line: its 1-based number and value. */
export interface JsonlLine {
  line: number
  value: unknown
}

/** Yields each non-blank line of `file` parsed as JSON. */
export async function* readJsonlLines(file: string): AsyncGenerator<JsonlLine> {
  const stream = createReadStream(file, { encoding: 'utf8' })
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve())
    stream.once('error', reject)
  })
  try {
    await opened
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    throw new PixcapError(e.code === 'ENOENT' ? 'not_found' : 'io', file, [], e.code === 'ENOENT' ? 'file not found' : `cannot read: ${e.message}`, { cause: err })
  }
  const lines = createInterface({ input: stream, crlfDelay: Infinity })
  let n = 0
  try {
    for await (const text of lines) {
      n++
      if (text.trim() === '') continue
      const where = [`line ${n}`]
      let value: unknown
      try {
        value = JSON.parse(text)
      } catch (err) {
        throw new PixcapError('invalid_json', file, where, `not valid JSON: ${(err as Error).message}`, { cause: err })
      }
      checkNoLoneSurrogates(text, value, file, where)
      yield { line: n, value }
    }
  } finally {
    lines.close()
    stream.destroy()
  }
}
