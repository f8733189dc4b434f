// Where the Hub token comes from, in the order the Hub's own client looks (huggingface_hub 1.33 utils/_auth.py
// get_token, constants.py): an explicit `--token`, then HF_TOKEN (or the legacy HUGGING_FACE_HUB_TOKEN), then the
// token file that `hf auth login` writes: $HF_TOKEN_PATH, else $HF_HOME/token, else $XDG_CACHE_HOME/huggingface/token,
// else ~/.cache/huggingface/token. @huggingface/hub itself reads none of these (reference/ecosystem.md §5).
// The token's value is never part of an error message or a result: only where it came from is.
import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { PixcapError, UsageError } from '../errors.js'

/** Where a token was found (what a result or log may say instead of the token). */
type TokenSource = 'flag' | 'env:HF_TOKEN' | 'env:HUGGING_FACE_HUB_TOKEN' | 'file'

/** A token and its origin; `file` is set when it was read from the token file. */
export interface HubToken {
  token: string
  source: TokenSource
  file?: string
}

/** The token file path huggingface_hub uses for this environment (constants.py HF_TOKEN_PATH). */
export function hubTokenPath(env: NodeJS.ProcessEnv, home: string = homedir()): string {
  if (env.HF_TOKEN_PATH) return env.HF_TOKEN_PATH
  const hfHome = env.HF_HOME ?? join(env.XDG_CACHE_HOME ?? join(home, '.cache'), 'huggingface')
  return join(hfHome, 'token')
}

/** Empty or whitespace-only values count as absent (huggingface_hub _clean_token). */
function clean(value: string | undefined): string | undefined {
  const v = value?.replace(/\r|\n/g, '').trim()
  return v ? v : undefined
}

/** Checks the token's shape without ever printing it: @huggingface/hub refuses anything not starting with `hf_`. */
function checked(t: HubToken): HubToken {
  if (!t.token.startsWith('hf_')) {
    const where = t.source === 'file' ? `the token file ${t.file}` : t.source === 'flag' ? '--token' : t.source.slice(4)
    throw new UsageError(`the Hub token from ${where} does not start with "hf_"; is it a Hugging Face user access token? (value not shown)`)
  }
  return t
}

/** Finds the token (flag, env, token file) or returns null when there is none. */
export async function findHubToken(o: { flag?: string; env: NodeJS.ProcessEnv; home?: string }): Promise<HubToken | null> {
  const flag = clean(o.flag)
  if (flag) return checked({ token: flag, source: 'flag' })
  const hfToken = clean(o.env.HF_TOKEN)
  if (hfToken) return checked({ token: hfToken, source: 'env:HF_TOKEN' })
  const legacy = clean(o.env.HUGGING_FACE_HUB_TOKEN)
  if (legacy) return checked({ token: legacy, source: 'env:HUGGING_FACE_HUB_TOKEN' })
  const file = hubTokenPath(o.env, o.home)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw new PixcapError('io', file, [], `cannot read the Hub token file: ${(err as Error).message}`)
  }
  const fromFile = clean(text)
  return fromFile ? checked({ token: fromFile, source: 'file', file }) : null
}

/** Like {@link findHubToken}, but a missing token is a usage error that says how to provide one. */
export async function requireHubToken(o: { flag?: string; env: NodeJS.ProcessEnv; home?: string }): Promise<HubToken> {
  const found = await findHubToken(o)
  if (found) return found
  throw new UsageError(
    `no Hugging Face token: pass --token, set HF_TOKEN, or log in with \`hf auth login\` (which writes ${hubTokenPath(o.env, o.home)})`,
  )
}

/** A function that replaces every occurrence of the token (and its URL-encoded form) with `***`. */
export function tokenRedactor(token: string | undefined): (text: string) => string {
  if (!token) return (text) => text
  const needles = [...new Set([token, encodeURIComponent(token)])]
  return (text) => needles.reduce((acc, n) => acc.split(n).join('***'), text)
}
