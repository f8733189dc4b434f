// Worker entry for the png-decode baseline: decode only, in the same worker arrangement verifyMasks uses.
// Plain JS on the built library (dist/), like the mask worker it is compared with.
import sharp from 'sharp'
import { serveTasks } from '../../dist/io/worker-serve.js'

serveTasks(async (pngPath) => (await sharp(pngPath).raw().toBuffer()).length)
