// Progress is a typed event the library yields; only the CLI draws it (src/cli/progress.ts), on a TTY, and never
// under --json (STYLE.md §8). The type lives here, below every layer, so library code never imports cli/.

/** A progress update from any long-running library function. */
export interface ProgressEvent {
  kind: 'progress'
  /** What is being counted, e.g. `images`, `masks`, `rows`. */
  stage: string
  done: number
  /** Unknown totals are allowed (streams). */
  total?: number
}

/** Something that consumes progress events. */
export type ProgressSink = (event: ProgressEvent) => void

/** A no-op sink for library callers that do not care. */
export const noProgress: ProgressSink = () => {}
