// Every step's process tree dies with pixcap (issue 17, finding 6): SIGKILL the real CLI while a `command:` step runs
// a child and a grandchild in their own process group; both are gone within seconds (the group reaper).
import { existsSync, readFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { execa } from 'execa'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../helpers/fixtures.js'
import { useTempDir } from '../helpers/temp-dir.js'

let dir: string
useTempDir('pixcap-sigkill-', (d) => (dir = d), { each: true })

/** `/proc/<pid>/stat` fields after the command name (state is [0], start time in clock ticks is [19]); undefined once gone. */
function statFields(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')
  } catch {
    return undefined
  }
}

/**
 * The same process (pid and start time: this machine's pid_max can be 32768, and a busy suite may hand a dead step's
 * pid to a new process within seconds), alive and not a zombie (a re-parented zombie waits for a reaper that may never
 * come in a container).
 */
function alive(p: { pid: number; start: string | undefined }): boolean {
  const f = statFields(p.pid)
  return f !== undefined && f[0] !== 'Z' && f[19] === p.start
}

/** What a process still alive is, for the failure message. */
function whatIs(p: { pid: number }): string {
  let cmd = '?'
  try {
    cmd = readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').split('\0').join(' ').trim()
  } catch {}
  return `${p.pid} (${cmd}; stat ${statFields(p.pid)?.slice(0, 5).join(' ')})`
}

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (cond()) return true
    await new Promise((r) => setTimeout(r, 50))
  }
  return cond()
}

describe('SIGKILL of pixcap run', () => {
  it('ends the command step and its grandchild within seconds', async () => {
    const script = `sleep 300 & echo $! > ${join(dir, 'grandchild.pid')}; echo $$ > ${join(dir, 'child.pid')}; wait`
    await writeFile(join(dir, 'r.yaml'), `name: long\nsteps:\n  - {name: wait, command: ["sh", "-c", ${JSON.stringify(script)}]}\n`)
    const pixcap = execa('node', [join(REPO_ROOT, 'bin/pixcap.js'), 'run', join(dir, 'r.yaml'), '--runs-dir', join(dir, 'runs'), '--json'], { cwd: dir, reject: false })
    expect(await until(() => existsSync(join(dir, 'child.pid')) && existsSync(join(dir, 'grandchild.pid')), 20_000)).toBe(true)
    const pids = ['child.pid', 'grandchild.pid'].map((f) => {
      const pid = Number(readFileSync(join(dir, f), 'utf8').trim())
      return { pid, start: statFields(pid)?.[19] }
    })
    expect(pids.every(alive)).toBe(true)
    pixcap.kill('SIGKILL')
    const r = await pixcap
    expect(r.signal).toBe('SIGKILL')
    const started = Date.now()
    // The reaper sends SIGTERM at once and SIGKILL after the 5 s grace; 15 s leaves room for a loaded CI machine.
    const gone = await until(() => !pids.some(alive), 15_000)
    const left = pids.filter(alive).map(whatIs)
    if (!gone) for (const p of pids) if (alive(p)) process.kill(p.pid, 'SIGKILL') // do not leak a sleep 300
    expect(gone, `still alive ${Date.now() - started} ms after the SIGKILL: ${left.join(', ')}`).toBe(true)
  })
})
