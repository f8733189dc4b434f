// Opens any registered source: by name (`from`), or by detection from the file's shape. Detection asks every
// registered source; exactly one must say yes, so a file is never read as the wrong kind in silence.
import { OptionError, PixcapError } from '../errors.js'
import { checkInputFile } from '../io/input/input-file.js'
import { SOURCES, type SourceName } from './registry.js'
import { probeFile } from './source-probe.js'
import type { OpenSourceOptions, SourceDefinition, SourceReader } from './source-reader.js'

/** Options of {@link openSource}. */
export interface OpenAnySourceOptions extends OpenSourceOptions {
  /** A registered source name; default: detected from the file's shape ({@link detectSource}). */
  from?: string
}

const names = () => Object.keys(SOURCES).join(', ')

// A PixcapError is not an OptionError template (its detail may quote the file), so the option is spelled out for
// both the library (`from`) and the CLI (`--from`).
const CHOOSE_ONE = 'name it with the from option (--from NAME)'

const TOP_LEVEL = { object: 'a JSON object', array: 'a JSON array', other: 'not a JSON object or array' } as const

/** The registered source called `name`, or a usage error naming the option and the choices. */
export function sourceNamed(name: string): SourceDefinition {
  const def = (SOURCES as Record<string, SourceDefinition>)[name]
  if (!def) throw new OptionError(`{from}: unknown source "${name}"; registered sources: ${names()}`)
  return def
}

/** The one registered source whose shape `file` has; an error naming the file when none or several match. */
export async function detectSource(file: string): Promise<SourceDefinition> {
  const probe = probeFile(file)
  const matches: SourceDefinition[] = []
  for (const def of Object.values(SOURCES) as SourceDefinition[]) if (await def.detect(probe)) matches.push(def)
  if (matches.length === 1) return matches[0]!
  if (matches.length > 1) {
    throw new PixcapError('schema', file, [], `has the shape of several sources (${matches.map((m) => m.name).join(', ')}); ${CHOOSE_ONE}`)
  }
  if (probe.scanError instanceof PixcapError) throw probe.scanError
  // Naming the source turns this into that reader's own error, which says what is missing (a key, a type).
  throw new PixcapError('schema', file, [], `has the shape of no registered source (${names()}): its top level is ${TOP_LEVEL[await probe.topLevel()]}; if it is one of them, ${CHOOSE_ONE} and its reader says what does not match`)
}

/** Opens `options.annotations` with the named or detected source. */
export async function openSource(options: OpenAnySourceOptions): Promise<{ definition: SourceDefinition; reader: SourceReader }> {
  const { from, ...rest } = options
  await checkInputFile(options.annotations, from !== undefined ? `a ${from} annotations file` : 'an annotations file')
  const definition = from !== undefined ? sourceNamed(from) : await detectSource(options.annotations)
  return { definition, reader: definition.open(rest) }
}

export type { SourceName }
