// `--from NAME`: the flag every command that reads a dataset takes (convert, validate, stats, preview); its choices
// come from the source registry, so a new source appears here without an edit.
import { UsageError } from '../errors.js'
import { SOURCES } from '../sources/registry.js'
import type { OptionHelp } from './command.js'

/** The parseArgs entry. */
export const FROM_FLAG = { from: { type: 'string' } } as const

/** The `--help` line. */
export const FROM_OPTION: OptionHelp = {
  flag: '--from NAME',
  description: `the dataset's source: ${Object.keys(SOURCES).join(', ')}`,
  default: "detected from the file's shape",
}

/** `{ from }` for the library call, checked against the registry (an unknown name is a usage error naming --from). */
export function fromOption(value: string | undefined, usage?: string): { from?: string } {
  if (value === undefined) return {}
  if (!(value in SOURCES)) throw new UsageError(`--from must be one of ${Object.keys(SOURCES).join(', ')}, got "${value}"`, usage)
  return { from: value }
}
