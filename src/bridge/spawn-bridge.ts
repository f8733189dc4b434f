// Spawns a bridge process and turns its stdout into typed events (ARCHITECTURE.md "Bridge protocol").
// execa 9 with an argv array, never a shell (STYLE.md §10). `detached: true` puts the child in its own process group,
// so cancelling kills the whole group: execa alone does not kill grandchildren, and a grandchild holding the stdout
// pipe keeps the promise unsettled (ecosystem.md §7). SIGTERM first, SIGKILL after a grace period.
// A group of its own also means the child outlives a SIGKILL of pixcap (no handler runs then): every step gets a
// reaper, a tiny node process outside both groups whose stdin is a pipe from pixcap. When pixcap dies the kernel
// closes that pipe; the reaper sees EOF without the "done" word and ends the step's whole group.
import { createWriteStream, type WriteStream } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { createInterface } from 'node:readline'
import { execa } from 'execa'
import { PixcapError } from '../errors.js'
import type { Redactor } from '../util/redact.js'
import { type BridgeEvent, isFinalEvent, parseBridgeLine } from './protocol.js'

/** How long a cancelled bridge gets between SIGTERM and SIGKILL. */
const DEFAULT_KILL_GRACE_MS = 5000
/** Lines of stderr kept for failure reports. */
const STDERR_TAIL_LINES = 40
/** After the child exits, how long stdout may stay open (a grandchild holding the pipe) before the group is killed. */
const PIPE_DRAIN_MS = 2000

/** Options for one bridge process. */
export interface SpawnBridgeOptions {
  argv: string[]
  /** The complete environment of the child (no implicit inheritance). */
  env: Record<string, string | undefined>
  cwd: string
  /** stderr is appended here line by line, redacted. */
  stderrFile: string
  /** Raw stdout lines (redacted) are appended here when given. */
  stdoutFile?: string
  redact?: Redactor
  signal?: AbortSignal
  killGraceMs?: number
  /** false: stdout is plain text (a scorer command), only logged; success is exit code 0. Default true. */
  protocol?: boolean
  /** End the process group after this long (the result then has timedOut: true). */
  timeoutMs?: number
}

/** How a bridge process ended. Success and failure have the same shape (STYLE.md §10). */
interface BridgeResult {
  ok: boolean
  argv: string[]
  pid: number | null
  exitCode: number | null
  signal: string | null
  durationMs: number
  /** Last stderr lines, redacted. */
  stderrTail: string
  /** True when ended by cancel() or the abort signal. */
  canceled: boolean
  /** True when ended because `timeoutMs` passed. */
  timedOut: boolean
  /** The first protocol violation on stdout, if any (the process is then killed). */
  protocolError: string | null
  /** The `done` or `error` event, if one arrived. */
  final: Extract<BridgeEvent, { type: 'done' | 'error' }> | null
  /** One sentence, derived from the fields above. */
  message: string
}

/** A running bridge: its events (iterate them once) and its result. */
export interface BridgeProcess {
  pid: number
  events: AsyncIterable<BridgeEvent>
  result: Promise<BridgeResult>
  cancel(): void
}

/** Renders an argv for messages, quoting words with spaces. */
export function formatArgv(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ')
}

/**
 * The reaper's program (run with `node -e`, so it needs no file on disk): argv is [pgid, graceMs]. On "done" it exits
 * quietly; on EOF (pixcap gone) it sends SIGTERM to the group and SIGKILL after the grace; it also exits once the
 * group has no process left.
 */
const REAPER_SOURCE = `
const [pgid, grace] = process.argv.slice(1).map(Number)
let done = false
const kill = (sig) => { try { process.kill(-pgid, sig); return true } catch { return false } }
process.stdin.on('data', (d) => { if (String(d).includes('done')) done = true })
process.stdin.on('error', () => {})
process.stdin.on('close', () => {
  if (done) process.exit(0)
  if (!kill('SIGTERM')) process.exit(0)
  setTimeout(() => { kill('SIGKILL'); process.exit(0) }, grace)
})
setInterval(() => { if (!kill(0)) process.exit(0) }, 1000)
`

