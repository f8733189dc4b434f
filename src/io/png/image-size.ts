// Image dimensions from the file header (sharp reads the header, not the pixels). Width and height are as stored,
// before any EXIF rotation, which is also what PIL's Image.open(...).size reports.
import { loadSharp } from './load-sharp.js'

/** Stored width and height of an image file. */
export async function readImageSize(file: string): Promise<{ width: number; height: number }> {
  const sharp = await loadSharp()
  const meta = await sharp(file).metadata()
  if (!meta.width || !meta.height) throw new Error(`${file}: image header has no width/height`)
  return { width: meta.width, height: meta.height }
}
