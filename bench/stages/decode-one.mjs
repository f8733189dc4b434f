// Decodes one PNG file to pixels and nothing else, as verifyMasks decodes it (src/io/png/mask-decode.ts): the project's
// own decoder into a reused scratch, sharp for what it refuses. Returns the decoded byte count.
import { readFileSync } from 'node:fs'
import sharp from 'sharp'
import { decodeRgb8Png, PngScratch } from '../../dist/io/png/png-rgb8.js'

const scratch = new PngScratch()

export async function decodeOnePng(pngPath) {
  const bytes = readFileSync(pngPath)
  const fast = decodeRgb8Png(bytes, scratch)
  if (fast !== null) return fast.width * fast.height * fast.channels
  return (await sharp(bytes).raw().toBuffer()).length
}
