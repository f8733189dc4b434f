// Bundles the CLI (dist/cli/main.js and every module it reaches, zod and apache-arrow included) into a few files in
// dist/cli-bundle/, so that `pixcap` starts without the ESM loader resolving and compiling hundreds of small modules
// one by one: on the 2-core bench machine that was ~150 ms of every command's start-up (docs/speed.md). Run after tsc
// (npm run build). The library entry points (dist/index.js, pixcap/io, ...) stay unbundled, so a library user's own
// apache-arrow and zod are the ones pixcap's objects come from.
//
// Kept external: packages with native code, wasm or CommonJS internals (sharp, parquet-wasm, execa's dependencies,
// ...); only pure-ESM packages whose objects never leave the CLI process are bundled.
// Each module's `import.meta.url` is rewritten to its own dist/ URL, so paths resolved from it (worker entries,
// templates, the bundled sample, package.json, web/view, python-bridge/) stay what they are unbundled.
import { readdir, readFile, rm } from 'node:fs/promises'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const DIST = join(ROOT, 'dist')
const OUT = join(DIST, 'cli-bundle')
const BUNDLED_PACKAGES = new Set(['zod', 'apache-arrow', 'flatbuffers', 'tslib'])
const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'))
const external = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((name) => !BUNDLED_PACKAGES.has(name))

const ownUrl = {
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/].*\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8')
      if (!text.includes('import.meta.url')) return undefined
      const rel = relative(OUT, args.path).split(sep).join('/')
      const own = `new URL(${JSON.stringify(rel)}, import.meta.url).href`
      return { contents: text.replaceAll('import.meta.url', own), loader: 'js' }
    })
  },
}

// Chunk names carry content hashes: start from an empty folder so no stale chunk stays behind.
await rm(OUT, { recursive: true, force: true })
await build({
  entryPoints: [join(DIST, 'cli', 'main.js')],
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  plugins: [ownUrl],
  logLevel: 'warning',
  legalComments: 'none',
})

// A CommonJS module that reached the bundle would fail at run time ("Dynamic require of ... is not supported"), in
// whichever command loads it: fail the build instead, naming the chunk (keep that package external).
for (const name of await readdir(OUT)) {
  const text = await readFile(join(OUT, name), 'utf8')
  const found = text.match(/__require\("[^"]+"\)/)
  if (found) throw new Error(`dist/cli-bundle/${name}: ${found[0]}: a CommonJS package was bundled; add it to the externals in scripts/bundle-cli.mjs`)
}
