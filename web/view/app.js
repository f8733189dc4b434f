// pixcap view: the browser side. Plain ES module, no build step and no dependencies: it asks the read-only JSON API
// of src/view/view-server.ts for pages of samples, runs and statistics and draws them with DOM and SVG. Every text
// from the corpus goes in through textContent / attributes, never as HTML. Pages are addressed by the URL hash
// (#/samples?offset=24&category=dog, #/sample/12, #/rejects, #/stats, #/runs, #/run/<id>, #/compare?ids=a,b).

const SVG = 'http://www.w3.org/2000/svg'
const PAGE = 24
let info = null

/** Builds an element: h('a', { href: '#/x', class: 'c' }, 'text', child). */
function h(tag, attrs = {}, ...children) {
  const isSvg = ['svg', 'g', 'rect', 'text', 'image', 'polyline', 'line', 'circle', 'title', 'path'].includes(tag)
  const el = isSvg ? document.createElementNS(SVG, tag) : document.createElement(tag)
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v)
    else el.setAttribute(k, String(v))
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : String(c))
  return el
}

async function api(path) {
  const res = await fetch(path)
  const body = await res.json()
  if (!res.ok) throw new Error(typeof body.error === 'string' ? body.error : (body.error?.message ?? res.statusText))
  return body
}

const colour = (k) => {
  const [r, g, b] = info.palette[(k - 1) % info.palette.length]
  return `rgb(${r},${g},${b})`
}
const qs = (params) => {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v))
  const s = p.toString()
  return s ? `?${s}` : ''
}
const imgUrl = (image, w) => `/img/${image.split('/').map(encodeURIComponent).join('/')}?w=${w}`
const maskUrl = (mask, segs, w, width, height) =>
  `/mask/${encodeURIComponent(mask)}${qs({ segs: segs.join(','), w, h: Math.round((w * height) / width) })}`

/** An image with its regions: photo, mask outlines (when the corpus has a panoptic root), boxes and numbers. */
function regionFigure(row, { width: displayW, dropped = [] } = {}) {
  const W = row.width || 1
  const H = row.height || 1
  const svg = h('svg', { class: 'frame', viewBox: `0 0 ${W} ${H}`, 'data-testid': 'figure', preserveAspectRatio: 'xMidYMid meet' })
  if (row.image && info.corpus?.hasImages) svg.append(h('image', { href: imgUrl(row.image, displayW), x: 0, y: 0, width: W, height: H }))
  const segs = row.regions.map((r) => r.segmentId).filter((s) => s !== null)
  if (row.mask && segs.length === row.regions.length && segs.length > 0) {
    svg.append(h('image', { href: maskUrl(row.mask, segs, displayW, W, H), x: 0, y: 0, width: W, height: H, 'data-testid': 'mask-outline' }))
  }
  // Number tags scale with the image so they stay legible when the picture is shrunk into the grid.
  const tag = Math.max(10, Math.round(Math.max(W, H) / (displayW <= 320 ? 16 : 34)))
  const place = (x, y) => [Math.min(Math.max(0, x), W - tag * 1.6), Math.min(Math.max(0, y), H - tag * 1.2)]
  for (const r of row.regions) {
    const [x, y, w, hgt] = r.bbox
    const c = colour(r.k)
    const [tx, ty] = place(x, y)
    svg.append(
      h('g', { class: 'region', 'data-k': r.k },
        h('title', {}, `region${r.k}: ${r.category}`),
        h('rect', { class: 'box', x, y, width: w, height: hgt, stroke: c }),
        h('g', { class: 'num' },
          h('rect', { x: tx, y: ty, width: tag * 1.6, height: tag * 1.2, rx: tag * 0.2, fill: c }),
          h('text', { x: tx + tag * 0.8, y: ty + tag * 0.95, 'font-size': tag, 'text-anchor': 'middle' }, r.k))))
  }
  for (const d of dropped) {
    const [x, y, w, hgt] = d.bbox
    svg.append(h('g', { class: 'region dropped-region', 'data-testid': 'dropped' }, h('rect', { class: 'box dropped', x, y, width: w, height: hgt, stroke: '#ff1744' })))
  }
  return svg
}

function setActiveNav(name) {
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('active', a.dataset.nav === name)
}

function show(...nodes) {
  const main = document.getElementById('main')
  main.replaceChildren(...nodes)
  main.dataset.ready = String(Date.now())
}

