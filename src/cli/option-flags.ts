// Library errors name options as the library spells them (OptionError templates: `{panopticDir}`); the CLI shows
// the flag a user typed (`--panoptic-dir`). A flag is the kebab-case of its option name, except the few listed here.
import { OPTION_REF, type OptionError } from '../errors.js'

/** Options whose flag is not the kebab-case of their name. */
const FLAG_OF: Record<string, string> = {
  'shard.index': '--shard-index',
  'shard.count': '--num-shards',
  outDir: '--out',
  formats: '--format',
  accessToken: '--token',
  shapes: '--prompt-shapes',
}

/** The flag of a library option name: `panopticDir` -> `--panoptic-dir`. */
export function flagOf(option: string): string {
  return FLAG_OF[option] ?? `--${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`
}

/** An OptionError's message with each option shown as its flag. */
export function withFlags(err: OptionError): string {
  return err.template.replace(OPTION_REF, (_, name: string) => flagOf(name))
}
