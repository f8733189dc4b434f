import { resolve } from 'node:path'
import { runDemo } from '../../convert/demo.js'
import { parseCommandArgs, printJson, type Command } from '../command.js'
import { createProgressBar } from '../progress.js'
import { renderConvertSummary } from './convert.js'

const usage = 'pixcap demo [--out DIR (out/demo)] [--json]'

/** `pixcap demo`: the bundled sample -> gpt4roi Parquet + Arrow + JSONL, with a short summary. */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'convert the bundled sample to a gpt4roi corpus (Parquet, Arrow, JSONL) in out/demo',
  usage,
  options: [
    { flag: '--out DIR', description: 'output folder (replaced on each run)', default: 'out/demo' },
    { flag: '--json', description: 'print the result (or the error) as JSON on stdout' },
  ],
  async run(rawArgs, io) {
    const { values } = parseCommandArgs({ name: 'demo', usage }, rawArgs, { options: { out: { type: 'string' }, json: { type: 'boolean' } } })
    const bar = createProgressBar(io, values.json === true)
    const result = await runDemo({ outDir: resolve(io.cwd, values.out ?? 'out/demo') }, (e) => {
      if (e.kind === 'progress') bar(e)
    }).finally(() => bar.finish())
    if (values.json) printJson(io, { ok: true, outDir: result.outDir, manifest: result.manifest })
    else io.stdout.write(renderConvertSummary(result))
    return 0
  },
}
