// `node bin/pixcap.js view ... --json` as a child process: waits for its {"ok":true,"url":...} line, stops it with
// SIGTERM and reports how it exited.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { REPO_ROOT } from './fixtures.js'

export const BIN = join(REPO_ROOT, 'bin/pixcap.js')

export interface ViewProcess {
  url: string
  info: Record<string, unknown>
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>
}

/** Starts `pixcap view <args> --json` and resolves once it prints its address. */
export function startView(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<ViewProcess> {
  const child = spawn(process.execPath, [BIN, 'view', ...args, '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
  let out = ''
  let err = ''
  child.stderr.on('data', (d) => (err += d))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`pixcap view did not start: ${out}${err}`)) }, 60_000)
    const early = (code: number | null) => { clearTimeout(timer); reject(new Error(`pixcap view exited ${code}: ${out}${err}`)) }
    child.on('exit', early)
    child.stdout.on('data', (d) => {
      out += d
      try {
        const info = JSON.parse(out) as Record<string, unknown>
        clearTimeout(timer)
        child.off('exit', early)
        resolve({ url: String(info.url), info, stop: async () => { child.kill('SIGTERM'); return exited } })
      } catch {}
    })
  })
}
