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

/** Alive and not a zombie (a re-parented zombie waits for a reaper that may never come in a container). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z'
  } catch {
    return false
  }
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
    const pids = ['child.pid', 'grandchild.pid'].map((f) => Number(readFileSync(join(dir, f), 'utf8').trim()))
    expect(pids.every(alive)).toBe(true)
    pixcap.kill('SIGKILL')
    const r = await pixcap
    expect(r.signal).toBe('SIGKILL')
    const started = Date.now()
    const gone = await until(() => !pids.some(alive), 8_000)
    if (!gone) for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL') // do not leak a sleep 300
    expect(gone, `still alive ${Date.now() - started} ms after the SIGKILL: ${pids.filter(alive).join(', ')}`).toBe(true)
  })
})
