// The HTTP side of `pixcap view`: read-only routes over one corpus and one runs folder. Every file served is either
// one of the app's own three files (a fixed table, never a path from the URL) or resolved inside the images root,
// the panoptic root or the runs folder with resolveInside (src/io/input/safe-path.ts), which refuses absolute paths, `..`
// escapes and NUL bytes; a refused path answers 403. Only GET and HEAD exist: anything else answers 405.
import { readFile } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ZodError } from 'zod'
import { PREVIEW_PALETTE } from '../io/png/preview-svg.js'
import { PixcapError } from '../errors.js'
import { createImageResizer, type ImageResizer } from '../io/png/image-resizer.js'
import { resolveInside } from '../io/input/safe-path.js'
import type { CorpusView } from './corpus-view.js'
import { runDetail, runsTable } from './runs-view.js'
import { parseSampleFilter } from './sample-filter.js'
import type { ViewRow } from './view-row.js'

/** The web app's files at the package root (same relative path from src/ and dist/). */
const VIEW_WEB_DIR = resolve(fileURLToPath(new URL('../../web/view', import.meta.url)))

const APP_FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
}

/** What the handler serves. */
export interface ViewServerOptions {
  corpus: CorpusView | null
  runsDir: string | null
  /** Environment whose secrets are redacted from log tails. */
  env: Record<string, string | undefined>
  resizer?: ImageResizer
}

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message)
  }
}

const intParam = (params: URLSearchParams, key: string, fallback: number): number => {
  const raw = params.get(key)
  if (raw === null || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 0) throw new HttpError(400, `${key} must be a non-negative integer, got ${JSON.stringify(raw)}`)
  return n
}

/** A request handler for node:http. */
export function createViewHandler(o: ViewServerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const resizer = o.resizer ?? createImageResizer()
  const { corpus } = o
  const needCorpus = (): CorpusView => {
    if (!corpus) throw new HttpError(404, 'no corpus is being viewed (pixcap view <corpus>)')
    return corpus
  }
  const withMask = (row: ViewRow) => ({ ...row, mask: corpus?.panopticDir ? corpus.maskPathOf(row) : null })

  const route = async (url: URL, res: ServerResponse, head: boolean): Promise<void> => {
    const path = url.pathname
    const p = url.searchParams
    const app = APP_FILES[path]
    if (app) return send(res, 200, app.type, await readFile(join(VIEW_WEB_DIR, app.file)), head, 'no-cache')
    if (path === '/favicon.ico') return send(res, 204, 'image/x-icon', '', head)
    if (path === '/api/info') {
      return sendJson(res, { corpus: corpus?.info ?? null, runs: o.runsDir !== null, palette: PREVIEW_PALETTE }, head)
    }
    if (path === '/api/samples') {
      const page = await needCorpus().page(parseSampleFilter(p), intParam(p, 'offset', 0), intParam(p, 'limit', 24))
      return sendJson(res, { ...page, rows: page.rows.map(withMask) }, head)
    }
    const sample = /^\/api\/samples\/(\d+)$/.exec(path)
    if (sample) return sendJson(res, withMask(await needCorpus().sample(Number(sample[1]))), head)
    if (path === '/api/stats') return sendJson(res, await needCorpus().stats(), head)
    if (path === '/api/rejects') {
      return sendJson(res, await needCorpus().rejects(p.get('reason') || null, intParam(p, 'offset', 0), intParam(p, 'limit', 24)), head)
    }
    if (path === '/api/runs') return sendJson(res, o.runsDir ? await runsTable(o.runsDir) : [], head)
    const run = /^\/api\/runs\/([\w.-]+)$/.exec(path)
    if (run) {
      if (!o.runsDir) throw new HttpError(404, 'no runs folder')
      return sendJson(res, await runDetail(o.runsDir, run[1] as string, o.env), head)
    }
    if (path.startsWith('/img/')) {
      const root = needCorpus().imagesDir
      if (!root) throw new HttpError(404, 'the corpus has no images root (pass --images-dir)')
      const file = resolveInside(root, decodeURIComponent(path.slice('/img/'.length)), { file: 'URL', path: ['img'] })
      const img = await resizer.photo(file, intParam(p, 'w', 320))
      return send(res, 200, img.contentType, img.bytes, head, 'max-age=3600')
    }
    if (path.startsWith('/mask/')) {
      const root = needCorpus().panopticDir
      if (!root) throw new HttpError(404, 'the corpus has no panoptic root (pass --panoptic-dir)')
      const file = resolveInside(root, decodeURIComponent(path.slice('/mask/'.length)), { file: 'URL', path: ['mask'] })
      const segs = (p.get('segs') ?? '').split(',').filter((s) => s !== '').map(Number)
      if (segs.some((s) => !Number.isInteger(s) || s < 0)) throw new HttpError(400, 'segs must be comma-separated segment ids')
      const img = await resizer.outline(file, segs, intParam(p, 'w', 320), intParam(p, 'h', 240))
      return send(res, 200, img.contentType, img.bytes, head, 'max-age=3600')
    }
    throw new HttpError(404, `no such page: ${path}`)
  }

  return (req, res) => {
    const method = req.method ?? 'GET'
    if (method !== 'GET' && method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD')
      sendJson(res, { ok: false, error: `${method} is not allowed: pixcap view is read-only` }, false, 405)
      return
    }
    let url: URL
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1')
    } catch {
      sendJson(res, { ok: false, error: 'bad URL' }, false, 400)
      return
    }
    route(url, res, method === 'HEAD').catch((err: unknown) => {
      const status = statusOf(err)
      if (!res.headersSent) sendJson(res, { ok: false, error: err instanceof PixcapError ? err.toJSON() : String((err as Error)?.message ?? err) }, method === 'HEAD', status)
      else res.destroy()
    })
  }
}

function statusOf(err: unknown): number {
  if (err instanceof HttpError) return err.status
  if (err instanceof URIError || err instanceof ZodError) return 400
  if (err instanceof PixcapError) return err.code === 'path_escape' ? 403 : err.code === 'not_found' ? 404 : 500
  const code = (err as NodeJS.ErrnoException)?.code
  return code === 'ENOENT' || code === 'ENOTDIR' ? 404 : 500
}

function send(res: ServerResponse, status: number, type: string, body: Buffer | string, head: boolean, cache = 'no-store'): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': cache, 'X-Content-Type-Options': 'nosniff' })
  res.end(head ? undefined : body)
}

function sendJson(res: ServerResponse, value: unknown, head: boolean, status = 200): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value), head)
}
