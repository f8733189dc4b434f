// Write to a temporary name, then rename (STYLE.md §12): a crash leaves only `*.incomplete`, never a file that looks done.
import { createWriteStream } from 'node:fs'
import { mkdir, open, rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { Readable } from 'node:stream'

/** Suffix of files being written; anything with it is incomplete by definition. */
export const INCOMPLETE_SUFFIX = '.incomplete'

/** A temporary name beside `dest`, unique per process and call, ending in INCOMPLETE_SUFFIX. */
export function temporaryPathFor(dest: string): string {
  return `${dest}.${process.pid}.${Math.random().toString(36).slice(2, 8)}${INCOMPLETE_SUFFIX}`
}

/** Writes `data` to `dest` atomically (temp file in the same directory, fsync, rename). */
export async function writeFileAtomic(dest: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(dest), { recursive: true })
  const tmp = temporaryPathFor(dest)
  const fh = await open(tmp, 'w')
  try {
    await fh.writeFile(data)
    await fh.sync()
  } catch (err) {
    await fh.close().catch(() => {})
    await rm(tmp, { force: true })
    throw err
  }
  await fh.close()
  await rename(tmp, dest)
}

/** Streams `source` into `dest` atomically; on any error the temp file is removed and `dest` is untouched. */
export async function writeStreamAtomic(dest: string, source: Readable | AsyncIterable<string | Uint8Array>): Promise<void> {
  await mkdir(dirname(dest), { recursive: true })
  const tmp = temporaryPathFor(dest)
  try {
    await pipeline(source, createWriteStream(tmp))
  } catch (err) {
    await rm(tmp, { force: true })
    throw err
  }
  await rename(tmp, dest)
}

/** A file being written incrementally; `commit()` renames it into place, `abort()` removes it. */
export interface AtomicFileHandle {
  readonly path: string
  readonly tmpPath: string
  write(chunk: string | Uint8Array): Promise<void>
  commit(): Promise<void>
  abort(): Promise<void>
}

/** Opens `dest` for incremental atomic writing (e.g. JSONL written row by row). */
export async function openAtomic(dest: string): Promise<AtomicFileHandle> {
  await mkdir(dirname(dest), { recursive: true })
  const tmpPath = temporaryPathFor(dest)
  const fh = await open(tmpPath, 'w')
  let closed = false
  return {
    path: dest,
    tmpPath,
    async write(chunk) {
      await fh.write(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
    },
    async commit() {
      if (closed) return
      closed = true
      await fh.sync()
      await fh.close()
      await rename(tmpPath, dest)
    },
    async abort() {
      if (closed) return
      closed = true
      await fh.close().catch(() => {})
      await rm(tmpPath, { force: true })
    },
  }
}
