import { resolve } from 'node:path'
import { UsageError } from '../../errors.js'
import { parseSplitRatios, splitCorpus } from '../../dataset/split-corpus.js'
import { intFlag, parseCommandArgs, printJson, type Command } from '../command.js'
import { createProgressBar } from '../progress.js'

const usage = 'pixcap split <corpus> --out DIR [--ratios train=0.9,validation=0.05,test=0.05] [--seed N] [--overwrite] [--json]'

/** `pixcap split`: one corpus -> named splits by image (seeded), as one corpus with a file set per split. */
export const splitCommand: Command = {
  name: 'split',
  summary: "split a corpus by image into train/validation/test (seeded; an image's regions never in two splits)",
  usage,
  options: [
    { flag: '--out DIR', description: 'folder of the split corpus (required)' },
    { flag: '--ratios LIST', description: 'split=ratio pairs summing to 1; Hub split names (train, validation, test, or ^\\w+(\\.\\w+)*$)', default: 'train=0.9,validation=0.05,test=0.05' },
    { flag: '--seed N', description: 'seed of the image shuffle (same seed, same bytes)', default: '0' },
    { flag: '--overwrite', description: 'replace a corpus already in --out (removes exactly the files its manifest lists)' },
    { flag: '--json', description: 'print the result (or the error) as JSON on stdout; no progress' },
  ],
  async run(rawArgs, io) {
    const { values, positionals } = parseCommandArgs(this, rawArgs, {
      allowPositionals: true,
      options: { out: { type: 'string' }, ratios: { type: 'string' }, seed: { type: 'string' }, overwrite: { type: 'boolean' }, json: { type: 'boolean' } },
    })
    if (positionals.length !== 1) throw new UsageError(`pixcap split: expected one corpus directory, got ${positionals.length}`, usage)
    if (values.out === undefined) throw new UsageError('pixcap split: --out is required', usage)
    const progress = createProgressBar(io, values.json === true)
    const result = await splitCorpus({
      dir: resolve(io.cwd, positionals[0]!),
      outDir: resolve(io.cwd, values.out),
      ratios: parseSplitRatios(values.ratios ?? 'train=0.9,validation=0.05,test=0.05'),
      seed: intFlag('seed', values.seed, 0, usage),
      overwrite: values.overwrite === true,
      onProgress: progress,
    }).finally(() => progress.finish())
    if (values.json) printJson(io, { ok: true, ...result })
    else {
      io.stdout.write(`wrote ${result.manifestPath}\n`)
      for (const s of result.splits) io.stdout.write(`  ${s.name.padEnd(12)} ${s.images} images, ${s.rows} rows, ${s.regions} regions\n`)
    }
    return 0
  },
}
