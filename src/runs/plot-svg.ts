// Metric curves over steps as an SVG drawn by our own code (axes, ticks, one legend entry per run). Pure: no fs;
// plot-png.ts renders this SVG with sharp when a PNG is asked for.

/** One curve. */
export interface PlotSeries {
  label: string
  points: readonly { step: number; value: number }[]
}

/** What to draw. */
export interface PlotOptions {
  metric: string
  series: readonly PlotSeries[]
  width?: number
  height?: number
}

/** Colour-blind-safe palette (Okabe-Ito). */
const COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000']

/** "Nice" tick positions covering [min, max] with about `count` ticks (1, 2 or 5 times a power of ten). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return []
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1
    return niceTicks(min - pad, max + pad, count)
  }
  const raw = (max - min) / Math.max(1, count)
  const mag = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag
  const start = Math.floor(min / step) * step
  const ticks: number[] = []
  for (let t = start; t <= max + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)))
  if ((ticks.at(-1) ?? max) < max) ticks.push(Number((start + ticks.length * step).toPrecision(12)))
  return ticks
}

function fmtTick(n: number): string {
  if (n === 0) return '0'
  const a = Math.abs(n)
  return a >= 1e5 || a < 1e-3 ? n.toExponential(1) : String(Number(n.toPrecision(4)))
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/** Renders the plot. Series without points still get a legend entry ("no data"). */
export function renderMetricSvg(o: PlotOptions): string {
  const W = o.width ?? 800
  const H = o.height ?? 480
  const legendH = 18 * o.series.length + 10
  const m = { left: 70, right: 20, top: 36, bottom: 50 + legendH }
  const pw = W - m.left - m.right
  const ph = H - m.top - m.bottom
  const all = o.series.flatMap((s) => s.points)
  const xs = niceTicks(Math.min(...all.map((p) => p.step), 0), Math.max(...all.map((p) => p.step), 1))
  const ys = niceTicks(Math.min(...all.map((p) => p.value)), Math.max(...all.map((p) => p.value)))
  const x0 = xs[0] ?? 0
  const x1 = xs.at(-1) ?? 1
  const y0 = ys[0] ?? 0
  const y1 = ys.at(-1) ?? 1
  const sx = (v: number): number => m.left + ((v - x0) / (x1 - x0 || 1)) * pw
  const sy = (v: number): number => m.top + ph - ((v - y0) / (y1 - y0 || 1)) * ph
  const r = (n: number): string => n.toFixed(1)
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="15">${esc(o.metric)}</text>`,
  ]
  for (const t of ys) {
    out.push(`<line x1="${m.left}" y1="${r(sy(t))}" x2="${m.left + pw}" y2="${r(sy(t))}" stroke="#e5e5e5"/>`)
    out.push(`<text x="${m.left - 6}" y="${r(sy(t) + 4)}" text-anchor="end">${fmtTick(t)}</text>`)
  }
  for (const t of xs) {
    out.push(`<line x1="${r(sx(t))}" y1="${m.top + ph}" x2="${r(sx(t))}" y2="${m.top + ph + 5}" stroke="#333"/>`)
    out.push(`<text x="${r(sx(t))}" y="${m.top + ph + 18}" text-anchor="middle">${fmtTick(t)}</text>`)
  }
  out.push(`<line x1="${m.left}" y1="${m.top + ph}" x2="${m.left + pw}" y2="${m.top + ph}" stroke="#333"/>`)
  out.push(`<line x1="${m.left}" y1="${m.top}" x2="${m.left}" y2="${m.top + ph}" stroke="#333"/>`)
  out.push(`<text x="${m.left + pw / 2}" y="${m.top + ph + 36}" text-anchor="middle">step</text>`)
  out.push(`<text x="16" y="${m.top + ph / 2}" text-anchor="middle" transform="rotate(-90 16 ${m.top + ph / 2})">${esc(o.metric)}</text>`)
  o.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length] as string
    if (s.points.length > 1) {
      const d = s.points.map((p, j) => `${j === 0 ? 'M' : 'L'}${r(sx(p.step))},${r(sy(p.value))}`).join(' ')
      out.push(`<path class="series" data-label="${esc(s.label)}" d="${d}" fill="none" stroke="${color}" stroke-width="2"/>`)
    } else if (s.points.length === 1) {
      const p = s.points[0] as { step: number; value: number }
      out.push(`<circle class="series" data-label="${esc(s.label)}" cx="${r(sx(p.step))}" cy="${r(sy(p.value))}" r="3" fill="${color}"/>`)
    }
    const ly = m.top + ph + 50 + i * 18
    out.push(`<line x1="${m.left}" y1="${ly}" x2="${m.left + 24}" y2="${ly}" stroke="${color}" stroke-width="3"/>`)
    out.push(`<text class="legend" x="${m.left + 30}" y="${ly + 4}">${esc(s.label)}${s.points.length === 0 ? ' (no data)' : ''}</text>`)
  })
  out.push('</svg>')
  return `${out.join('\n')}\n`
}
