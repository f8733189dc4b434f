// `pixcap runs cancel`: a Slurm job gets `scancel`; a live local run gets SIGTERM sent to its owning pixcap, which
// ends the bridge's process group and records `killed`; a lost run (owner gone) has its bridge group killed here.
import { hostname } from 'node:os'
import { readFile } from 'node:fs/promises'
import { PixcapError } from '../errors.js'
import { killProcessGroup } from '../bridge/spawn-bridge.js'
import { cancelSlurmJob } from '../recipes/launchers/slurm.js'
import { type RunRecord, TERMINAL_STATUSES } from './run-record.js'
import { RunWriter } from './run-writer.js'
import { isPidAlive, parseRunRecord, readRun, runPaths } from './store.js'

/** What cancel did. */
export interface CancelResult {
  id: string
  action: 'scancel' | 'signalled-owner' | 'killed-group'
  status: RunRecord['status']
}

/** Options of one cancel. */
export interface CancelRunOptions {
  runsDir: string
  id: string
  env: Record<string, string | undefined>
  /** How long to wait for the owner to record the end (default 15 s). */
  waitMs?: number
}

async function waitForTerminal(runsDir: string, id: string, ms: number): Promise<RunRecord['status'] | null> {
  const end = Date.now() + ms
  const file = runPaths(runsDir, id).runJson
  while (Date.now() < end) {
    const r = parseRunRecord(await readFile(file, 'utf8'), file)
    if (TERMINAL_STATUSES.includes(r.status)) return r.status
    await new Promise((res) => setTimeout(res, 100))
  }
  return null
}

/** Cancels a queued or running run. */
export async function cancelRun(o: CancelRunOptions): Promise<CancelResult> {
  const run = await readRun(o.runsDir, o.id)
  if (TERMINAL_STATUSES.includes(run.status)) {
    throw new PixcapError('invariant', runPaths(o.runsDir, run.id).runJson, ['status'], `run ${run.id} already ended (${run.status}); nothing to cancel`)
  }
  const writer = new RunWriter(runPaths(o.runsDir, run.id), run, (t) => t)
  const markKilled = async (): Promise<void> => {
    await writer.update({ status: 'killed', endedAt: new Date().toISOString() })
    await writer.flush()
  }
  if (run.slurmJobId) {
    await cancelSlurmJob(run.slurmJobId, o.env)
    await markKilled()
    return { id: run.id, action: 'scancel', status: 'killed' }
  }
  const local = run.host.hostname === hostname()
  if (!local) throw new PixcapError('unsupported', runPaths(o.runsDir, run.id).runJson, ['host', 'hostname'], `run ${run.id} runs on ${run.host.hostname}; cancel it there`)
  if (run.status !== 'lost' && run.pid !== null && isPidAlive(run.pid)) {
    process.kill(run.pid, 'SIGTERM')
    const status = await waitForTerminal(o.runsDir, run.id, o.waitMs ?? 15_000)
    if (status === null) throw new PixcapError('run_failed', runPaths(o.runsDir, run.id).runJson, ['status'], `sent SIGTERM to pixcap (pid ${run.pid}) but the run did not end within ${(o.waitMs ?? 15_000) / 1000} s`)
    return { id: run.id, action: 'signalled-owner', status }
  }
  if (run.childPid !== null) {
    killProcessGroup(run.childPid, 'SIGTERM')
    await new Promise((r) => setTimeout(r, 1000))
    killProcessGroup(run.childPid, 'SIGKILL')
  }
  await markKilled()
  return { id: run.id, action: 'killed-group', status: 'killed' }
}
