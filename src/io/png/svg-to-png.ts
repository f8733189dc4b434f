// SVG -> PNG with sharp (librsvg), for pictures drawn as SVG elsewhere (runs plot, card histograms): pixels stay in io/.
import { loadSharp } from './load-sharp.js'

/** Rasterises an SVG document to PNG bytes at its own size. */
export async function svgToPng(svg: string | Buffer): Promise<Buffer> {
  const sharp = await loadSharp()
  return sharp(Buffer.isBuffer(svg) ? svg : Buffer.from(svg)).png().toBuffer()
}
