// The layer rules of ../shared/ARCHITECTURE.md, checked by test/architecture/layers.test.ts (part of npm test).
// Paths are relative to the folder the cruise starts from, so the same rules run on src/ and on the wrong-way
// fixture in test/fixtures/layers/. Type-only imports count (tsPreCompilationDeps): a type is a dependency too.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'nothing-imports-cli',
      comment: 'cli/ only parses argv and calls one library function; nothing imports it (ARCHITECTURE.md, CLI).',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'geometry-metrics-pure',
      comment: 'geometry/ and metrics/ are pure: no file system, no pixels, no I/O layer.',
      severity: 'error',
      from: { path: '^src/(geometry|metrics)/' },
      to: { path: '^(node:)?(fs|fs/promises|child_process|worker_threads|http|https|net)$|^src/(io|bridge|runs|hub|cli)/|(^|/)node_modules/sharp/' },
    },
    {
      name: 'io-not-above-it',
      comment: 'io/ reads and writes; it imports no dataset/, formats/ or metrics/ (they hand it plain data).',
      severity: 'error',
      from: { path: '^src/io/' },
      to: { path: '^src/(dataset|formats|metrics)/' },
    },
    {
      name: 'bridge-recipes-not-runs',
      comment: 'bridge/ and recipes/ sit below runs/: runs/ executes plans, recipes/ only makes them.',
      severity: 'error',
      from: { path: '^src/(bridge|recipes)/' },
      to: { path: '^src/runs/' },
    },
    {
      name: 'sharp-only-in-io',
      comment: 'io/ is the only code that touches pixels (ARCHITECTURE.md: io/png).',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/io/' },
      to: { path: '(^|/)node_modules/sharp/|^sharp$' },
    },
    {
      name: 'no-module-cycles',
      comment: 'Module cycles; folder cycles are checked by the test on the collapsed graph.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.d.ts'] },
  },
}