/** Starts the reaper of process group `pgid`; `release()` tells it the step ended under pixcap's eye. */
function startGroupReaper(pgid: number, graceMs: number): { pid: number | undefined; release(): void } {
  const reaper = execa(process.execPath, ['-e', REAPER_SOURCE, String(pgid), String(graceMs)], {
    detached: true,
    cleanup: false,
    stdin: 'pipe',
    stdout: 'ignore',
    stderr: 'ignore',
    reject: false,
    extendEnv: false,
    env: {},
  })
  reaper.stdin?.on('error', () => {})
  reaper.unref()
  let released = false
  return {
    pid: reaper.pid,
    release() {
      if (released) return
      released = true
      reaper.stdin?.end('done\n')
    },
  }
}

/** Sends `sig` to a whole process group; a vanished group is not an error. */
export function killProcessGroup(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, sig)
    return true
  } catch {
    return false
  }
}

/** The result's message, e.g. `bridge failed with exit code 3: python3 exit3.py train ...` + stderr tail. */
function describe(r: Omit<BridgeResult, 'message' | 'ok'>, ok: boolean): string {
  const cmd = formatArgv(r.argv)
  if (ok) return `bridge finished: ${cmd}`
  let why: string
  if (r.timedOut) why = `timed out after ${r.durationMs} ms${r.signal ? ` (${r.signal})` : ''}`
  else if (r.canceled) why = `was cancelled${r.signal ? ` (${r.signal})` : ''}`
  else if (r.protocolError) why = `broke the protocol: ${r.protocolError}`
  else if (r.final?.type === 'error') why = `reported an error: ${r.final.message}`
  else if (r.signal) why = `was killed by ${r.signal}`
  else if (r.exitCode !== 0) why = `failed with exit code ${r.exitCode}`
  else why = 'exited 0 without a final "done" event (did it crash before reporting?)'
  const tail = r.stderrTail.trim() ? `\nstderr (last lines):\n${r.stderrTail.trimEnd()}` : ''
  return `bridge ${why}: ${cmd}${tail}`
}

/** A minimal single-consumer async queue. */
function createQueue<T>(): { push(v: T): void; end(): void; iterable: AsyncIterable<T> } {
  const items: T[] = []
  let done = false
  let wake: (() => void) | null = null
  return {
    push(v) {
      items.push(v)
      wake?.()
    },
    end() {
      done = true
      wake?.()
    },
    iterable: {
      async *[Symbol.asyncIterator]() {
        for (;;) {
          if (items.length > 0) {
            yield items.shift() as T
            continue
          }
          if (done) return
          await new Promise<void>((r) => (wake = r))
          wake = null
        }
      },
    },
  }
}

function endStream(s: WriteStream | null): Promise<void> {
  return s ? new Promise((r) => s.end(r)) : Promise.resolve()
}

