// rejects.jsonl: one RejectRecord per line, written atomically (temp name, then rename on close; STYLE.md §12), so a
// crashed run never leaves a rejects file that looks complete. Lines are buffered and flushed in ~256 kB writes.
import { openAtomic, type AtomicFileHandle } from '../../util/atomic-write.js'
import { RejectRecord } from '../../records/index.js'
import type { RejectReason } from '../../records/index.js'

/** Flush threshold for buffered lines. */
const FLUSH_BYTES = 256 * 1024

/** An open rejects.jsonl. */
export interface RejectsWriter {
  readonly path: string
  /** Validates and appends one reject. */
  write(reject: RejectRecord): Promise<void>
  /** Lines written so far, by reason. */
  readonly counts: { total: number; byReason: Partial<Record<RejectReason, number>> }
  /** Flushes and renames into place. */
  close(): Promise<void>
  /** Removes the temp file; `path` is untouched. */
  abort(): Promise<void>
}

/** Opens `dest` (e.g. `<corpus>/rejects.jsonl`) for writing rejects. */
export async function openRejectsWriter(dest: string): Promise<RejectsWriter> {
  const handle: AtomicFileHandle = await openAtomic(dest)
  let buffer: string[] = []
  let buffered = 0
  const counts = { total: 0, byReason: {} as Partial<Record<RejectReason, number>> }
  const flush = async (): Promise<void> => {
    if (buffer.length === 0) return
    const text = buffer.join('')
    buffer = []
    buffered = 0
    await handle.write(text)
  }
  return {
    path: dest,
    counts,
    async write(reject) {
      // Validate on the way out: a malformed reject is a bug in the caller, caught here rather than by a reader later.
      const line = `${JSON.stringify(RejectRecord.parse(reject))}\n`
      buffer.push(line)
      buffered += line.length
      counts.total++
      counts.byReason[reject.reason] = (counts.byReason[reject.reason] ?? 0) + 1
      if (buffered >= FLUSH_BYTES) await flush()
    },
    async close() {
      await flush()
      await handle.commit()
    },
    async abort() {
      buffer = []
      await handle.abort()
    },
  }
}
