// Fixture bridges (test/fixtures/bridges/*.py), run by the system python3: no venv needed.
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { REPO_ROOT } from './fixtures.js'

export const BRIDGES_DIR = join(REPO_ROOT, 'test/fixtures/bridges')
/** The fixture script `name`.py. */
export const bridge = (name: string): string => join(BRIDGES_DIR, `${name}.py`)

function findPython3(): string | null {
  try {
    execFileSync('python3', ['-c', 'pass'], { stdio: 'ignore' })
    return 'python3'
  } catch {
    return null
  }
}
/** python3 on PATH, or null (tests that spawn fixtures skip without it). */
export const SYSTEM_PYTHON = findPython3()

/** True when a pid exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Polls `check` until it is true or `ms` pass. */
export async function waitFor(check: () => boolean | Promise<boolean>, ms = 15_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`)
}
