import { resolve } from 'node:path'
import { UsageError } from '../../errors.js'
import { mixCorpora, parseMixPart } from '../../dataset/mix-corpora.js'
import { intFlag, parseCommandArgs, printJson, type Command } from '../command.js'
import { createProgressBar } from '../progress.js'

const usage = 'pixcap mix --part DIR:WEIGHT... | --part DIR=COUNT... --out DIR [--total N] [--split NAME] [--seed N] [--overwrite] [--json]'

/** `pixcap mix`: corpora of one format -> one corpus, each part sampled to its share or count (seeded). */
export const mixCommand: Command = {
  name: 'mix',
  summary: 'mix corpora of one format by weights or target counts (seeded up/down-sampling) into one dataset',
  usage,
  options: [
    { flag: '--part DIR:WEIGHT | DIR=COUNT', description: 'a corpus and its weight (share of --total) or its target row count; repeat per part (all weights or all counts)' },
    { flag: '--out DIR', description: 'folder of the mixed corpus (required)' },
    { flag: '--total N', description: 'rows in the mix when parts have weights', default: "the parts' rows summed" },
    { flag: '--split NAME', description: 'split name of the mix', default: 'train' },
    { flag: '--seed N', description: 'seed of the draws (same seed, same bytes)', default: '0' },
    { flag: '--overwrite', description: 'replace a corpus already in --out (removes exactly the files its manifest lists)' },
    { flag: '--json', description: 'print the result (or the error) as JSON on stdout; no progress' },
  ],
  async run(rawArgs, io) {
    const { values } = parseCommandArgs(this, rawArgs, {
      allowPositionals: false,
      options: { part: { type: 'string', multiple: true }, out: { type: 'string' }, total: { type: 'string' }, split: { type: 'string' }, seed: { type: 'string' }, overwrite: { type: 'boolean' }, json: { type: 'boolean' } },
    })
    if (!values.part || values.part.length === 0) throw new UsageError('pixcap mix: expected at least one --part', usage)
    if (values.out === undefined) throw new UsageError('pixcap mix: --out is required', usage)
    const parts = values.part.map((p) => {
      const part = parseMixPart(p)
      return { ...part, dir: resolve(io.cwd, part.dir) }
    })
    const progress = createProgressBar(io, values.json === true)
    const result = await mixCorpora({
      parts,
      outDir: resolve(io.cwd, values.out),
      seed: intFlag('seed', values.seed, 0, usage),
      ...(values.total !== undefined ? { total: intFlag('total', values.total, 0, usage) } : {}),
      ...(values.split !== undefined ? { split: values.split } : {}),
      overwrite: values.overwrite === true,
      onProgress: progress,
    }).finally(() => progress.finish())
    if (values.json) printJson(io, { ok: true, ...result })
    else {
      io.stdout.write(`wrote ${result.manifestPath}\n`)
      for (const p of result.parts) {
        io.stdout.write(`  ${p.path}: ${(p.share * 100).toFixed(1)}% -> ${p.rows.out} rows (${p.rows.in} in, ${p.rows.dropped} down-sampled, ${p.rows.repeated} repeated), ${p.regions.out} regions\n`)
      }
    }
    return 0
  },
}
