// A bar chart of a value -> count histogram as SVG (the card's pictures; io/png/card-pictures.ts rasterises it to PNG).
// Pure: no fs, no sharp. Integer values get one bar each up to MAX_BARS distinct values, then equal-width bins.

/** More bars than this and the bars become bins. */
export const MAX_BARS = 40

/** One bar: values in [lo, hi] (integers) and how many there are. */
export interface HistogramBar {
  lo: number
  hi: number
  count: number
}

/** Groups a value -> count map into at most MAX_BARS bars covering min..max without gaps. */
export function histogramBars(h: ReadonlyMap<number, number>): HistogramBar[] {
  if (h.size === 0) return []
  const keys = [...h.keys()]
  const min = Math.min(...keys)
  const max = Math.max(...keys)
  const width = Math.max(1, Math.ceil((max - min + 1) / MAX_BARS))
  const bars: HistogramBar[] = []
  for (let lo = min; lo <= max; lo += width) bars.push({ lo, hi: Math.min(max, lo + width - 1), count: 0 })
  for (const [k, n] of h) bars[Math.floor((k - min) / width)]!.count += n
  return bars
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string)
}

/** The chart: title, bars, the count axis maximum and the value labels of the first, middle and last bars. */
export function histogramSvg(o: { title: string; xLabel: string; bars: readonly HistogramBar[]; width?: number; height?: number }): string {
  const W = o.width ?? 640
  const H = o.height ?? 320
  const left = 56
  const right = 16
  const top = 36
  const bottom = 48
  const plotW = W - left - right
  const plotH = H - top - bottom
  const peak = Math.max(1, ...o.bars.map((b) => b.count))
  const barW = o.bars.length > 0 ? plotW / o.bars.length : plotW
  const font = 'font-family="DejaVu Sans, Arial, sans-serif"'
  const parts = [
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" ${font}>${escapeXml(o.title)}</text>`,
    `<line x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}" stroke="#333"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}" stroke="#333"/>`,
    `<text x="${left - 6}" y="${top + 10}" text-anchor="end" font-size="11" ${font}>${peak}</text>`,
    `<text x="${left - 6}" y="${top + plotH}" text-anchor="end" font-size="11" ${font}>0</text>`,
    `<text x="${left + plotW / 2}" y="${H - 8}" text-anchor="middle" font-size="12" ${font}>${escapeXml(o.xLabel)}</text>`,
  ]
  o.bars.forEach((b, i) => {
    const h = (b.count / peak) * plotH
    const x = left + i * barW
    parts.push(`<rect x="${(x + 1).toFixed(1)}" y="${(top + plotH - h).toFixed(1)}" width="${Math.max(1, barW - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="rgb(31,119,180)"/>`)
  })
  const labelled = new Set([0, Math.floor((o.bars.length - 1) / 2), o.bars.length - 1])
  for (const i of labelled) {
    const b = o.bars[i]
    if (!b) continue
    const text = b.lo === b.hi ? String(b.lo) : `${b.lo}-${b.hi}`
    parts.push(`<text x="${(left + (i + 0.5) * barW).toFixed(1)}" y="${top + plotH + 16}" text-anchor="middle" font-size="11" ${font}>${text}</text>`)
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${parts.join('')}</svg>`
}
