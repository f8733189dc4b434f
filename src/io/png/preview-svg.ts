// Builds the SVG overlay of a region preview: one box and label per region, colours from a fixed palette so the
// same region keeps its colour between runs. Pure: no fs, no sharp.
import type { RegionRecord } from '../../records/region-record.js'

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
function previewLabel(region: Pick<RegionRecord, 'category' | 'isCrowd'>, k: number): string {
  return `${k + 1} ${region.category}${region.isCrowd ? ' (crowd)' : ''}`
}

/** Average advance of a DejaVu Sans glyph, in ems (sizes label backgrounds without measuring text). */
const GLYPH_EM = 0.62
/** The legend is at least this wide, so captions stay readable under small photos. */
export const LEGEND_MIN_WIDTH = 640

type OverlayRegion = Pick<RegionRecord, 'bbox' | 'category' | 'isCrowd'>

/** Where a region's label goes: at its box's top-left corner, moved so the whole label stays inside the image. */
export function placeLabel(bbox: readonly number[], labelW: number, labelH: number, width: number, height: number): { x: number; y: number } {
  const [x, y] = bbox as [number, number]
  // Above the box when there is room, else just inside its top edge.
  const top = y >= labelH ? y - labelH : y
  return { x: Math.max(0, Math.min(x, width - labelW)), y: Math.max(0, Math.min(top, height - labelH)) }
}

/** SVG with a rectangle and a label per region, sized to the image; labels sit on their colour with a dark halo. */
export function regionOverlaySvg(width: number, height: number, regions: readonly OverlayRegion[]): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${overlayParts(width, height, regions).join('')}</svg>`
}

interface Placed { x: number; y: number; w: number; h: number }

/** Moves a label down (then up) by whole label heights until it no longer covers an earlier one, staying inside. */
function avoidOverlap(at: { x: number; y: number }, w: number, h: number, height: number, placed: readonly Placed[]): { x: number; y: number } {
  const hits = (y: number) => placed.some((p) => at.x < p.x + p.w && p.x < at.x + w && y < p.y + p.h && p.y < y + h)
  for (let step = 0; step <= Math.ceil(height / h); step++) {
    for (const y of [at.y + step * h, at.y - step * h]) if (y >= 0 && y <= height - h && !hits(y)) return { x: at.x, y }
  }
  return at
}

function overlayParts(width: number, height: number, regions: readonly OverlayRegion[]): string[] {
  const stroke = Math.max(1, Math.round(Math.max(width, height) / 320))
  const font = Math.max(9, Math.round(Math.max(width, height) / 45))
  const pad = Math.max(1, Math.round(font / 5))
  const boxes: string[] = []
  const labels: string[] = []
  const placed: Placed[] = []
  regions.forEach((r, k) => {
    const [x, y, w, h] = r.bbox
    const [cr, cg, cb] = previewColor(k)
    const colour = `rgb(${cr},${cg},${cb})`
    const text = previewLabel(r, k)
    const labelW = Math.min(width, Math.ceil(text.length * font * GLYPH_EM) + 2 * pad)
    const labelH = font + 2 * pad
    const at = avoidOverlap(placeLabel(r.bbox, labelW, labelH, width, height), labelW, labelH, height, placed)
    placed.push({ ...at, w: labelW, h: labelH })
    const dash = r.isCrowd ? ` stroke-dasharray="${stroke * 3},${stroke * 2}"` : ''
    boxes.push(`<rect x="${x + 0.5}" y="${y + 0.5}" width="${Math.max(w - 1, 0)}" height="${Math.max(h - 1, 0)}" fill="none" stroke="${colour}" stroke-width="${stroke}"${dash}/>`)
    // Labels are drawn after every box so no box line crosses a label.
    labels.push(
      `<rect class="label" x="${at.x}" y="${at.y}" width="${labelW}" height="${labelH}" rx="${pad}" fill="${colour}" fill-opacity="0.85" stroke="black" stroke-opacity="0.6" stroke-width="1"/>`,
      `<text x="${at.x + pad}" y="${at.y + pad + font * 0.82}" font-family="DejaVu Sans, Arial, sans-serif" font-size="${font}" font-weight="bold" fill="white" stroke="black" stroke-width="${Math.max(0.6, font / 8)}" paint-order="stroke" textLength="${labelW - 2 * pad}" lengthAdjust="spacingAndGlyphs">${escapeXml(text)}</text>`,
    )
  })
  return [...boxes, ...labels]
}

/** One legend line: `3 dog: a brown dog lying on a red sofa`, cut with an ellipsis to `maxChars`. */
export function legendLine(region: Pick<RegionRecord, 'category' | 'captions'>, k: number, maxChars: number): string {
  const full = `${k + 1} ${region.category}: ${region.captions[0] ?? '(no caption)'}`
  return full.length <= maxChars ? full : `${full.slice(0, Math.max(1, maxChars - 1)).trimEnd()}…`
}

/** The layout of a preview: the photo at the top left, a legend of numbers to captions below it. */
export interface PreviewLayout {
  width: number
  height: number
  /** Overlay for the whole canvas: boxes and labels over the photo, the legend below. */
  svg: string
}

/** Lays out the overlay of an image of `width` x `height` with a legend beneath (canvas at least LEGEND_MIN_WIDTH wide). */
export function previewLayout(width: number, height: number, regions: readonly Pick<RegionRecord, 'bbox' | 'category' | 'isCrowd' | 'captions'>[]): PreviewLayout {
  const canvasW = Math.max(width, LEGEND_MIN_WIDTH)
  const font = Math.max(11, Math.round(canvasW / 58))
  const lineH = Math.round(font * 1.45)
  const pad = Math.round(font * 0.6)
  const legendH = regions.length === 0 ? 0 : 2 * pad + regions.length * lineH
  const canvasH = height + legendH
  // Legend text is mostly lower case, narrower than the label's capitals and digits (DejaVu Sans ~0.55 em).
  const maxChars = Math.floor((canvasW - 2 * pad - font * 1.4) / (font * 0.55))
  const legend = regions.map((r, k) => {
    const [cr, cg, cb] = previewColor(k)
    const y = height + pad + k * lineH
    return (
      `<rect x="${pad}" y="${y + (lineH - font) / 2}" width="${font}" height="${font}" fill="rgb(${cr},${cg},${cb})"/>` +
      `<text x="${pad + font * 1.4}" y="${y + (lineH - font) / 2 + font * 0.85}" font-family="DejaVu Sans, Arial, sans-serif" font-size="${font}" fill="#1d2430">${escapeXml(legendLine(r, k, maxChars))}</text>`
    )
  })
  const background = legendH > 0 ? `<rect x="0" y="${height}" width="${canvasW}" height="${legendH}" fill="white"/>` : ''
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${canvasW}" height="${canvasH}" viewBox="0 0 ${canvasW} ${canvasH}">${overlayParts(width, height, regions).join('')}${background}${legend.join('')}</svg>`
  return { width: canvasW, height: canvasH, svg }
}
