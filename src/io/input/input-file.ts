// Checks an input path before a command starts work on it, so that a directory or a missing file is one clear
// error naming the path (Node's own `EISDIR: illegal operation on a directory, read` names nothing).
import { stat } from 'node:fs/promises'
import { PixcapError } from '../../errors.js'

/** Throws PixcapError naming `file` unless it is a readable regular file; `what` says what the file should be. */
export async function checkInputFile(file: string, what = 'a file'): Promise<void> {
  let s
  try {
    s = await stat(file)
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    if (e.code === 'ENOENT') throw new PixcapError('not_found', file, [], `file not found (expected ${what})`, { cause: err })
    throw new PixcapError('io', file, [], `cannot read: ${e.message}`, { cause: err })
  }
  if (s.isDirectory()) throw new PixcapError('io', file, [], `is a directory, expected ${what}`)
  if (!s.isFile()) throw new PixcapError('io', file, [], `is not a regular file, expected ${what}`)
}
