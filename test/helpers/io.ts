import type { CliIo } from '../../src/cli/command.js'

/** A CliIo that captures stdout and stderr, for running commands in-process. */
export function captureIo(env: NodeJS.ProcessEnv = {}): CliIo & { out: () => string; err: () => string } {
  let out = ''
  let err = ''
  return {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    env,
    cwd: process.cwd(),
    out: () => out,
    err: () => err,
  }
}
