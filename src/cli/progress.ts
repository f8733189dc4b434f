// Progress is a typed event the library yields; only the CLI draws it, on a TTY, and never under --json (STYLE.md §8).
import type { CliIo } from './command.js'
import type { ProgressEvent, ProgressSink } from '../util/progress.js'

export type { ProgressEvent, ProgressSink } from '../util/progress.js'
export { noProgress } from '../util/progress.js'

/**
 * Returns a sink that redraws one status line on stderr when it is a TTY and `quiet` is false,
 * at most every 100 ms, plus `finish()` to end the line.
 */
export function createProgressBar(io: CliIo, quiet: boolean): ProgressSink & { finish(): void } {
  const enabled = !quiet && io.stderr.isTTY === true
  let last = 0
  let drawn = false
  const started = Date.now()
  const sink = ((event: ProgressEvent) => {
    if (!enabled) return
    const now = Date.now()
    if (now - last < 100 && event.done !== event.total) return
    last = now
    const secs = (now - started) / 1000
    const rate = secs > 0 ? event.done / secs : 0
    let line: string
    if (event.total !== undefined && event.total > 0) {
      const frac = Math.min(1, event.done / event.total)
      const width = 28
      const filled = Math.round(frac * width)
      line = `${event.stage} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${event.done}/${event.total} ${(frac * 100).toFixed(0)}% ${rate.toFixed(0)}/s`
    } else {
      line = `${event.stage} ${event.done} ${rate.toFixed(0)}/s`
    }
    io.stderr.write(`\r\x1b[2K${line}`)
    drawn = true
  }) as ProgressSink & { finish(): void }
  sink.finish = () => {
    if (drawn) io.stderr.write('\r\x1b[2K')
    drawn = false
  }
  return sink
}
