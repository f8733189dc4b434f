// The only place that prints errors and decides exit codes (STYLE.md §11).
import { PixcapError, UsageError } from '../errors.js'
import { createRedactor } from '../runs/redact.js'
import { renderCommandHelp, type CliIo, type Command } from './command.js'
import { COMMANDS } from './registry.js'

/** Finds the command whose name matches the most leading words of argv (`eval captions` before `eval`). */
export function resolveCommand(argv: string[], commands: Command[] = COMMANDS): { command: Command; rest: string[] } | null {
  let best: { command: Command; rest: string[] } | null = null
  let bestLen = 0
  for (const command of commands) {
    const words = command.name.split(' ')
    if (words.length <= bestLen) continue
    if (words.every((w, i) => argv[i] === w)) {
      best = { command, rest: argv.slice(words.length) }
      bestLen = words.length
    }
  }
  return best
}

/** Renders the top-level help. */
export function renderHelp(commands: Command[] = COMMANDS): string {
  const width = Math.max(...commands.map((c) => c.name.length))
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`)
  return `pixcap: region-level SFT corpora for multimodal models\n\nUsage: pixcap <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun "pixcap <command> --help" for a command's options.\n`
}

/** The real process's streams, env and cwd; `signal` is aborted by bin/pixcap.js on SIGINT/SIGTERM. */
export function processIo(signal?: AbortSignal): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), signal }
}

/** The same io with every secret of its environment masked in what is written to stdout and stderr. */
export function maskedIo(io: CliIo): CliIo {
  const redact = createRedactor(io.env)
  const wrap = (s: CliIo['stdout']): CliIo['stdout'] => ({ write: (text: string) => s.write(redact(text)), isTTY: s.isTTY })
  return { ...io, stdout: wrap(io.stdout), stderr: wrap(io.stderr) }
}

/** Runs the CLI; returns the exit code (0 ok, 1 failure, 2 usage error, 130 interrupted). Secrets never reach the console. */
export async function main(argv: string[], rawIo: CliIo = processIo()): Promise<number> {
  const io = maskedIo(rawIo)
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout.write(renderHelp())
    return argv.length === 0 ? 2 : 0
  }
  const found = resolveCommand(argv)
  if (!found) {
    io.stderr.write(`pixcap: unknown command "${argv.join(' ')}"\n\n${renderHelp()}`)
    return 2
  }
  const { command, rest } = found
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(renderCommandHelp(command))
    return 0
  }
  const json = rest.includes('--json')
  try {
    return await command.run(rest, io)
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`${err.message}\n${err.usage ? `\nUsage: ${err.usage}\n` : ''}`)
      return 2
    }
    if (err instanceof PixcapError) {
      if (json) io.stdout.write(`${JSON.stringify({ ok: false, error: err.toJSON() }, null, 2)}\n`)
      io.stderr.write(`pixcap ${command.name}: ${err.message}\n`)
      return 1
    }
    const e = err as Error
    if (e?.name === 'AbortError' || io.signal?.aborted) {
      io.stderr.write(`pixcap ${command.name}: interrupted\n`)
      return 130
    }
    if (json) io.stdout.write(`${JSON.stringify({ ok: false, error: { message: String(e?.message ?? e) } }, null, 2)}\n`)
    io.stderr.write(`pixcap ${command.name}: ${e?.stack ?? String(e)}\n`)
    return 1
  }
}
