import { resolveRunsDir } from '../../runs/store.js'
import { serveView } from '../../view/serve-view.js'
import { intFlag, parseCommandArgs, printJson, type Command } from '../command.js'
import { createProgressBar } from '../progress.js'

const usage = 'pixcap view [<corpus-dir | annotations.json>] [--runs-dir D] [--images-dir D] [--panoptic-dir D] [--port P] [--host H] [--json]'

/** `pixcap view`: a local, read-only web app over a corpus and the run store; runs until interrupted. */
export const viewCommand: Command = {
  name: 'view',
  summary: 'browse a corpus (samples, regions, filters, rejects, statistics) and runs in a local web app',
  usage,
  options: [
    { flag: '--runs-dir D', description: 'run store shown on the runs pages', default: '$PIXCAP_RUNS_DIR or ./runs' },
    { flag: '--images-dir D', description: "images root (photos are served from here only)", default: "the manifest's imagesDir" },
    { flag: '--panoptic-dir D', description: 'panoptic PNG root, for mask outlines', default: "the manifest's panopticDir" },
    { flag: '--port P', description: 'port to listen on', default: '0, a free port' },
    { flag: '--host H', description: 'interface to listen on; another one exposes the corpus to the network', default: '127.0.0.1' },
    { flag: '--json', description: 'print {"ok":true,"url":...} once listening (errors as a JSON object)' },
  ],
  async run(rawArgs, io) {
    const { values, positionals } = parseCommandArgs(this, rawArgs, {
      allowPositionals: true,
      options: {
        'runs-dir': { type: 'string' }, 'images-dir': { type: 'string' }, 'panoptic-dir': { type: 'string' },
        port: { type: 'string' }, host: { type: 'string' }, json: { type: 'boolean' },
      },
    })
    const json = values.json === true
    const progress = createProgressBar(io, json)
    const server = await serveView({
      ...(positionals[0] !== undefined ? { target: positionals[0] } : {}),
      runsDir: resolveRunsDir(values['runs-dir'], io.env, io.cwd),
      ...(values['images-dir'] ? { imagesDir: values['images-dir'] } : {}),
      ...(values['panoptic-dir'] ? { panopticDir: values['panoptic-dir'] } : {}),
      ...(values.host ? { host: values.host } : {}),
      port: intFlag('port', values.port, 0, usage),
      env: io.env,
      onProgress: progress,
    })
    progress.finish()
    try {
      if (json) printJson(io, { ok: true, url: server.url, host: server.host, port: server.port, corpus: server.corpus, runsDir: server.runsDir })
      else {
        const what = server.corpus ? `${server.corpus.rows} samples from ${server.corpus.dir}` : 'runs only'
        io.stdout.write(`pixcap view: ${what}\nlistening on ${server.url} (Ctrl-C stops)\n`)
      }
      await new Promise<void>((done) => {
        if (!io.signal || io.signal.aborted) return done()
        io.signal.addEventListener('abort', () => done(), { once: true })
      })
    } finally {
      await server.close()
    }
    return 0
  },
}
