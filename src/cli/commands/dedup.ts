import { resolve } from 'node:path'
import { UsageError } from '../../errors.js'
import { dedupCorpus, DEFAULT_PHASH_RADIUS } from '../../dataset/dedup-corpus.js'
import { DEFAULT_CAPTION_SIMILARITY } from '../../dataset/caption-similarity.js'
import { intFlag, numberFlag, parseCommandArgs, printJson, type Command } from '../command.js'
import { createProgressBar } from '../progress.js'

const usage = 'pixcap dedup <corpus> --out DIR --images-dir DIR [--radius R] [--caption-similarity S] [--no-images] [--no-captions] [--overwrite] [--json]'

/** `pixcap dedup`: identical/near-identical images and captions removed, each reject naming what it duplicates. */
export const dedupCommand: Command = {
  name: 'dedup',
  summary: 'remove identical and near-identical images (sha256, pHash radius) and duplicate captions of one region',
  usage,
  options: [
    { flag: '--out DIR', description: 'folder of the deduplicated corpus (required)' },
    { flag: '--images-dir DIR', description: "folder the rows' image paths are relative to (needed unless --no-images)" },
    { flag: '--radius R', description: 'pHash Hamming radius (of 64 bits) for near-identical images', default: String(DEFAULT_PHASH_RADIUS) },
    { flag: '--caption-similarity S', description: 'normalised Levenshtein similarity at which two captions of one box are near-identical', default: String(DEFAULT_CAPTION_SIMILARITY) },
    { flag: '--no-images', description: 'skip image dedup' },
    { flag: '--no-captions', description: 'skip caption dedup' },
    { flag: '--concurrency N', description: 'images decoded at once', default: '8' },
    { flag: '--overwrite', description: 'replace a corpus already in --out (removes exactly the files its manifest lists)' },
    { flag: '--json', description: 'print the result (or the error) as JSON on stdout; no progress' },
  ],
  async run(rawArgs, io) {
    const { values, positionals } = parseCommandArgs(this, rawArgs, {
      allowPositionals: true,
      options: {
        out: { type: 'string' }, 'images-dir': { type: 'string' }, radius: { type: 'string' }, 'caption-similarity': { type: 'string' },
        'no-images': { type: 'boolean' }, 'no-captions': { type: 'boolean' }, concurrency: { type: 'string' }, overwrite: { type: 'boolean' }, json: { type: 'boolean' },
      },
    })
    if (positionals.length !== 1) throw new UsageError(`pixcap dedup: expected one corpus directory, got ${positionals.length}`, usage)
    if (values.out === undefined) throw new UsageError('pixcap dedup: --out is required', usage)
    const progress = createProgressBar(io, values.json === true)
    const result = await dedupCorpus({
      dir: resolve(io.cwd, positionals[0]!),
      outDir: resolve(io.cwd, values.out),
      ...(values['images-dir'] !== undefined ? { imagesDir: resolve(io.cwd, values['images-dir']) } : {}),
      images: values['no-images'] !== true,
      captions: values['no-captions'] !== true,
      radius: intFlag('radius', values.radius, DEFAULT_PHASH_RADIUS, usage),
      captionSimilarity: numberFlag('caption-similarity', values['caption-similarity'], DEFAULT_CAPTION_SIMILARITY, usage),
      concurrency: intFlag('concurrency', values.concurrency, 8, usage),
      overwrite: values.overwrite === true,
      onProgress: progress,
    }).finally(() => progress.finish())
    if (values.json) printJson(io, { ok: true, ...result })
    else {
      const c = result.manifest.counts
      io.stdout.write(
        `wrote ${result.manifestPath}\n` +
          `  images   ${result.images.in} in, ${result.images.identical} identical, ${result.images.near} near-identical, ${result.images.kept} kept\n` +
          `  captions ${result.captions.identical} identical, ${result.captions.near} near-identical removed\n` +
          `  regions  ${c.regions.in} in = ${c.regions.inSamples} kept + ${c.regions.rejected} rejected (rejects.jsonl names what each duplicates)\n`,
      )
    }
    return 0
  },
}
