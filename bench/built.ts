// Stages measure the built library (dist/, what users run; `npm run bench` builds first), so that worker threads
// load plain JS as they do in production instead of going through tsx.
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

type Library = typeof import('../src/index.js')

const DIST_INDEX = fileURLToPath(new URL('../dist/index.js', import.meta.url))

/** The built pixcap library; fails with the fix when dist/ is missing. */
export async function builtLibrary(): Promise<Library> {
  if (!existsSync(DIST_INDEX)) throw new Error(`${DIST_INDEX} does not exist; run \`npm run build\` (npm run bench does)`)
  return (await import(pathToFileURL(DIST_INDEX).href)) as Library
}
