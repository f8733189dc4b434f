// Public library API: every CLI command is a library function first.
export * from './errors.js'
export * from './records/index.js'
export { createRng, deriveSeed, type Rng } from './util/rng.js'
export { sha256, sha256File } from './util/sha256.js'
export { writeFileAtomic, writeStreamAtomic, openAtomic } from './util/atomic-write.js'
export * from './geometry/index.js'
export { decodePanopticPng, encodePanopticPng, rgbToIds } from './io/panoptic-png.js'
export {
  verifyMasks,
  DEFAULT_MASK_CONCURRENCY,
  defaultMaskWorkers,
  type MaskCheck,
  type MaskIssue,
  type MaskIssueKind,
  type VerifyMasksOptions,
} from './io/verify-masks.js'
export { decodeMaskGeometry, type DecodedMask } from './io/mask-decode.js'
export { createWorkerPool, type WorkerPool, type WorkerReply } from './io/worker-pool.js'
export { serveTasks } from './io/worker-serve.js'