/** Starts a bridge process. Throws only when it cannot be started; every later failure is in `result`. */
export async function spawnBridge(o: SpawnBridgeOptions): Promise<BridgeProcess> {
  const [file, ...args] = o.argv
  if (!file) throw new PixcapError('unsupported', 'bridge', [], 'empty argv')
  const redact = o.redact ?? ((t: string) => t)
  const grace = o.killGraceMs ?? DEFAULT_KILL_GRACE_MS
  await mkdir(dirname(o.stderrFile), { recursive: true })
  if (o.stdoutFile) await mkdir(dirname(o.stdoutFile), { recursive: true })
  const stderrOut = createWriteStream(o.stderrFile, { flags: 'a' })
  const stdoutOut = o.stdoutFile ? createWriteStream(o.stdoutFile, { flags: 'a' }) : null
  const started = Date.now()
  const child = execa(file, args, {
    cwd: o.cwd,
    env: o.env,
    extendEnv: false,
    detached: true,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: false,
    reject: false,
    stripFinalNewline: false,
  })
  const pid = child.pid
  if (pid === undefined) {
    const r = await child
    await Promise.all([endStream(stderrOut), endStream(stdoutOut)])
    const fields = { argv: o.argv, pid: null, exitCode: r.exitCode ?? null, signal: null, durationMs: Date.now() - started, stderrTail: '', canceled: false, timedOut: false, protocolError: null, final: null }
    const message = `bridge could not start: ${formatArgv(o.argv)}: ${r.message ?? 'spawn failed'} (is the python executable right? set PIXCAP_PYTHON)`
    return { pid: -1, events: (async function* () {})(), result: Promise.resolve({ ...fields, ok: false, message }), cancel() {} }
  }

  const reaper = startGroupReaper(pid, grace)
  const queue = createQueue<BridgeEvent>()
  const tail: string[] = []
  let canceled = false
  let timedOut = false
  let protocolError = null as string | null
  let final = null as BridgeResult['final']
  let exited = false
  let killTimer: NodeJS.Timeout | null = null

  const terminate = (): void => {
    killProcessGroup(pid, 'SIGTERM')
    if (!killTimer) {
      killTimer = setTimeout(() => killProcessGroup(pid, 'SIGKILL'), grace)
      killTimer.unref()
    }
  }
  const cancel = (): void => {
    if (exited && canceled) return
    canceled = true
    terminate()
  }
  const timeoutTimer = o.timeoutMs
    ? setTimeout(() => {
        timedOut = true
        terminate()
      }, o.timeoutMs)
    : null
  const onAbort = (): void => cancel()
  if (o.signal?.aborted) cancel()
  else o.signal?.addEventListener('abort', onAbort, { once: true })

  const stdoutDone = (async () => {
    let lineNo = 0
    for await (const raw of createInterface({ input: child.stdout!, crlfDelay: Infinity })) {
      lineNo++
      const line = redact(raw)
      stdoutOut?.write(`${line}\n`)
      if (protocolError || o.protocol === false) continue
      if (line.trim() === '') continue
      try {
        const ev = parseBridgeLine(line, lineNo)
        if (isFinalEvent(ev)) final = ev
        queue.push(ev)
      } catch (err) {
        protocolError = err instanceof PixcapError ? err.detail : String(err)
        terminate()
      }
    }
  })()
  const stderrDone = (async () => {
    for await (const raw of createInterface({ input: child.stderr!, crlfDelay: Infinity })) {
      const line = redact(raw)
      stderrOut.write(`${line}\n`)
      tail.push(line)
      if (tail.length > STDERR_TAIL_LINES) tail.shift()
    }
  })()
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = true
      resolve({ code, signal })
    })
  })

  const result = (async (): Promise<BridgeResult> => {
    const { code, signal } = await exit
    // A grandchild may still hold stdout/stderr open; give the pipes a moment, then end the group.
    const drained = Promise.all([stdoutDone, stderrDone])
    const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), PIPE_DRAIN_MS).unref())
    if ((await Promise.race([drained, timer])) === 'timeout') {
      killProcessGroup(pid, 'SIGKILL')
    }
    await drained.catch(() => {})
    await child.catch(() => {})
    if (canceled || timedOut || protocolError) killProcessGroup(pid, 'SIGKILL') // stragglers of a cancelled group
    reaper.release()
    if (killTimer) clearTimeout(killTimer)
    if (timeoutTimer) clearTimeout(timeoutTimer)
    o.signal?.removeEventListener('abort', onAbort)
    queue.end()
    await Promise.all([endStream(stderrOut), endStream(stdoutOut)])
    const fields = {
      argv: o.argv,
      pid,
      exitCode: code,
      signal: signal ?? null,
      durationMs: Date.now() - started,
      stderrTail: tail.join('\n'),
      canceled,
      timedOut,
      protocolError,
      final,
    }
    const ok = !canceled && !timedOut && !protocolError && code === 0 && (o.protocol === false || final?.type === 'done')
    return { ...fields, ok, message: describe(fields, ok) }
  })()

  return { pid, events: queue.iterable, result, cancel }
}
