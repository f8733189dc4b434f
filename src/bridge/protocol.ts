// The bridge protocol: stdout of `python -m pixcap_bridge <command>` carries one JSON object per line, nothing else
// (ARCHITECTURE.md "Bridge protocol"). Every event has `v: 1` and a `type`; unknown extra keys are kept so a newer
// bridge can add facts (e.g. `gpus` on hello) without breaking an older pixcap. Anything that is not such an object
// is a protocol error that quotes the line and its number.
import { z } from 'zod'
import { PixcapError } from '../errors.js'

/** Protocol version this pixcap speaks. */
const PROTOCOL_VERSION = 1

const base = { v: z.literal(PROTOCOL_VERSION) }

/** First event: who is speaking. `env` adds gpus/transformers/gpt4roi facts as extra keys. */
export const HelloEvent = z.looseObject({
  ...base,
  type: z.literal('hello'),
  bridge: z.string(),
  python: z.string(),
  torch: z.string().nullable(),
  cuda: z.boolean(),
})
/** Training or inference progress; `total` may be unknown. */
const ProgressEvent = z.looseObject({
  ...base,
  type: z.literal('progress'),
  step: z.number().int().nonnegative(),
  total: z.number().int().nonnegative().nullable().optional(),
})
/** One step-indexed scalar (loss, lr, ...); null is a non-finite value (NaN/inf: JSON has none, a diverged loss). */
const MetricEvent = z.looseObject({
  ...base,
  type: z.literal('metric'),
  step: z.number().int().nonnegative(),
  name: z.string().min(1),
  value: z.number().nullable(),
})
/** A file or folder the bridge produced, relative to its output dir. */
const ArtifactEvent = z.looseObject({
  ...base,
  type: z.literal('artifact'),
  path: z.string().min(1),
  kind: z.string().min(1),
})
/** A human-readable message (goes to the run log, not to stderr). */
const LogEvent = z.looseObject({
  ...base,
  type: z.literal('log'),
  level: z.enum(['debug', 'info', 'warning', 'error']),
  message: z.string(),
})
/** Liveness signal from the bridge (unix seconds). */
const HeartbeatEvent = z.looseObject({ ...base, type: z.literal('heartbeat'), t: z.number() })
/** Final event of a successful command. */
const DoneEvent = z.looseObject({ ...base, type: z.literal('done'), status: z.literal('finished') })
/** Final event of a failed command. */
const ErrorEvent = z.looseObject({
  ...base,
  type: z.literal('error'),
  message: z.string(),
  traceback: z.string().nullable().optional(),
})

/** Any bridge event, discriminated on `type`. */
export const BridgeEvent = z.discriminatedUnion('type', [
  HelloEvent,
  ProgressEvent,
  MetricEvent,
  ArtifactEvent,
  LogEvent,
  HeartbeatEvent,
  DoneEvent,
  ErrorEvent,
])
export type BridgeEvent = z.infer<typeof BridgeEvent>
export type HelloEvent = z.infer<typeof HelloEvent>
type MetricEvent = z.infer<typeof MetricEvent>
type ArtifactEvent = z.infer<typeof ArtifactEvent>

const KNOWN_TYPES = BridgeEvent.options.map((o) => o.shape.type.value)

function quote(line: string): string {
  return JSON.stringify(line.length > 200 ? `${line.slice(0, 200)}...` : line)
}

/**
 * Parses one stdout line (1-based `lineNo`) into an event, or throws a PixcapError with code `protocol` that quotes the
 * line: `bridge stdout: line 3: not JSON: "Loading model..." (stdout carries only protocol events; print logs to stderr)`.
 */
export function parseBridgeLine(line: string, lineNo: number, source = 'bridge stdout'): BridgeEvent {
  const where = `line ${lineNo}`
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    throw new PixcapError('protocol', source, [], `${where}: not JSON: ${quote(line)} (stdout carries only protocol events, one JSON object per line; print logs to stderr)`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PixcapError('protocol', source, [], `${where}: expected a JSON object, got ${quote(line)}`)
  }
  const v = (value as Record<string, unknown>).v
  if (v !== PROTOCOL_VERSION) {
    throw new PixcapError('protocol', source, [], `${where}: expected "v": ${PROTOCOL_VERSION}, got ${JSON.stringify(v ?? null)} in ${quote(line)}`)
  }
  const type = (value as Record<string, unknown>).type
  if (typeof type !== 'string' || !KNOWN_TYPES.includes(type as (typeof KNOWN_TYPES)[number])) {
    throw new PixcapError('protocol', source, [], `${where}: unknown event type ${JSON.stringify(type ?? null)} (expected one of ${KNOWN_TYPES.join(', ')}) in ${quote(line)}`)
  }
  const parsed = BridgeEvent.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const at = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''
    throw new PixcapError('protocol', source, [], `${where}: bad "${type}" event: ${at}${issue?.message ?? 'invalid'} in ${quote(line)}`)
  }
  return parsed.data
}

/** True for the events that end a command. */
export function isFinalEvent(e: BridgeEvent): e is Extract<BridgeEvent, { type: 'done' | 'error' }> {
  return e.type === 'done' || e.type === 'error'
}