// ---- samples grid ---------------------------------------------------------------------------------------------
const FILTERS = ['category', 'q', 'minWords', 'maxWords', 'minRegions', 'maxRegions']

async function samplesPage(params) {
  setActiveNav('samples')
  if (!info.corpus) return show(h('p', {}, 'No corpus: start with `pixcap view <corpus-dir>`.'))
  const offset = Number(params.get('offset') ?? 0)
  const filter = Object.fromEntries(FILTERS.map((k) => [k, params.get(k) ?? '']))
  const [page, stats] = await Promise.all([api(`/api/samples${qs({ ...filter, offset, limit: PAGE })}`), categoriesOnce()])
  const input = (name, attrs = {}) => h('input', { name, value: filter[name], 'data-testid': `filter-${name}`, ...attrs })
  const form = h('form', { 'data-testid': 'filters', onsubmit: (e) => {
    e.preventDefault()
    const data = new FormData(e.target)
    location.hash = `#/samples${qs(Object.fromEntries(FILTERS.map((k) => [k, data.get(k)])))}`
  } },
  h('label', {}, 'Text', input('q', { placeholder: 'search captions' })),
  h('label', {}, 'Category', h('select', { name: 'category', 'data-testid': 'filter-category' },
    h('option', { value: '' }, 'any'),
    stats.categories.map((c) => h('option', { value: c.category, selected: c.category === filter.category }, `${c.category} (${c.regions})`)))),
  h('label', {}, 'Words in a caption', h('div', { class: 'pair' }, input('minWords', { placeholder: 'min', type: 'number', min: 0 }), input('maxWords', { placeholder: 'max', type: 'number', min: 0 }))),
  h('label', {}, 'Regions per sample', h('div', { class: 'pair' }, input('minRegions', { placeholder: 'min', type: 'number', min: 0 }), input('maxRegions', { placeholder: 'max', type: 'number', min: 0 }))),
  h('button', { class: 'primary', type: 'submit', 'data-testid': 'apply' }, 'Apply'),
  h('a', { href: '#/samples' }, 'clear'))
  const cards = page.rows.map((row) =>
    h('a', { class: 'card', href: `#/sample/${row.index}`, 'data-testid': 'sample-card', 'data-index': row.index },
      regionFigure(row, { width: 320 }),
      h('div', { class: 'meta' }, h('span', {}, row.id), h('span', {}, `${row.regions.length} regions`))))
  const pager = pagerBar(page.total, offset, (o) => `#/samples${qs({ ...filter, offset: o })}`)
  show(h('div', { class: 'layout' }, h('aside', {}, form), h('section', {},
    h('div', { class: 'toolbar' }, h('span', { 'data-testid': 'count' }, `${page.total} samples`), pager), h('div', { class: 'grid' }, cards))))
}

function pagerBar(total, offset, href) {
  const last = Math.max(0, Math.floor((total - 1) / PAGE) * PAGE)
  return h('span', { class: 'pager' },
    offset > 0 ? h('a', { href: href(Math.max(0, offset - PAGE)), 'data-testid': 'prev' }, '← prev') : null, ' ',
    h('span', { 'data-testid': 'range' }, total === 0 ? 'none' : `${offset + 1}–${Math.min(total, offset + PAGE)}`), ' ',
    offset < last ? h('a', { href: href(offset + PAGE), 'data-testid': 'next' }, 'next →') : null)
}

let categories = null
async function categoriesOnce() {
  categories ??= api('/api/stats')
  return categories
}

