// Builds the SVG overlay of a region preview: one box and label per region, colours from a fixed palette so the
// same region keeps its colour between runs. Pure: no fs, no sharp.
import type { RegionRecord } from '../records/region-record.js'

/** Distinct, readable colours (Tableau 20 order), as [r, g, b]. */
export const PREVIEW_PALETTE: readonly [number, number, number][] = [
  [31, 119, 180], [255, 127, 14], [44, 160, 44], [214, 39, 40], [148, 103, 189], [140, 86, 75], [227, 119, 194],
  [127, 127, 127], [188, 189, 34], [23, 190, 207], [174, 199, 232], [255, 187, 120], [152, 223, 138], [255, 152, 150],
  [197, 176, 213], [196, 156, 148], [247, 182, 210], [199, 199, 199], [219, 219, 141], [158, 218, 229],
]

/** Colour of the k-th region (0-based). */
export function previewColor(k: number): [number, number, number] {
  return PREVIEW_PALETTE[k % PREVIEW_PALETTE.length] as [number, number, number]
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string)
}

/** The label drawn at a region's box: its 1-based number and category, marked when crowd. */
export function previewLabel(region: Pick<RegionRecord, 'category' | 'isCrowd'>, k: number): string {
  return `${k + 1} ${region.category}${region.isCrowd ? ' (crowd)' : ''}`
}

/** SVG with a rectangle and a label per region, sized to the image. */
export function regionOverlaySvg(width: number, height: number, regions: readonly Pick<RegionRecord, 'bbox' | 'category' | 'isCrowd'>[]): string {
  const stroke = Math.max(1, Math.round(Math.max(width, height) / 320))
  const font = Math.max(9, Math.round(Math.max(width, height) / 45))
  const parts: string[] = []
  regions.forEach((r, k) => {
    const [x, y, w, h] = r.bbox
    const [cr, cg, cb] = previewColor(k)
    const colour = `rgb(${cr},${cg},${cb})`
    const label = escapeXml(previewLabel(r, k))
    const ty = y >= font + 2 ? y - 3 : y + font + 1
    const dash = r.isCrowd ? ` stroke-dasharray="${stroke * 3},${stroke * 2}"` : ''
    parts.push(
      `<rect x="${x + 0.5}" y="${y + 0.5}" width="${Math.max(w - 1, 0)}" height="${Math.max(h - 1, 0)}" fill="none" stroke="${colour}" stroke-width="${stroke}"${dash}/>`,
      `<text x="${x + 1}" y="${ty}" font-family="DejaVu Sans, Arial, sans-serif" font-size="${font}" fill="${colour}" stroke="black" stroke-width="${Math.max(0.5, font / 12)}" paint-order="stroke">${label}</text>`,
    )
  })
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg>`
}
