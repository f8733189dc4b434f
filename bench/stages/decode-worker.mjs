// Worker entry for the png-decode baseline: decode only, with the decoder verifyMasks uses (the project's own
// png-rgb8.ts, sharp for PNG kinds it refuses), in the same worker arrangement. Plain JS on the built library (dist/).
import { decodeOnePng } from './decode-one.mjs'
import { serveTasks } from '../../dist/io/workers/worker-serve.js'

serveTasks(async (pngPath) => decodeOnePng(pngPath))
