// Stages measure the built library (dist/, what users run; `npm run bench` builds first), so that worker threads
// load plain JS as they do in production instead of going through tsx.
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

type Library = typeof import('../src/index.js') & typeof import('../src/io/index.js')

const DIST_INDEX = fileURLToPath(new URL('../dist/index.js', import.meta.url))
/** Building blocks (worker pools, mask checks) are behind the pixcap/io subpath. */
const DIST_IO = fileURLToPath(new URL('../dist/io/index.js', import.meta.url))

/** The built pixcap library; fails with the fix when dist/ is missing. */
export async function builtLibrary(): Promise<Library> {
  if (!existsSync(DIST_INDEX)) throw new Error(`${DIST_INDEX} does not exist; run \`npm run build\` (npm run bench does)`)
  const [root, io] = await Promise.all([import(pathToFileURL(DIST_INDEX).href), import(pathToFileURL(DIST_IO).href)])
  return { ...root, ...io } as Library
}
