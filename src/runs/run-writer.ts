// The owning process's handle on one run: run.json replaced atomically (src/util/atomic-write.ts), events.jsonl and
// metrics.jsonl appended. Writes are serialised through one promise chain, so a heartbeat never races an update.
import { appendFile } from 'node:fs/promises'
import { writeFileAtomic } from '../util/atomic-write.js'
import type { BridgeEvent } from '../bridge/protocol.js'
import { type Redactor, redactValue } from '../util/redact.js'
import type { MetricLine, RunRecord } from './run-record.js'
import type { RunPaths } from './store.js'

/** Writes one run's files. */
export class RunWriter {
  #chain: Promise<void> = Promise.resolve()
  #timer: NodeJS.Timeout | null = null

  constructor(
    readonly paths: RunPaths,
    public record: RunRecord,
    private readonly redact: Redactor,
  ) {}

  #enqueue(job: () => Promise<void>): Promise<void> {
    const next = this.#chain.then(job)
    this.#chain = next.catch(() => {})
    return next
  }

  /** Merges a patch into the record and rewrites run.json (redacted). */
  update(patch: Partial<RunRecord> = {}): Promise<void> {
    this.record = { ...this.record, ...patch }
    const snapshot = redactValue(this.record, this.redact)
    return this.#enqueue(() => writeFileAtomic(this.paths.runJson, `${JSON.stringify(snapshot, null, 2)}\n`))
  }

  /** Appends a bridge event with its receive time. */
  appendEvent(step: string, event: BridgeEvent): Promise<void> {
    const line = this.redact(JSON.stringify({ t: new Date().toISOString(), stepName: step, event }))
    return this.#enqueue(() => appendFile(this.paths.events, `${line}\n`))
  }

  /** Appends a metric point and remembers it as the latest value. */
  appendMetric(m: MetricLine): Promise<void> {
    this.record.lastMetrics = { ...this.record.lastMetrics, [m.name]: { step: m.step, value: m.value } }
    return this.#enqueue(() => appendFile(this.paths.metrics, `${JSON.stringify(m)}\n`))
  }

  /** Appends a marker line to stderr.log (which step starts, with its argv). */
  note(text: string): Promise<void> {
    return this.#enqueue(() => appendFile(this.paths.stderr, `${this.redact(text)}\n`))
  }

  /** Refreshes heartbeatAt every `ms` until stopHeartbeat(). */
  startHeartbeat(ms: number): void {
    this.#timer = setInterval(() => {
      void this.update({ heartbeatAt: new Date().toISOString() }).catch(() => {})
    }, ms)
    this.#timer.unref()
  }

  /** Stops the heartbeat. */
  stopHeartbeat(): void {
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = null
  }

  /** Waits for every queued write. */
  flush(): Promise<void> {
    return this.#chain
  }
}
