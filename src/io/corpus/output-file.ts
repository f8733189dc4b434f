// An output file written incrementally under a temporary `.incomplete` name, hashed as it is written, and renamed
// into place only when complete (STYLE.md §12). The final name may be decided at commit time: shard names carry the
// shard count (`-of-00004`), which is only known once every row has been written.
import { createHash, type Hash } from 'node:crypto'
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises'
import { dirname } from 'node:path'
import { temporaryPathFor } from '../../util/atomic-write.js'

/** What a committed file looks like in a manifest. */
export interface WrittenFile {
  /** Absolute path (sinks) or path relative to the corpus root (manifests). */
  file: string
  rows: number
  bytes: number
  sha256: string
}

/** A complete file still under its temporary name: `commit` gives it its final name, `discard` removes it. */
export interface FinishedFile {
  tmpPath: string
  rows: number
  bytes: number
  sha256: string
  commit(dest: string): Promise<WrittenFile>
  discard(): Promise<void>
}

/**
 * A complete file under its temporary name, described by its size and sha256: what {@link OutputFile.finish} returns,
 * and what `convert --resume` rebuilds from a dead writer's journal after checking those.
 */
export function finishedFile(tmpPath: string, result: { rows: number; bytes: number; sha256: string }): FinishedFile {
  return {
    tmpPath,
    ...result,
    async commit(dest: string): Promise<WrittenFile> {
      await mkdir(dirname(dest), { recursive: true })
      await rename(tmpPath, dest)
      return { file: dest, ...result }
    },
    async discard(): Promise<void> {
      await rm(tmpPath, { force: true })
    },
  }
}

/** A file being written; nothing appears under a final name until `commit`. */
export class OutputFile {
  private bytesWritten = 0
  private readonly hash: Hash = createHash('sha256')
  private done = false

  private constructor(
    readonly tmpPath: string,
    private readonly fh: FileHandle,
  ) {}

  /** Opens a temporary file next to `provisionalDest` (same directory, so the rename is atomic). */
  static async open(provisionalDest: string): Promise<OutputFile> {
    await mkdir(dirname(provisionalDest), { recursive: true })
    const tmp = temporaryPathFor(provisionalDest)
    return new OutputFile(tmp, await open(tmp, 'w'))
  }

  get bytes(): number {
    return this.bytesWritten
  }

  /** Appends bytes (or UTF-8 text). */
  async write(chunk: Uint8Array | string): Promise<void> {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
    this.hash.update(buf)
    this.bytesWritten += buf.length
    let off = 0
    while (off < buf.length) off += (await this.fh.write(buf, off, buf.length - off)).bytesWritten
  }

  /** fsyncs and closes the temporary file (still under its `.incomplete` name); returns its size and sha256. */
  async finish(rows: number): Promise<FinishedFile> {
    if (this.done) throw new Error(`${this.tmpPath}: output file already closed`)
    this.done = true
    try {
      await this.fh.sync()
    } finally {
      await this.fh.close()
    }
    return finishedFile(this.tmpPath, { rows, bytes: this.bytesWritten, sha256: this.hash.digest('hex') })
  }

  /** Finishes and renames to `dest` in one go. */
  async commit(dest: string, rows: number): Promise<WrittenFile> {
    return (await this.finish(rows)).commit(dest)
  }

  /** Closes and deletes the temporary file; safe to call more than once. */
  async abort(): Promise<void> {
    if (this.done) return
    this.done = true
    await this.fh.close().catch(() => {})
    await rm(this.tmpPath, { force: true })
  }
}
