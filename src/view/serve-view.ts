// `pixcap view`: serves the corpus browser and runs dashboard on 127.0.0.1 (a random free port unless one is given)
// until the signal aborts. Given a Pix2Cap annotations JSON instead of a corpus, it first converts it with the
// default gpt4roi settings into a temporary corpus (removed on close), so the same app shows its samples and rejects.
import { existsSync, statSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { ProgressSink } from '../util/progress.js'
import { convertDataset } from '../convert/convert-dataset.js'
import { PixcapError } from '../errors.js'
import { openCorpusView, type CorpusView } from './corpus-view.js'
import { createViewHandler } from './view-server.js'

/** The interface a viewer listens on unless told otherwise: never other machines. */
export const VIEW_DEFAULT_HOST = '127.0.0.1'

/** Options of serveView. */
export interface ServeViewOptions {
  /** A corpus directory (manifest.json + data/*.parquet) or a Pix2Cap annotations JSON; absent: runs only. */
  target?: string
  runsDir?: string
  imagesDir?: string
  panopticDir?: string
  host?: string
  /** 0 (default): a free port the system picks. */
  port?: number
  /** Secrets in it are redacted from run logs. */
  env?: Record<string, string | undefined>
  onProgress?: ProgressSink
}

/** A running viewer. */
export interface ViewServer {
  url: string
  host: string
  port: number
  corpus: { dir: string; rows: number; rowGroups: number; converted: boolean } | null
  runsDir: string | null
  close(): Promise<void>
}

/** Opens the corpus (converting annotations first), listens, and returns the address. */
export async function serveView(o: ServeViewOptions): Promise<ViewServer> {
  let tempDir: string | null = null
  let corpus: CorpusView | null = null
  const cleanup = async () => {
    await corpus?.close()
    if (tempDir) await rm(tempDir, { recursive: true, force: true })
  }
  try {
    if (o.target !== undefined) {
      const target = resolve(o.target)
      if (!existsSync(target)) throw new PixcapError('not_found', target, [], 'no such corpus directory or annotations file')
      let dir = target
      if (statSync(target).isFile()) {
        tempDir = await mkdtemp(join(tmpdir(), 'pixcap-view-'))
        dir = join(tempDir, 'corpus')
        await convertDataset({
          annotations: target,
          to: 'gpt4roi',
          outDir: dir,
          formats: ['parquet'],
          ...(o.imagesDir ? { imagesDir: resolve(o.imagesDir) } : {}),
          ...(o.panopticDir ? { panopticDir: resolve(o.panopticDir) } : {}),
        }, (e) => {
          if (e.kind === 'progress') o.onProgress?.({ kind: 'progress', stage: 'images converted', done: e.done, ...(e.total !== undefined ? { total: e.total } : {}) })
        })
      }
      corpus = await openCorpusView({ dir, ...(o.imagesDir ? { imagesDir: o.imagesDir } : {}), ...(o.panopticDir ? { panopticDir: o.panopticDir } : {}) })
    }
    const runsDir = o.runsDir ? resolve(o.runsDir) : null
    const server = createServer(createViewHandler({ corpus, runsDir, env: o.env ?? {} }))
    const host = o.host ?? VIEW_DEFAULT_HOST
    await listen(server, host, o.port ?? 0)
    const address = server.address()
    const port = typeof address === 'object' && address ? address.port : (o.port ?? 0)
    const urlHost = host.includes(':') ? `[${host}]` : host
    return {
      url: `http://${urlHost}:${port}/`,
      host,
      port,
      corpus: corpus ? { dir: corpus.info.dir, rows: corpus.info.rows, rowGroups: corpus.info.rowGroups, converted: tempDir !== null } : null,
      runsDir,
      async close() {
        await new Promise<void>((done) => {
          server.close(() => done())
          server.closeAllConnections()
        })
        await cleanup()
      },
    }
  } catch (err) {
    await cleanup()
    throw err
  }
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((done, fail) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      fail(new PixcapError('io', `${host}:${port}`, [], `cannot listen: ${err.code === 'EADDRINUSE' ? 'the port is in use; leave --port out for a free one' : err.message}`, { cause: err })),
    )
    server.listen(port, host, () => done())
  })
}