// ---- one sample -----------------------------------------------------------------------------------------------
async function samplePage(index) {
  setActiveNav('samples')
  const row = await api(`/api/samples/${index}`)
  const figure = regionFigure(row, { width: 1280 })
  const highlight = (k) => {
    for (const el of document.querySelectorAll('[data-k]')) {
      const on = k !== null && el.dataset.k === String(k)
      el.classList.toggle('hl', on)
      el.classList.toggle('dim', k !== null && !on && el.classList.contains('region'))
    }
  }
  for (const g of figure.querySelectorAll('.region')) {
    g.addEventListener('mouseenter', () => highlight(g.dataset.k))
    g.addEventListener('mouseleave', () => highlight(null))
  }
  const turns = row.conversations.map((t) => h('p', { class: 'turn' }, h('span', { class: 'who' }, t.from), ...linkTokens(t.value, row.regions.length, highlight)))
  const captions = h('ol', { class: 'captions' }, row.regions.map((r) =>
    h('li', { 'data-k': r.k, onmouseenter: () => highlight(r.k), onmouseleave: () => highlight(null) }, h('span', { class: 'cat', style: `color:${colour(r.k)}` }, r.category), ' ', r.caption)))
  const m = info.corpus.manifest
  const provenance = h('dl', { class: 'kv' },
    ...[['corpus', info.corpus.dir], ['format', `${m.format.name} ${JSON.stringify(m.format.options ?? {})}`], ['split', m.split], ['seed', m.seed],
      ...m.inputs.map((i) => [i.role, `${i.path} (sha256 ${i.sha256.slice(0, 12)}…)`]),
      ['templates', m.templates ? `${m.templates.file} (sha256 ${m.templates.sha256.slice(0, 12)}…)` : '—'],
      ['filter policy', JSON.stringify(m.filterPolicy ?? {})], ['pixcap', m.pixcap?.version ?? '']]
      .flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]))
  const nav = h('div', { class: 'toolbar' },
    index > 0 ? h('a', { href: `#/sample/${index - 1}` }, '← previous') : null,
    h('a', { href: '#/samples' }, 'grid'),
    index + 1 < info.corpus.rows ? h('a', { href: `#/sample/${index + 1}` }, 'next →') : null,
    h('span', {}, `${row.id} · image ${row.image ?? '?'} · ${row.width}×${row.height}`))
  show(nav, h('div', { class: 'sample' }, h('div', {}, figure),
    h('div', {}, h('div', { class: 'panel' }, h('h3', {}, 'Conversation'), turns),
      h('div', { class: 'panel' }, h('h3', {}, 'Captions'), captions),
      h('div', { class: 'panel' }, h('h3', {}, 'Provenance (manifest)'), provenance))))
}

/** Splits a turn into text and `region{k} <bbox>` tokens coloured like region k's overlay (gpt4roi.md §2). */
function linkTokens(text, regionCount, highlight) {
  const out = []
  const re = /region(\d+)(\s*<bbox>)?/g
  let at = 0
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const k = Number(m[1])
    if (k < 1 || k > regionCount) continue
    out.push(text.slice(at, m.index))
    out.push(h('span', { class: 'token', 'data-k': k, 'data-testid': `token-${k}`, style: `background:${colour(k)}`,
      onmouseenter: () => highlight(k), onmouseleave: () => highlight(null) }, m[0]))
    at = m.index + m[0].length
  }
  out.push(text.slice(at))
  return out
}

// ---- rejects --------------------------------------------------------------------------------------------------
async function rejectsPage(params) {
  setActiveNav('rejects')
  const reason = params.get('reason') ?? ''
  const offset = Number(params.get('offset') ?? 0)
  const page = await api(`/api/rejects${qs({ reason, offset, limit: PAGE })}`)
  const pills = h('div', { class: 'pills' }, h('a', { href: '#/rejects', class: reason === '' ? 'active' : '' }, 'all'),
    Object.entries(page.byReason).map(([r, n]) => h('a', { href: `#/rejects${qs({ reason: r })}`, class: r === reason ? 'active' : '', 'data-testid': `reason-${r}` }, `${r} (${n})`)))
  const cards = page.rows.map((r) => {
    const figure = r.image
      ? regionFigure({ image: r.image.path, width: r.image.width, height: r.image.height, regions: [], mask: null }, { width: 320, dropped: r.bbox ? [{ bbox: r.bbox }] : [] })
      : h('div', { class: 'detail' }, '(the source annotations are not at hand to draw it)')
    return h('div', { class: 'card', 'data-testid': 'reject-card' }, figure,
      h('div', { class: 'meta' }, h('span', { class: 'reason' }, r.reason), h('span', {}, r.regionId ?? `image ${r.imageId}`)),
      h('div', { class: 'detail' }, r.detail))
  })
  show(h('div', { class: 'toolbar' }, h('span', { 'data-testid': 'count' }, `${page.total} rejects`), pagerBar(page.total, offset, (o) => `#/rejects${qs({ reason, offset: o })}`)), pills, h('div', { class: 'grid' }, cards))
}

