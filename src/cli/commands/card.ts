import { resolve } from 'node:path'
import { UsageError } from '../../errors.js'
import { writeDatasetCard } from '../../hub/write-card.js'
import { parseCommandArgs, printJson, type Command } from '../command.js'
import { createProgressBar } from '../progress.js'

const usage = 'pixcap card <corpus> [--images-dir D] [--repo namespace/name] [--pretty-name TEXT] [--json]'

/** `pixcap card`: writes the dataset card (README.md with the Hub's YAML, statistics, pictures, provenance). */
export const cardCommand: Command = {
  name: 'card',
  summary: 'write the dataset card README.md (Hub YAML, statistics, pictures, provenance, licences) into a corpus',
  usage,
  options: [
    { flag: '--images-dir D', description: "images root for the example row's picture", default: "the manifest's imagesDir" },
    { flag: '--repo NS/NAME', description: 'repo id shown in the card\'s load_dataset() line', default: 'the corpus folder name' },
    { flag: '--pretty-name TEXT', description: 'pretty_name for a new card (an existing value is kept)', default: '"<sources> <format> (pixcap)"' },
    { flag: '--json', description: 'print the result as JSON (no progress)' },
  ],
  async run(rawArgs, io) {
    const { values, positionals } = parseCommandArgs(this, rawArgs, {
      allowPositionals: true,
      options: { 'images-dir': { type: 'string' }, repo: { type: 'string' }, 'pretty-name': { type: 'string' }, json: { type: 'boolean' } },
    })
    if (positionals.length !== 1) throw new UsageError(`pixcap card: expected one corpus directory, got ${positionals.length}`, usage)
    const progress = createProgressBar(io, values.json === true)
    const result = await writeDatasetCard({
      dir: resolve(io.cwd, positionals[0]!),
      onProgress: progress,
      ...(values['images-dir'] !== undefined ? { imagesDir: resolve(io.cwd, values['images-dir']) } : {}),
      ...(values.repo !== undefined ? { repo: values.repo } : {}),
      ...(values['pretty-name'] !== undefined ? { prettyName: values['pretty-name'] } : {}),
    }).finally(() => progress.finish())
    if (values.json) printJson(io, { ok: true, ...result })
    else {
      io.stdout.write(
        `wrote ${result.card}\n` +
          `  ${result.rows} rows, ${result.regions} regions, ${result.captions} captions in ${result.splits.map((s) => `${s.name} (${s.rows})`).join(', ') || 'no row files (a document format)'}\n` +
          result.pictures.map((p) => `  ${p}\n`).join('') +
          (result.examplePhoto === false ? '  note: the example photo was not found; its boxes are drawn on a blank canvas (pass --images-dir)\n' : ''),
      )
    }
    return 0
  },
}
