// The run store: a folder (./runs, --runs-dir, PIXCAP_RUNS_DIR) with one directory per run (ARCHITECTURE.md "Run
// store"). Only the owning pixcap process writes a run's files, so concurrent runs share no mutable file: ids are a
// UTC timestamp plus random suffix, the directory is created exclusively, run.json is replaced atomically.
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join, resolve } from 'node:path'
import { PixcapError } from '../errors.js'
import { parseJsonText } from '../io/input/read-json.js'
import { readTail } from '../util/read-tail.js'
import { RunRecord, type RunStatus } from './run-record.js'

/** Default heartbeat period of a live run. */
const DEFAULT_HEARTBEAT_MS = 5000
/** A heartbeat older than this many periods is stale. */
export const STALE_HEARTBEATS = 3

/** The runs folder: an explicit flag, PIXCAP_RUNS_DIR, or ./runs. */
export function resolveRunsDir(flag: string | undefined, env: Record<string, string | undefined>, cwd: string): string {
  return resolve(cwd, flag ?? env.PIXCAP_RUNS_DIR ?? 'runs')
}

/** Heartbeat period (PIXCAP_HEARTBEAT_MS overrides, e.g. in tests). */
export function heartbeatMs(env: Record<string, string | undefined>): number {
  const n = Number(env.PIXCAP_HEARTBEAT_MS)
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_HEARTBEAT_MS
}

/** A new run id: `20261126-105423-k3x9qa` (sorts by start time; 36^6 suffixes per second). */
export function newRunId(now: Date = new Date()): string {
  const iso = now.toISOString()
  const stamp = `${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}`
  const rand = BigInt(`0x${randomBytes(5).toString('hex')}`).toString(36).padStart(6, '0').slice(-6)
  return `${stamp}-${rand}`
}

/** Files of one run. */
export interface RunPaths {
  dir: string
  runJson: string
  events: string
  metrics: string
  stdout: string
  stderr: string
  artifacts: string
}

/** Paths of run `id` in `runsDir`. */
export function runPaths(runsDir: string, id: string): RunPaths {
  if (!/^[\w.-]+$/.test(id)) throw new PixcapError('not_found', runsDir, [], `"${id}" is not a run id`)
  const dir = join(runsDir, id)
  return {
    dir,
    runJson: join(dir, 'run.json'),
    events: join(dir, 'events.jsonl'),
    metrics: join(dir, 'metrics.jsonl'),
    stdout: join(dir, 'stdout.log'),
    stderr: join(dir, 'stderr.log'),
    artifacts: join(dir, 'artifacts'),
  }
}

/** Creates the run's directory; fails if it exists (ids never collide silently). */
export async function createRunDir(runsDir: string, id: string): Promise<RunPaths> {
  const p = runPaths(runsDir, id)
  await mkdir(runsDir, { recursive: true })
  await mkdir(p.dir) // not recursive: EEXIST if another process took the id
  await mkdir(p.artifacts)
  return p
}

/** True when a local process with this pid exists (signal 0 probes without sending). */
export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Options for deriving the live status. */
export interface StatusOptions {
  now?: number
  staleMs?: number
}

/**
 * The status a reader should show: a queued/running run whose owner is gone (dead pid on this host) and whose
 * heartbeat is stale is `lost`. Runs handed to Slurm are owned by the scheduler, not by a pid.
 */
export function deriveStatus(r: RunRecord, o: StatusOptions = {}): RunStatus {
  if (r.status !== 'running' && r.status !== 'queued') return r.status
  if (r.slurmJobId) return r.status
  const now = o.now ?? Date.now()
  const staleMs = o.staleMs ?? DEFAULT_HEARTBEAT_MS * STALE_HEARTBEATS
  const beat = Date.parse(r.heartbeatAt ?? r.createdAt)
  const stale = !Number.isFinite(beat) || now - beat > staleMs
  const sameHost = r.host.hostname === hostname()
  const ownerGone = r.pid === null || (sameHost ? !isPidAlive(r.pid) : true)
  return stale && ownerGone ? 'lost' : r.status
}

/** Parses run.json text, with errors that name the file and path. */
export function parseRunRecord(text: string, file: string): RunRecord {
  return parseJsonText(text, file, RunRecord)
}

/** Finds a run by exact id or unique prefix. */
export async function findRunId(runsDir: string, idOrPrefix: string): Promise<string> {
  if (existsSync(join(runsDir, idOrPrefix, 'run.json'))) return idOrPrefix
  const ids = (await listRunIds(runsDir)).filter((id) => id.startsWith(idOrPrefix))
  if (ids.length === 1) return ids[0] as string
  if (ids.length === 0) throw new PixcapError('not_found', runsDir, [], `no run "${idOrPrefix}" (pixcap runs list shows the ids)`)
  throw new PixcapError('not_found', runsDir, [], `"${idOrPrefix}" matches ${ids.length} runs: ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', ...' : ''}`)
}

/** Run ids in the store, oldest first. */
async function listRunIds(runsDir: string): Promise<string[]> {
  if (!existsSync(runsDir)) return []
  const entries = await readdir(runsDir, { withFileTypes: true })
  return entries.filter((e) => e.isDirectory() && existsSync(join(runsDir, e.name, 'run.json'))).map((e) => e.name).sort()
}

/** How much of a Slurm job's stdout.log is read to find its final event. */
const SLURM_TAIL_BYTES = 64 * 1024

/**
 * A Slurm run's status from its job's stdout.log (the sbatch --output file): the last `done`/`error` event ends it;
 * any output means it started. Derived on read, nothing is written (the job, not pixcap, owns the run).
 */
async function deriveSlurmStatus(r: RunRecord, stdoutFile: string): Promise<RunStatus> {
  if (r.status !== 'queued' && r.status !== 'running') return r.status
  const tail = await readTail(stdoutFile, SLURM_TAIL_BYTES)
  if (tail.trim() === '') return r.status
  for (const line of tail.trimEnd().split('\n').reverse()) {
    const m = /"type"\s*:\s*"(done|error)"/.exec(line)
    if (m) return m[1] === 'done' ? 'finished' : 'failed'
  }
  return 'running'
}

/** Reads a run with its derived status (lost detection on read; Slurm jobs from their output). */
export async function readRun(runsDir: string, idOrPrefix: string, o: StatusOptions = {}): Promise<RunRecord> {
  const id = await findRunId(runsDir, idOrPrefix)
  const paths = runPaths(runsDir, id)
  const record = parseRunRecord(await readFile(paths.runJson, 'utf8'), paths.runJson)
  const status = record.slurmJobId ? await deriveSlurmStatus(record, paths.stdout) : deriveStatus(record, o)
  return { ...record, status }
}

/** Every run in the store, oldest first, with derived statuses. */
export async function listRuns(runsDir: string, o: StatusOptions = {}): Promise<RunRecord[]> {
  const out: RunRecord[] = []
  for (const id of await listRunIds(runsDir)) out.push(await readRun(runsDir, id, o))
  return out
}
