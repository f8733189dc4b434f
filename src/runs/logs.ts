// `pixcap runs logs`: a run's stdout/stderr log, optionally followed (`-f`) until the run ends, like `tail -f`.
import { createReadStream, existsSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import { TERMINAL_STATUSES } from './run-record.js'
import { readRun, runPaths } from './store.js'

/** Options for reading a log. */
export interface RunLogOptions {
  runsDir: string
  id: string
  stream: 'stdout' | 'stderr'
  follow?: boolean
  signal?: AbortSignal
  pollMs?: number
}

async function* readRange(file: string, start: number, end: number): AsyncGenerator<string> {
  if (end <= start) return
  for await (const chunk of createReadStream(file, { start, end: end - 1, encoding: 'utf8' })) yield chunk as string
}

/** Yields the log's text in chunks; with `follow`, keeps polling until the run is no longer live (or aborted). */
export async function* runLog(o: RunLogOptions): AsyncGenerator<string> {
  const run = await readRun(o.runsDir, o.id)
  const paths = runPaths(o.runsDir, run.id)
  const file = o.stream === 'stdout' ? paths.stdout : paths.stderr
  let offset = 0
  for (;;) {
    const size = existsSync(file) ? (await stat(file)).size : 0
    yield* readRange(file, offset, size)
    offset = size
    if (!o.follow || o.signal?.aborted) return
    const now = await readRun(o.runsDir, run.id)
    if (TERMINAL_STATUSES.includes(now.status) || now.status === 'lost') {
      const last = existsSync(file) ? (await stat(file)).size : 0
      yield* readRange(file, offset, last)
      return
    }
    await new Promise((r) => setTimeout(r, o.pollMs ?? 250))
  }
}
