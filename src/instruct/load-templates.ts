// Loading a template file (ours by default, or the user's `--templates FILE`) and hashing its bytes, so the
// manifest records exactly which questions a corpus was built from.
import { checkNoLoneSurrogates } from '../io/input/lone-surrogates.js'
import { readFile } from 'node:fs/promises'
import { dirname, extname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PixcapError } from '../errors.js'
import { sha256 } from '../util/sha256.js'
import { parseTemplateSet, type TemplateSet } from './template-set.js'

/** The bundled default template file (templates/ at the package root, from both src/ and dist/). */
export const DEFAULT_TEMPLATES_FILE = resolve(dirname(fileURLToPath(import.meta.url)), '../../templates/pixcap-default.json')

/** A validated template set with where it came from and the sha256 of its bytes. */
export interface LoadedTemplates {
  file: string
  sha256: string
  templates: TemplateSet
}

/**
 * Parses template text (JSON, or YAML for .yaml/.yml) and validates it (no I/O; `file` is only for messages). The
 * YAML parser is loaded only for YAML files: every convert reads the bundled JSON templates, and loading `yaml` cost
 * ~30 ms of its start-up.
 */
export async function parseTemplatesText(text: string, file: string): Promise<TemplateSet> {
  let doc: unknown
  const ext = extname(file).toLowerCase()
  const yaml = ext === '.yaml' || ext === '.yml' ? await import('yaml') : undefined
  try {
    doc = yaml !== undefined ? yaml.parse(text) : JSON.parse(text)
  } catch (err) {
    throw new PixcapError('invalid_json', file, [], `cannot parse template file: ${(err as Error).message}`, { cause: err })
  }
  if (yaml === undefined) checkNoLoneSurrogates(text, doc, file)
  return parseTemplateSet(doc, file)
}

/** Reads, validates and hashes a template file (default: the bundled pixcap-default.json). */
export async function loadTemplates(file: string = DEFAULT_TEMPLATES_FILE): Promise<LoadedTemplates> {
  let bytes: Buffer
  try {
    bytes = await readFile(file)
  } catch (err) {
    throw new PixcapError('not_found', file, [], `cannot read template file: ${(err as Error).message}`, { cause: err })
  }
  return { file, sha256: sha256(bytes), templates: await parseTemplatesText(bytes.toString('utf8'), file) }
}
