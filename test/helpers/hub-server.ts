// A local stand-in for the Hugging Face Hub on 127.0.0.1, speaking the endpoints @huggingface/hub 2.17.5 calls for
// repoExists, createRepo, listFiles, createBranch and commit (src/hub/publish.ts header lists them with the library
// files they come from). It keeps repos, branches, files and an LFS object store in memory, verifies every LFS PUT's
// sha256, answers already-held objects without upload actions (as the Hub does), and can fail or hang chosen requests.
import { createHash } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A request as the server saw it. */
export interface SeenRequest {
  method: string
  path: string
  authorization: string | undefined
  /** The request body as text (LFS PUT bodies are summarised as their sha256). */
  body: string
}

/** A stored file. */
interface StoredFile {
  size: number
  oid: string
  lfsOid?: string
}

/** Injected faults: `fail` answers the next `times` matching requests with `status`; `hang` never answers them. */
export interface Fault {
  match: (r: { method: string; path: string }) => boolean
  status?: number
  times: number
  hang?: boolean
}

const gitOid = (b: Buffer) => createHash('sha1').update(`blob ${b.length}\0`).update(b).digest('hex')
const LFS_SUFFIXES = ['.parquet', '.arrow', '.png', '.jpg']

/** Starts the server; `close()` ends it and every hung request. */
export async function startHubServer(o: { token: string }) {
  const repos = new Map<string, { private: boolean; branches: Map<string, Map<string, StoredFile>> }>()
  const lfs = new Map<string, Buffer>()
  const requests: SeenRequest[] = []
  const faults: Fault[] = []
  const hung: ServerResponse[] = []
  /** Completed LFS PUTs by oid. */
  const lfsPuts = new Map<string, number>()
  let commits = 0

  const json = (res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers })
    res.end(JSON.stringify(value))
  }
  const readBody = (req: IncomingMessage) =>
    new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => resolve(Buffer.concat(chunks)))
      req.on('error', reject)
    })

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const path = decodeURIComponent(url.pathname)
    const method = req.method ?? 'GET'
    const body = await readBody(req)
    requests.push({
      method,
      path: url.pathname + url.search,
      authorization: req.headers.authorization,
      body: path.startsWith('/lfs-upload/') ? `<${body.length} bytes>` : body.toString('utf8'),
    })
    const fault = faults.find((f) => f.times > 0 && f.match({ method, path }))
    if (fault) {
      fault.times--
      if (fault.hang) return void hung.push(res)
      return json(res, fault.status ?? 503, { error: 'injected failure' })
    }
    if (path.startsWith('/lfs-upload/')) {
      const oid = path.slice('/lfs-upload/'.length)
      const actual = createHash('sha256').update(body).digest('hex')
      if (actual !== oid) return json(res, 400, { error: `sha256 mismatch: ${actual}` })
      lfs.set(oid, body)
      lfsPuts.set(oid, (lfsPuts.get(oid) ?? 0) + 1)
      res.writeHead(200)
      return void res.end()
    }
    if (req.headers.authorization !== `Bearer ${o.token}` && !(method === 'GET' && path.startsWith('/api/datasets/'))) {
      return json(res, 401, { error: 'Invalid credentials in Authorization header' })
    }
    let m: RegExpExecArray | null
    if (method === 'POST' && path === '/api/repos/create') {
      const p = JSON.parse(body.toString()) as { name: string; organization: string; type: string; visibility?: string }
      const id = `${p.organization}/${p.name}`
      if (repos.has(id)) return json(res, 409, { error: 'You already created this dataset repo' })
      repos.set(id, { private: p.visibility === 'private', branches: new Map([['main', new Map()]]) })
      return json(res, 200, { url: `http://127.0.0.1:${port}/datasets/${id}`, id })
    }
    if ((m = /^\/api\/datasets\/([^/]+\/[^/]+)$/.exec(path)) && method === 'GET') {
      return repos.has(m[1]!) ? json(res, 200, { id: m[1] }) : json(res, 404, { error: 'Repository not found' })
    }
    if ((m = /^\/api\/datasets\/([^/]+\/[^/]+)\/tree\/([^/]+)$/.exec(path)) && method === 'GET') {
      const repo = repos.get(m[1]!)
      if (!repo) return json(res, 404, { error: 'Repository not found' })
      const files = repo.branches.get(m[2]!)
      if (!files) return json(res, 404, { error: 'Revision Not Found' })
      return json(
        res,
        200,
        [...files].map(([p, f]) => ({ type: 'file', path: p, size: f.size, oid: f.oid, ...(f.lfsOid ? { lfs: { oid: f.lfsOid, size: f.size, pointerSize: 130 } } : {}) })),
      )
    }
    if ((m = /^\/api\/datasets\/([^/]+\/[^/]+)\/branch\/([^/]+)$/.exec(path)) && method === 'POST') {
      const repo = repos.get(m[1]!)
      if (!repo) return json(res, 404, { error: 'Repository not found' })
      repo.branches.set(m[2]!, new Map(repo.branches.get('main')))
      return json(res, 200, {})
    }
    if ((m = /^\/api\/datasets\/([^/]+\/[^/]+)\/preupload\/([^/]+)$/.exec(path)) && method === 'POST') {
      const p = JSON.parse(body.toString()) as { files: { path: string; size: number }[] }
      return json(res, 200, { files: p.files.map((f) => ({ path: f.path, uploadMode: LFS_SUFFIXES.some((s) => f.path.endsWith(s)) || f.size > 10_000_000 ? 'lfs' : 'regular' })) })
    }
    if ((m = /^\/datasets\/([^/]+\/[^/]+)\.git\/info\/lfs\/objects\/batch$/.exec(path)) && method === 'POST') {
      const p = JSON.parse(body.toString()) as { objects: { oid: string; size: number }[] }
      return json(res, 200, {
        transfer: 'basic',
        objects: p.objects.map((obj) =>
          lfs.has(obj.oid) ? { oid: obj.oid, size: obj.size } : { oid: obj.oid, size: obj.size, actions: { upload: { href: `http://127.0.0.1:${port}/lfs-upload/${obj.oid}` } } },
        ),
      })
    }
    if ((m = /^\/api\/datasets\/([^/]+\/[^/]+)\/commit\/([^/]+)$/.exec(path)) && method === 'POST') {
      const repo = repos.get(m[1]!)
      const files = repo?.branches.get(m[2]!)
      if (!files) return json(res, 404, { error: 'Revision Not Found' })
      const lines = body.toString().split('\n').map((l) => JSON.parse(l) as { key: string; value: Record<string, unknown> })
      for (const { key, value } of lines) {
        if (key === 'file') {
          const bytes = Buffer.from(String(value.content), 'base64')
          files.set(String(value.path), { size: bytes.length, oid: gitOid(bytes) })
        } else if (key === 'lfsFile') {
          const bytes = lfs.get(String(value.oid))
          if (!bytes) return json(res, 422, { error: `LFS object ${String(value.oid)} was never uploaded` })
          files.set(String(value.path), { size: bytes.length, oid: gitOid(Buffer.from(`pointer ${String(value.oid)}`)), lfsOid: String(value.oid) })
        }
      }
      commits++
      const oid = createHash('sha1').update(`commit ${commits}`).digest('hex')
      return json(res, 200, { commitOid: oid, commitUrl: `http://127.0.0.1:${port}/datasets/${m[1]}/commit/${oid}` })
    }
    json(res, 404, { error: `no route ${method} ${path}` })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    faults,
    lfsPuts,
    repos,
    /** Requests answered with hang so far. */
    hungCount: () => hung.length,
    commitCount: () => commits,
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of hung) r.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