// ---- statistics -----------------------------------------------------------------------------------------------
async function statsPage() {
  setActiveNav('stats')
  const s = await api('/api/stats')
  // Every integer between the smallest and largest value gets a bar, so empty bins show as gaps.
  const toBars = (hist) => {
    const keys = Object.keys(hist).map(Number)
    if (keys.length === 0) return []
    const out = []
    for (let k = Math.min(...keys); k <= Math.max(...keys); k++) out.push([k, hist[k] ?? 0])
    return out
  }
  show(h('p', {}, `${s.samples} samples, ${s.regions} regions`), h('div', { class: 'charts' },
    barChart('Words per caption', toBars(s.wordsPerCaption), 'words'),
    barChart('Regions per sample', toBars(s.regionsPerSample), 'regions'),
    barChart('Regions per category (top 30)', s.categories.slice(0, 30).map((c) => [c.category, c.regions]), '')))
}

function barChart(title, bars, unit) {
  const W = 480, H = 240, L = 40, B = bars.some((b) => typeof b[0] === 'string') ? 90 : 30
  const max = Math.max(1, ...bars.map((b) => b[1]))
  const bw = (W - L - 8) / Math.max(1, bars.length)
  const svg = h('svg', { viewBox: `0 0 ${W} ${H}`, 'data-testid': 'histogram' },
    h('line', { class: 'axis', x1: L, y1: H - B, x2: W, y2: H - B }),
    h('text', { x: 4, y: 12 }, max), h('text', { x: 4, y: H - B }, 0))
  bars.forEach(([label, n], i) => {
    const bh = ((H - B - 16) * n) / max
    const x = L + i * bw
    svg.append(h('rect', { class: 'bar', x: x + 1, y: H - B - bh, width: Math.max(1, bw - 2), height: bh }, h('title', {}, `${label} ${unit}: ${n}`)))
    if (bars.length <= 40 || i % Math.ceil(bars.length / 40) === 0) {
      svg.append(h('text', { x: x + bw / 2, y: H - B + 12, transform: typeof label === 'string' ? `rotate(50 ${x + bw / 2} ${H - B + 12})` : null, 'text-anchor': typeof label === 'string' ? 'start' : 'middle' }, label))
    }
  })
  return h('div', { class: 'panel chart' }, h('h3', {}, title), svg)
}

// ---- runs -----------------------------------------------------------------------------------------------------
const fmtMs = (ms) => (ms === null ? '—' : ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 60_000).toFixed(1)} min`)
const fmtNum = (v) => (v === null || v === undefined ? '—' : Math.abs(v) >= 0.01 || v === 0 ? v.toFixed(4) : v.toExponential(2))

async function runsPage() {
  setActiveNav('runs')
  const runs = await api('/api/runs')
  const metricNames = [...new Set(runs.flatMap((r) => Object.keys(r.finalMetrics)))]
  const table = h('table', { 'data-testid': 'runs-table' },
    h('tr', {}, h('th', {}, ''), ['run', 'status', 'recipe', 'corpus', 'start', 'duration', ...metricNames].map((t) => h('th', {}, t))),
    runs.map((r) => h('tr', { 'data-testid': 'run-row' },
      h('td', {}, h('input', { type: 'checkbox', value: r.id, 'data-testid': 'compare-pick' })),
      h('td', {}, h('a', { href: `#/run/${r.id}` }, r.id)),
      h('td', { class: `status-${r.status}` }, r.status), h('td', {}, r.recipe), h('td', {}, r.corpus ?? '—'),
      h('td', {}, r.startedAt ?? '—'), h('td', {}, fmtMs(r.durationMs)),
      metricNames.map((m) => h('td', {}, fmtNum(r.finalMetrics[m]))))))
  const compare = h('button', { class: 'primary', 'data-testid': 'compare', onclick: () => {
    const ids = [...document.querySelectorAll('[data-testid="compare-pick"]:checked')].map((c) => c.value)
    if (ids.length > 0) location.hash = `#/compare${qs({ ids: ids.join(',') })}`
  } }, 'Compare selected')
  show(h('div', { class: 'toolbar' }, h('span', { 'data-testid': 'count' }, `${runs.length} runs`), compare), table)
}

async function runPage(id) {
  setActiveNav('runs')
  const d = await api(`/api/runs/${encodeURIComponent(id)}`)
  const charts = Object.entries(d.series).map(([name, points]) => lineChart(name, [{ id: d.row.id, points }]))
  const row = d.row
  show(h('div', { class: 'toolbar' }, h('a', { href: '#/runs' }, '← runs'), h('strong', {}, row.id),
    h('span', { class: `status-${row.status}`, 'data-testid': 'run-status' }, row.status), h('span', {}, `${row.recipe} · ${fmtMs(row.durationMs)}`),
    h('span', { 'data-testid': 'metric-lines' }, `${d.metricLines} metric points`)),
  h('div', { class: 'charts' }, charts),
  h('div', { class: 'panel' }, h('h3', {}, 'Config'), h('pre', { 'data-testid': 'run-config' }, JSON.stringify(d.record.config, null, 2))),
  h('div', { class: 'panel' }, h('h3', {}, 'stderr (tail)'), h('pre', { 'data-testid': 'run-stderr' }, d.stderr || '(empty)')),
  h('div', { class: 'panel' }, h('h3', {}, 'stdout (tail)'), h('pre', {}, d.stdout || '(empty)')))
}

