// Library errors name options as the library spells them (`panopticDir`); the CLI shows the flag a user typed
// (`--panoptic-dir`). Flags are the kebab-case of the option name, except the few listed here.
import { OptionError } from '../errors.js'

/** Options whose flag is not the kebab-case of their name. */
const FLAG_OF: Record<string, string> = {
  'shard.index': '--shard-index',
  'shard.count': '--num-shards',
  formats: '--format',
  filterPolicy: 'the filter flags',
}

/** The flag of a library option name: `panopticDir` -> `--panoptic-dir`. */
export function flagOf(option: string): string {
  return FLAG_OF[option] ?? `--${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`
}

/** The message of an OptionError with each option name it lists replaced by its flag. */
export function withFlags(err: OptionError): string {
  const names = [...err.options].sort((a, b) => b.length - a.length)
  if (names.length === 0) return err.message
  const escaped = names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  return err.message.replace(new RegExp(`(?<![\\w.-])(${escaped.join('|')})(?![\\w-])`, 'g'), (name) => flagOf(name))
}
