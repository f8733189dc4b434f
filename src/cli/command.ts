// The CLI parses and delegates (STYLE.md §11): a command turns rawArgs into a library call and prints the result.
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { UsageError } from '../errors.js'

/** Where a command writes; tests pass buffers, main passes the process streams. */
export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean }
  stderr: { write(text: string): unknown; isTTY?: boolean }
  env: NodeJS.ProcessEnv
  cwd: string
  /** Aborted on SIGINT/SIGTERM so long commands can stop cleanly. */
  signal?: AbortSignal
}

/** One option as `--help` lists it: `{ flag: '--out DIR', description: 'where the corpus goes', default: 'out' }`. */
export interface OptionHelp {
  flag: string
  description: string
  /** Shown as "(default: ...)"; leave out for required options and plain switches. */
  default?: string
}

/** One CLI verb, e.g. `validate` or `eval captions`. */
export interface Command {
  /** Words that select it, e.g. `eval captions`. */
  name: string
  summary: string
  usage: string
  /** Every option the command accepts, in the order `--help` lists them. */
  options?: OptionHelp[]
  /** Returns the process exit code. Throws UsageError or PixcapError for main to report. */
  run(rawArgs: string[], io: CliIo): Promise<number>
}

/** The text of `pixcap <command> --help`: summary, usage, then one line per option with its default. */
export function renderCommandHelp(command: Pick<Command, 'name' | 'summary' | 'usage' | 'options'>): string {
  const lines = [`pixcap ${command.name}: ${command.summary}`, '', `Usage: ${command.usage}`]
  const options = command.options ?? []
  if (options.length > 0) {
    const width = Math.max(...options.map((o) => o.flag.length))
    lines.push('', 'Options:')
    for (const o of options) lines.push(`  ${o.flag.padEnd(width)}  ${o.description}${o.default !== undefined ? ` (default: ${o.default})` : ''}`)
  }
  return `${lines.join('\n')}\n`
}

/** node:util parseArgs (strict) with usage errors that name the command. Pass `{ options, allowPositionals }`. */
export function parseCommandArgs<T extends Omit<ParseArgsConfig, 'args' | 'strict'>>(
  command: Pick<Command, 'name' | 'usage'>,
  rawArgs: string[],
  config: T,
): ReturnType<typeof parseArgs<T & { args: string[]; strict: true }>> {
  try {
    return parseArgs({ ...config, args: rawArgs, strict: true as const })
  } catch (err) {
    throw new UsageError(`pixcap ${command.name}: ${(err as Error).message}`, command.usage)
  }
}

/** Parses an integer flag, with a usage error that names the flag. */
export function intFlag(name: string, value: string | undefined, fallback: number, usage?: string): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isInteger(n)) throw new UsageError(`--${name} expects an integer, got "${value}"`, usage)
  return n
}

/** Parses a number flag, with a usage error that names the flag. */
export function numberFlag(name: string, value: string | undefined, fallback: number, usage?: string): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isFinite(n)) throw new UsageError(`--${name} expects a number, got "${value}"`, usage)
  return n
}

/** Writes one JSON document followed by a newline (the `--json` output of every command). */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
}
