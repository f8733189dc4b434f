// Times one child process from spawn to exit. Wall time is measured here (performance.now around the spawn); peak
// RSS and CPU time come from GNU time's rusage of the child and its descendants (`/usr/bin/time -f`), when the
// machine has it (Debian: apt-get install time); otherwise they are reported as null.
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execa } from 'execa'
import type { TimedCommand } from './case.js'

const GNU_TIME = '/usr/bin/time'

/** One timed run. cpuMs sums user + system time of the process tree (every thread and worker process). */
export interface ProcessTiming {
  wallMs: number
  cpuMs: number | null
  peakRssMb: number | null
}

export async function timeProcess(cmd: TimedCommand, cwd: string): Promise<ProcessTiming> {
  await cmd.before?.()
  const useTime = existsSync(GNU_TIME)
  const dir = useTime ? await mkdtemp(join(tmpdir(), 'pixcap-time-')) : ''
  const report = join(dir, 'rusage')
  const argv = useTime ? [GNU_TIME, '-o', report, '-f', '%U %S %M', ...cmd.argv] : cmd.argv
  try {
    const t0 = performance.now()
    const child = await execa(argv[0] as string, argv.slice(1), { cwd, reject: false, stdin: 'ignore' })
    const wallMs = performance.now() - t0
    if (child.exitCode !== 0) {
      throw new Error(`${cmd.label} exited with ${child.exitCode}: ${cmd.argv.join(' ')}\n${String(child.stderr).slice(-2000)}${String(child.stdout).slice(-1000)}`)
    }
    cmd.check?.(String(child.stdout))
    if (!useTime) return { wallMs, cpuMs: null, peakRssMb: null }
    // GNU time may print a "Command exited..." line first; the format line is the last one.
    const [user, sys, maxKb] = (await readFile(report, 'utf8')).trim().split('\n').pop()!.split(' ').map(Number)
    return { wallMs, cpuMs: ((user ?? 0) + (sys ?? 0)) * 1000, peakRssMb: (maxKb ?? 0) / 1024 }
  } finally {
    if (useTime) await rm(dir, { recursive: true, force: true })
  }
}

/** min / median / max of a list (median of an even count: the mean of the middle two). */
export function spread(xs: readonly number[]): { min: number; median: number; max: number } {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  const median = s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
  return { min: s[0] as number, median, max: s[s.length - 1] as number }
}