async function comparePage(params) {
  setActiveNav('runs')
  const ids = (params.get('ids') ?? '').split(',').filter(Boolean)
  const details = await Promise.all(ids.map((id) => api(`/api/runs/${encodeURIComponent(id)}`)))
  const names = [...new Set(details.flatMap((d) => Object.keys(d.series)))]
  const legend = h('div', { class: 'legend' }, details.map((d, i) => h('span', {}, h('i', { style: `background:${colour(i + 1)}` }), d.row.id)))
  show(h('div', { class: 'toolbar' }, h('a', { href: '#/runs' }, '← runs'), h('strong', {}, `Comparing ${ids.length} runs`)), legend,
    h('div', { class: 'charts' }, names.map((n) => lineChart(n, details.map((d) => ({ id: d.row.id, points: d.series[n] ?? [] }))))))
}

/** One metric's curves, one polyline per run, a dot per point (data-points on each curve counts them). */
function lineChart(name, curves) {
  const W = 480, H = 240, L = 56, B = 28, T = 12, R = 10
  const all = curves.flatMap((c) => c.points)
  const xs = all.map((p) => p.step), ys = all.map((p) => p.value)
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)]
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)]
  const sx = (x) => L + ((x - x0) / (x1 - x0 || 1)) * (W - L - R)
  const sy = (y) => H - B - ((y - y0) / (y1 - y0 || 1)) * (H - B - T)
  const svg = h('svg', { viewBox: `0 0 ${W} ${H}`, 'data-testid': 'metric-chart', 'data-metric': name },
    h('line', { class: 'axis', x1: L, y1: H - B, x2: W - R, y2: H - B }), h('line', { class: 'axis', x1: L, y1: T, x2: L, y2: H - B }),
    h('text', { x: 2, y: T + 8 }, fmtNum(y1)), h('text', { x: 2, y: H - B }, fmtNum(y0)),
    h('text', { x: L, y: H - 8 }, `step ${x0}`), h('text', { x: W - R, y: H - 8, 'text-anchor': 'end' }, `step ${x1}`))
  curves.forEach((c, i) => {
    if (c.points.length === 0) return
    const stroke = colour(i + 1)
    svg.append(h('polyline', { class: 'curve', stroke, 'data-run': c.id, 'data-points': c.points.length, points: c.points.map((p) => `${sx(p.step).toFixed(1)},${sy(p.value).toFixed(1)}`).join(' ') }))
    if (c.points.length <= 200) for (const p of c.points) svg.append(h('circle', { cx: sx(p.step), cy: sy(p.value), r: 2, fill: stroke, 'data-run': c.id }, h('title', {}, `step ${p.step}: ${p.value}`)))
  })
  return h('div', { class: 'panel chart' }, h('h3', {}, name), svg)
}

// ---- router ---------------------------------------------------------------------------------------------------
async function route() {
  const [path, query] = location.hash.replace(/^#/, '').split('?')
  const params = new URLSearchParams(query ?? '')
  try {
    const sample = /^\/sample\/(\d+)$/.exec(path)
    const run = /^\/run\/([\w.-]+)$/.exec(path)
    if (sample) await samplePage(Number(sample[1]))
    else if (run) await runPage(run[1])
    else if (path === '/rejects') await rejectsPage(params)
    else if (path === '/stats') await statsPage()
    else if (path === '/runs') await runsPage()
    else if (path === '/compare') await comparePage(params)
    else if (info.corpus) await samplesPage(params)
    else await runsPage()
  } catch (err) {
    show(h('p', { class: 'error', 'data-testid': 'error' }, String(err.message ?? err)))
  }
}

info = await api('/api/info')
document.getElementById('corpus-name').textContent = info.corpus ? `${info.corpus.name} · ${info.corpus.rows} samples` : 'runs only'
window.addEventListener('hashchange', route)
await route()
