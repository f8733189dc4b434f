// Public library API: every CLI command is a library function first.
export * from './errors.js'
export * from './records/index.js'
export { createRng, deriveSeed, type Rng } from './util/rng.js'
export { sha256, sha256File } from './util/sha256.js'
export { writeFileAtomic, writeStreamAtomic, openAtomic } from './util/atomic-write.js'
export * from './instruct/index.js'
export * from './formats/index.js'
