// Draws visual prompts onto images (the only place they touch pixels; sharp lives in io/). Each render reads its
// source image, paints every shape's coverage (geometry/prompt-shapes.ts) in its opaque colour, and writes a PNG,
// so the colour named in the conversation is exactly the colour on the pixels (ViP-LLaVA blends with a random alpha
// unless its `alpha` argument is set, llava/visual_prompt_generator.py image_blending L270-278; we set it to 255).
// Outputs are written atomically under the corpus root; a path that would escape its root is an error.
import { join } from 'node:path'
import { loadSharp } from './load-sharp.js'
import type { ImageRender } from '../../geometry/prompt-shapes.js'
import { shapeCoverage } from '../../geometry/prompt-shapes.js'
import { writeFileAtomic } from '../../util/atomic-write.js'
import { sha256 } from '../../util/sha256.js'
import { checkRelativePath, resolveInside } from '../input/safe-path.js'

/** One written image, path relative to the corpus root. */
export interface RenderedImage {
  file: string
  bytes: number
  sha256: string
}

/** The PNG bytes of `render` drawn on the decoded source (RGB). */
export async function drawPrompts(render: Pick<ImageRender, 'shapes'>, source: string | Buffer): Promise<Buffer> {
  const sharp = await loadSharp()
  const { data, info } = await sharp(source).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  const { width, height } = info
  for (const shape of render.shapes) {
    const cover = shapeCoverage(shape, width, height)
    const [r, g, b] = shape.color
    for (let i = 0; i < cover.length; i++) {
      if (cover[i] === 1) {
        data[3 * i] = r
        data[3 * i + 1] = g
        data[3 * i + 2] = b
      }
    }
  }
  return sharp(data, { raw: { width, height, channels: 3 } }).png().toBuffer()
}

/** Draws one render and writes it under `outDir`. */
export async function writeRender(render: ImageRender, imagesDir: string, outDir: string): Promise<RenderedImage> {
  const where = { file: 'visual prompt', path: [render.output] }
  const source = resolveInside(imagesDir, render.source, { file: imagesDir, path: [render.source] })
  const png = await drawPrompts(render, source)
  const dest = join(outDir, checkRelativePath(render.output, where))
  await writeFileAtomic(dest, png)
  return { file: render.output, bytes: png.length, sha256: sha256(png) }
}
