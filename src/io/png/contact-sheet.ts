// A contact sheet: pairs of images side by side (training image | evaluation image), one pair per row, each with
// a caption line, drawn with sharp into one PNG so a person can check in seconds that the matches are real.
import type { OverlayOptions } from 'sharp'
import { loadSharp } from './load-sharp.js'
import { writeFileAtomic } from '../../util/atomic-write.js'

/** One row of the sheet. */
export interface SheetPair {
  left: string
  right: string
  /** Shown under the pair, e.g. `000000000139.jpg ~ vip:v1_3.png (pHash 2 bits)`. */
  label: string
}

/** Side of each thumbnail (pixels). */
const THUMB_SIDE = 192
const GAP = 8
const LABEL_HEIGHT = 22

const escapeXml = (s: string): string => s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!)

async function thumb(file: string): Promise<Buffer> {
  const sharp = await loadSharp()
  try {
    return await sharp(file).rotate().resize(THUMB_SIDE, THUMB_SIDE, { fit: 'contain', background: { r: 40, g: 40, b: 40, alpha: 1 } }).png().toBuffer()
  } catch {
    // An unreadable image still gets its cell, marked, so the sheet shows every pair it lists.
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${THUMB_SIDE}" height="${THUMB_SIDE}"><rect width="100%" height="100%" fill="#400"/><text x="8" y="24" font-family="sans-serif" font-size="14" fill="#fff">unreadable</text></svg>`
    return sharp(Buffer.from(svg)).png().toBuffer()
  }
}

/** Draws the pairs into a PNG at `dest` (atomically); returns its size. */
export async function writeContactSheet(pairs: readonly SheetPair[], dest: string): Promise<{ width: number; height: number }> {
  const sharp = await loadSharp()
  const width = GAP * 3 + THUMB_SIDE * 2
  const rowH = THUMB_SIDE + LABEL_HEIGHT + GAP
  const height = Math.max(1, GAP + pairs.length * rowH)
  const layers: OverlayOptions[] = []
  for (const [i, p] of pairs.entries()) {
    const top = GAP + i * rowH
    layers.push({ input: await thumb(p.left), left: GAP, top }, { input: await thumb(p.right), left: GAP * 2 + THUMB_SIDE, top })
    const label = escapeXml(p.label.length > 60 ? `${p.label.slice(0, 57)}...` : p.label)
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width - GAP * 2}" height="${LABEL_HEIGHT}"><text x="0" y="15" font-family="sans-serif" font-size="12" fill="#eee">${label}</text></svg>`
    layers.push({ input: Buffer.from(svg), left: GAP, top: top + THUMB_SIDE + 2 })
  }
  const png = await sharp({ create: { width, height, channels: 3, background: { r: 24, g: 24, b: 24 } } })
    .composite(layers)
    .png()
    .toBuffer()
  await writeFileAtomic(dest, png)
  return { width, height }
}
