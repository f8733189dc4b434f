// torchrun's ChildFailedError block (runs.md §4) -> a structured failure: which rank failed first, its exit code or
// signal, host and traceback line. Block layout (torch.distributed.elastic, see test/golden/torchrun-failure):
//   <script> FAILED / Failures: ([i]: entries | <NO_OTHER_FAILURES>) / Root Cause (first observed failure): [i]: entry
// with `time`, `host`, `rank : R (local_rank: L)`, `exitcode : N (pid: P)`, `error_file`, `traceback`.
// A negative exitcode is a signal number (-9 SIGKILL, -11 SIGSEGV). Pure.
import { constants } from 'node:os'
import { z } from 'zod'

/** One failed rank; errorFile is null when torchrun printed `<N/A>` (the entrypoint does not use @record). */
const TorchrunRankFailure = z.object({
  index: z.number(),
  time: z.string().nullable(),
  host: z.string().nullable(),
  rank: z.number().nullable(),
  localRank: z.number().nullable(),
  exitCode: z.number().nullable(),
  pid: z.number().nullable(),
  signal: z.string().nullable(),
  errorFile: z.string().nullable(),
  traceback: z.string().nullable(),
})
type TorchrunRankFailure = z.infer<typeof TorchrunRankFailure>

/** The whole block. */
export const TorchrunFailure = z.object({ script: z.string().nullable(), rootCause: TorchrunRankFailure, others: z.array(TorchrunRankFailure) })
export type TorchrunFailure = z.infer<typeof TorchrunFailure>

const SIGNAL_NAMES = new Map(Object.entries(constants.signals).map(([name, n]) => [n, name]))

function parseEntries(lines: readonly string[]): TorchrunRankFailure[] {
  const out: TorchrunRankFailure[] = []
  let cur: TorchrunRankFailure | null = null
  for (const line of lines) {
    const head = /^\[(\d+)\]:\s*$/.exec(line.trim())
    if (head) {
      cur = { index: Number(head[1]), time: null, host: null, rank: null, localRank: null, exitCode: null, pid: null, signal: null, errorFile: null, traceback: null }
      out.push(cur)
      continue
    }
    const kv = /^\s+(time|host|rank|exitcode|error_file|traceback)\s*:\s?(.*?)\s*$/.exec(line)
    if (!cur || !kv) continue
    const [, key, value = ''] = kv
    if (key === 'time') cur.time = value
    else if (key === 'host') cur.host = value
    else if (key === 'rank') {
      const m = /^(-?\d+)(?:\s*\(local_rank:\s*(-?\d+)\))?/.exec(value)
      cur.rank = m ? Number(m[1]) : null
      cur.localRank = m?.[2] !== undefined ? Number(m[2]) : null
    } else if (key === 'exitcode') {
      const m = /^(-?\d+)(?:\s*\(pid:\s*(\d+)\))?(?:\s*\((SIG\w+)\))?/.exec(value)
      cur.exitCode = m ? Number(m[1]) : null
      cur.pid = m?.[2] !== undefined ? Number(m[2]) : null
      cur.signal = m?.[3] ?? (cur.exitCode !== null && cur.exitCode < 0 ? (SIGNAL_NAMES.get(-cur.exitCode) ?? null) : null)
    } else if (key === 'error_file') cur.errorFile = value === '<N/A>' || value === '' ? null : value
    else if (key === 'traceback') cur.traceback = value === '' ? null : value
  }
  return out
}

/** Finds the last ChildFailedError block in `text` (a stderr tail) and parses it; null when there is none. */
export function parseTorchrunFailure(text: string): TorchrunFailure | null {
  const rootAt = text.lastIndexOf('Root Cause (first observed failure):')
  if (rootAt < 0) return null
  const before = text.slice(0, rootAt)
  const failuresAt = before.lastIndexOf('Failures:')
  const titleMatch = [...before.matchAll(/^(\S.*) FAILED\s*$/gm)].at(-1)
  const rootLines = text.slice(rootAt).split('\n').slice(1)
  const end = rootLines.findIndex((l) => /^={10,}\s*$/.test(l))
  const root = parseEntries(end < 0 ? rootLines : rootLines.slice(0, end))[0]
  if (!root) return null
  const others = failuresAt < 0 ? [] : parseEntries(before.slice(failuresAt).split('\n').slice(1).filter((l) => !/^-{10,}\s*$/.test(l)))
  return { script: titleMatch?.[1]?.trim() ?? null, rootCause: root, others }
}
