// Worker entry for verifyMasks: decodes panoptic PNGs and measures segments off the main thread (mask-decode.ts).
import { decodeMaskGeometry } from './mask-decode.js'
import { serveTasks } from '../workers/worker-serve.js'

serveTasks((input: { pngPath: string; withRle: boolean }) => decodeMaskGeometry(input.pngPath, input.withRle))
