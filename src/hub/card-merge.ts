// Regenerating a card keeps what the user wrote. The README is front matter + body; pixcap owns
//   - the front-matter keys in GENERATED_KEYS (rewritten every time) and fills the others only when absent, and
//   - the body between the BEGIN and END markers.
// Everything else (other YAML keys, text before and after the markers) is kept byte for byte. A README without
// markers (written by hand before the first `pixcap card`) is kept whole, below the generated block. Pure: no fs.
import { parseDocument, stringify } from 'yaml'
import { PixcapError } from '../errors.js'
import { GENERATED_KEYS } from './card-front-matter.js'

/** Opens the generated block; it records the sha256 of the manifest the block describes. */
const CARD_BEGIN = '<!-- pixcap:card:begin'
/** Closes the generated block. */
export const CARD_END = '<!-- pixcap:card:end -->'

/** The text a new card leaves for the authors, outside the generated block. */
export const USER_SECTION = [
  '## Notes from the authors',
  '',
  '<!-- Write here. `pixcap card` rewrites only the text between the pixcap:card markers above and the generated',
  '     YAML keys (configs, dataset_info, size_categories); everything else in this file is kept as you wrote it. -->',
  '',
].join('\n')

/** A README split into its front matter (YAML text, without the `---` lines) and body. */
export function splitFrontMatter(text: string): { yaml: string | null; body: string } {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text)
  return m ? { yaml: m[1] ?? '', body: text.slice(m[0].length) } : { yaml: null, body: text }
}

/** The manifest sha256 recorded in a card's BEGIN marker, or null when the card has no generated block. */
export function cardManifestSha256(text: string): string | null {
  const m = /<!-- pixcap:card:begin manifest-sha256=([0-9a-f]{64}) -->/.exec(text)
  return m ? m[1]! : null
}

/** Merges the generated front matter and block into an existing README (or none). */
export function mergeCard(o: {
  existing: string | null
  file: string
  generated: Record<string, unknown>
  defaults: Record<string, unknown>
  block: string
  manifestSha256: string
}): string {
  const begin = `${CARD_BEGIN} manifest-sha256=${o.manifestSha256} -->`
  const block = `${begin}\n${o.block.trimEnd()}\n${CARD_END}`
  const { yaml, body } = o.existing === null ? { yaml: null, body: null } : splitFrontMatter(o.existing)

  let front: string
  if (yaml === null) {
    front = stringify({ ...o.defaults, ...o.generated }, { lineWidth: 0 })
  } else {
    const doc = parseDocument(yaml)
    if (doc.errors.length > 0) throw new PixcapError('schema', o.file, [], `the card's YAML front matter does not parse: ${doc.errors[0]!.message}; fix it or move the file away`)
    for (const [k, v] of Object.entries(o.defaults)) if (!doc.has(k)) doc.set(k, v)
    for (const k of GENERATED_KEYS) if (k in o.generated) doc.set(k, o.generated[k])
    else doc.delete(k)
    front = doc.toString({ lineWidth: 0 })
  }

  let newBody: string
  if (body === null) newBody = `${block}\n\n${USER_SECTION}`
  else {
    const start = body.indexOf(CARD_BEGIN)
    const end = body.indexOf(CARD_END)
    if (start === -1 && end === -1) newBody = `${block}\n\n${body}`
    else if (start === -1 || end === -1 || end < start) {
      throw new PixcapError('schema', o.file, [], `the card has ${start === -1 ? 'an end marker without a begin marker' : 'a begin marker without an end marker after it'} (${CARD_BEGIN} ... ${CARD_END}); restore the marker so pixcap knows which text is yours`)
    } else newBody = body.slice(0, start) + block + body.slice(end + CARD_END.length)
  }
  return `---\n${front.endsWith('\n') ? front : `${front}\n`}---\n\n${newBody.replace(/^\n+/, '')}`
}
