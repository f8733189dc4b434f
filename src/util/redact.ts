// Secrets never reach run records or logs (helper brief "Security"; STYLE.md §10). A variable is secret when its NAME
// contains TOKEN, KEY or SECRET (any case), plus HF_TOKEN by name. Recorded env values become `***`, and every
// occurrence of a secret value in captured stdout/stderr text is masked before it is written. The same redactor masks
// everything the CLI prints (src/cli/main.ts wraps stdout and stderr) and error bodies of remote servers (a judge that
// echoes the Authorization header): one masking function on every output path.

/** What a secret value is replaced with. */
const REDACTED = '***'

/**
 * Values shorter than this are not masked in free text: masking "1" or "on" would destroy every log line while
 * protecting nothing (a 3-character secret is not a secret). Recorded env values are always masked, whatever the length.
 */
const MIN_MASKED_LENGTH = 4

const SECRET_NAME = /TOKEN|KEY|SECRET/i
const SECRET_NAMES = new Set(['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN', 'WANDB_API_KEY', 'PASSWORD'])

/** True when an environment variable's name marks it as secret. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) || SECRET_NAMES.has(name.toUpperCase())
}

/** A copy of `env` with every secret value replaced by `***`. */
export function redactEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) continue
    out[k] = isSecretName(k) ? REDACTED : v
  }
  return out
}

/** Masks secret values in text. */
export type Redactor = (text: string) => string

/** `\uXXXX` for every non-ASCII UTF-16 unit, as Python's json.dumps (ensure_ascii=True) writes it. */
function asciiEscaped(text: string, upper: boolean): string {
  return text.replace(/[^\x00-\x7f]/g, (c) => {
    const hex = (c.charCodeAt(0) ?? 0).toString(16).padStart(4, '0')
    return `\\u${upper ? hex.toUpperCase() : hex}`
  })
}

/** Every form a secret can take in text we write: as is, JSON-escaped (JS and Python's ASCII-only escapes). */
function secretForms(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1)
  return [value, json, asciiEscaped(json, false), asciiEscaped(json, true)]
}

/**
 * Builds a redactor from the secret values found in `env` (and their JSON-escaped forms, for event lines), plus
 * `secrets` given by value (e.g. an API key read from a variable whose name does not look secret).
 */
export function createRedactor(env: Record<string, string | undefined>, secrets: readonly string[] = []): Redactor {
  const needles = new Set<string>()
  const values = [...Object.entries(env).filter(([k]) => isSecretName(k)).map(([, v]) => v), ...secrets]
  for (const v of values) {
    if (v === undefined || v.length < MIN_MASKED_LENGTH) continue
    for (const form of secretForms(v)) needles.add(form)
  }
  // Longest first, so a secret containing another secret is masked whole.
  const list = [...needles].sort((a, b) => b.length - a.length)
  if (list.length === 0) return (text) => text
  return (text) => {
    let out = text
    for (const n of list) if (out.includes(n)) out = out.split(n).join(REDACTED)
    return out
  }
}

/** Masks secrets anywhere inside a JSON-able value (strings are redacted, keys kept). */
export function redactValue<T>(value: T, redact: Redactor): T {
  return JSON.parse(redact(JSON.stringify(value))) as T
}
