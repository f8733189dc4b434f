import { resolve } from 'node:path'
import { mergeManifests } from '../../convert/merge-manifests.js'
import { UsageError } from '../../errors.js'
import { parseCommandArgs, printJson, type Command } from '../command.js'

const usage = 'pixcap merge-manifests <job-dir>... --out DIR [--json]'

/** `pixcap merge-manifests`: joins the corpora of `convert --shard-index i --num-shards n` jobs. */
export const mergeManifestsCommand: Command = {
  name: 'merge-manifests',
  summary: 'join the outputs of convert --shard-index/--num-shards jobs into one corpus',
  usage,
  options: [
    { flag: '--out DIR', description: 'folder of the joined corpus (required)' },
    { flag: '--json', description: 'print the result (or the error) as JSON on stdout' },
  ],
  async run(rawArgs, io) {
    const { values, positionals } = parseCommandArgs({ name: 'merge-manifests', usage }, rawArgs, {
      allowPositionals: true,
      options: { out: { type: 'string' }, json: { type: 'boolean' } },
    })
    if (positionals.length === 0) throw new UsageError('pixcap merge-manifests: expected the job directories', usage)
    if (values.out === undefined) throw new UsageError('pixcap merge-manifests: --out is required', usage)
    const { manifestPath, manifest } = await mergeManifests({ dirs: positionals.map((d) => resolve(io.cwd, d)), outDir: resolve(io.cwd, values.out) })
    if (values.json) printJson(io, { ok: true, manifestPath, manifest })
    else {
      const c = manifest.counts
      io.stdout.write(
        `merged ${manifest.mergedFrom?.length ?? 0} jobs into ${manifestPath}\n` +
          `images ${c.images.in}, regions ${c.regions.in} in / ${c.regions.inSamples} in samples / ${c.regions.rejected} rejected, samples ${c.samples}, files ${manifest.files.length}\n`,
      )
    }
    return 0
  },
}
