// The only place that prints errors and decides exit codes (STYLE.md §11).
// Commands are listed from the registry without loading them; only the chosen one's module is imported, so help and
// --version start fast.
import { OptionError, PixcapError, UsageError } from '../errors.js'
import { withFlags } from './option-flags.js'
import { createRedactor } from '../runs/redact.js'
import { renderCommandHelp, type CliIo } from './command.js'
import { COMMANDS, type CommandEntry } from './registry.js'

/** Finds the command whose name matches the most leading words of argv (`eval captions` before `eval`). */
export function resolveCommand<C extends { name: string }>(argv: string[], commands: C[]): { command: C; rest: string[] } | null
export function resolveCommand(argv: string[]): { command: CommandEntry; rest: string[] } | null
export function resolveCommand<C extends { name: string }>(argv: string[], commands: C[] = COMMANDS as unknown as C[]): { command: C; rest: string[] } | null {
  let best: { command: C; rest: string[] } | null = null
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

/** The commands of a group (`eval`, `runs`, `vipbench`, `templates`): those whose first word is `group`. */
export function groupCommands<C extends { name: string }>(group: string, commands: C[]): C[] {
  return commands.filter((c) => c.name.includes(' ') && c.name.split(' ')[0] === group)
}

function table(commands: { name: string; summary: string }[]): string {
  const width = Math.max(...commands.map((c) => c.name.length))
  return commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')
}

/** Renders the top-level help. */
export function renderHelp(commands: { name: string; summary: string }[] = COMMANDS): string {
  return `pixcap: region-level SFT corpora for multimodal models\n\nUsage: pixcap <command> [options]\n       pixcap help <command>, pixcap --version\n\nCommands:\n${table(commands)}\n\nRun "pixcap <command> --help" for a command's options. Every command takes --json.\n`
}

/** The help of a group: `pixcap runs --help`. */
export function renderGroupHelp(group: string, commands: { name: string; summary: string }[]): string {
  return `pixcap ${group}: ${commands.length} commands\n\nUsage: pixcap ${group} <command> [options]\n\nCommands:\n${table(commands)}\n\nRun "pixcap ${group} <command> --help" for a command's options.\n`
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

const isHelp = (a: string): boolean => a === '--help' || a === '-h'

/** Prints the help for `words` (a command or a group); false when they name neither. */
async function printHelpFor(words: string[], io: CliIo): Promise<boolean> {
  const found = resolveCommand(words, COMMANDS)
  if (found) {
    io.stdout.write(renderCommandHelp(await found.command.load()))
    return true
  }
  const group = groupCommands(words[0] ?? '', COMMANDS)
  if (group.length > 0) {
    io.stdout.write(renderGroupHelp(words[0]!, group))
    return true
  }
  return false
}

/** Writes an error: a JSON object on stdout under --json, the message on stderr always. */
function reportError(io: CliIo, json: boolean, error: Record<string, unknown>, text: string): void {
  if (json) io.stdout.write(`${JSON.stringify({ ok: false, error }, null, 2)}\n`)
  io.stderr.write(text)
}

/** Runs the CLI; returns the exit code (0 ok, 1 failure, 2 usage error, 130 interrupted). Secrets never reach the console. */
export async function main(argv: string[], rawIo: CliIo = processIo()): Promise<number> {
  const io = maskedIo(rawIo)
  const json = argv.includes('--json')
  if (argv.length === 0 || (argv.length === 1 && isHelp(argv[0]!))) {
    io.stdout.write(renderHelp())
    return argv.length === 0 ? 2 : 0
  }
  if (argv[0] === '--version' || argv[0] === '-V') argv = ['version', ...argv.slice(1)]
  if (argv[0] === 'help') {
    const words = argv.slice(1).filter((a) => !a.startsWith('-'))
    if (words.length === 0) {
      io.stdout.write(renderHelp())
      return 0
    }
    if (await printHelpFor(words, io)) return 0
    reportError(io, json, { code: 'usage', message: `unknown command "${words.join(' ')}"` }, `pixcap help: unknown command "${words.join(' ')}"\n\n${renderHelp()}`)
    return 2
  }
  const found = resolveCommand(argv, COMMANDS)
  if (!found) {
    // A group word alone (`pixcap runs`), or with --help: list the group's commands.
    const group = groupCommands(argv[0]!, COMMANDS)
    const sub = argv[1]
    if (group.length > 0 && (sub === undefined || isHelp(sub) || sub === '--json')) {
      io.stdout.write(renderGroupHelp(argv[0]!, group))
      return 0
    }
    const message = group.length > 0 ? `unknown command "${argv.slice(0, 2).join(' ')}"` : `unknown command "${argv.join(' ')}"`
    reportError(io, json, { code: 'usage', message }, `pixcap: ${message}\n\n${group.length > 0 ? renderGroupHelp(argv[0]!, group) : renderHelp()}`)
    return 2
  }
  const { rest } = found
  const command = await found.command.load()
  if (rest.some(isHelp)) {
    io.stdout.write(renderCommandHelp(command))
    return 0
  }
  try {
    return await command.run(rest, io)
  } catch (err) {
    if (err instanceof UsageError) {
      const message = err instanceof OptionError ? withFlags(err) : err.message
      reportError(io, json, { code: 'usage', message, ...(err.usage ? { usage: err.usage } : {}) }, `${message}\n${err.usage ? `\nUsage: ${err.usage}\n` : ''}`)
      return 2
    }
    if (err instanceof PixcapError) {
      reportError(io, json, err.toJSON(), `pixcap ${command.name}: ${err.message}\n`)
      return 1
    }
    const e = err as Error
    if (e?.name === 'AbortError' || io.signal?.aborted) {
      reportError(io, json, { code: 'interrupted', message: 'interrupted' }, `pixcap ${command.name}: interrupted\n`)
      return 130
    }
    reportError(io, json, { message: String(e?.message ?? e) }, `pixcap ${command.name}: ${e?.stack ?? String(e)}\n`)
    return 1
  }
}
