// The package version, read once from package.json (the same relative path works from src/ and dist/).
import { readFile } from 'node:fs/promises'
import { z } from 'zod'

let cached: Promise<string> | undefined

/** pixcap's version, e.g. `0.1.0`. */
export function pixcapVersion(): Promise<string> {
  cached ??= readFile(new URL('../../package.json', import.meta.url), 'utf8').then((text) => z.object({ version: z.string() }).parse(JSON.parse(text)).version)
  return cached
}
