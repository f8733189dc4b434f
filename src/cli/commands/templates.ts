import { UsageError } from '../../errors.js'
import { exportGpt4RoiTemplates } from '../../instruct/import-gpt4roi-templates.js'
import { loadTemplates } from '../../instruct/load-templates.js'
import { parseCommandArgs, printJson, type Command } from '../command.js'

const importUsage = 'pixcap templates import-gpt4roi <gpt4roi-checkout> --out FILE.json [--single vg|refcoco] [--json]'
const checkUsage = 'pixcap templates check [FILE] [--json]'

/** `pixcap templates import-gpt4roi`: GPT4RoI's own question lists from a local checkout -> a pixcap template file. */
export const templatesImportCommand: Command = {
  name: 'templates import-gpt4roi',
  summary: "write a template file from GPT4RoI's own question lists in a local checkout (read, never executed)",
  usage: importUsage,
  options: [
    { flag: '--out FILE.json', description: 'template file to write (required)' },
    { flag: '--single vg|refcoco', description: 'which of GPT4RoI\'s single-region question lists to use', default: 'vg' },
    { flag: '--json', description: 'print the result (or the error) as JSON on stdout' },
  ],
  async run(rawArgs, io) {
    const { values, positionals } = parseCommandArgs({ name: 'templates import-gpt4roi', usage: importUsage }, rawArgs, {
      allowPositionals: true,
      options: { out: { type: 'string' }, single: { type: 'string' }, json: { type: 'boolean' } },
    })
    if (positionals.length !== 1) throw new UsageError(`pixcap templates import-gpt4roi: expected one checkout directory, got ${positionals.length}`, importUsage)
    if (values.out === undefined) throw new UsageError('pixcap templates import-gpt4roi: --out FILE.json is required', importUsage)
    const single = values.single ?? 'vg'
    if (single !== 'vg' && single !== 'refcoco') throw new UsageError(`--single expects vg or refcoco, got "${single}"`, importUsage)
    const result = await exportGpt4RoiTemplates({ checkout: positionals[0]!, out: values.out, single })
    if (values.json) printJson(io, result)
    else {
      const c = result.counts
      io.stdout.write(
        `${result.file}: ${c.single_region} single-region, ${c.multi_region} multi-region, ${c.dense} dense, ${c.referring} referring templates\n` +
          `sha256 ${result.sha256}\n` +
          result.sources.map((s) => `  ${s.missing ? 'missing' : `${s.count} from`} ${s.file} ${s.variable}\n`).join(''),
      )
    }
    return 0
  },
}

/** `pixcap templates check`: validates a template file (default: the bundled one) and prints its sha256. */
export const templatesCheckCommand: Command = {
  name: 'templates check',
  summary: 'validate a template file and print its sha256 and counts',
  usage: checkUsage,
  options: [
    { flag: 'FILE', description: 'template file', default: 'templates/pixcap-default.json' },
    { flag: '--json', description: 'print the result (or the error) as JSON on stdout' },
  ],
  async run(rawArgs, io) {
    const { values, positionals } = parseCommandArgs({ name: 'templates check', usage: checkUsage }, rawArgs, {
      allowPositionals: true,
      options: { json: { type: 'boolean' } },
    })
    if (positionals.length > 1) throw new UsageError(`pixcap templates check: expected at most one file, got ${positionals.length}`, checkUsage)
    const loaded = await loadTemplates(...(positionals[0] !== undefined ? [positionals[0]] : []))
    const t = loaded.templates
    const counts = { single_region: t.single_region.length, multi_region: t.multi_region.length, dense: t.dense.length, referring: t.referring.length }
    if (values.json) printJson(io, { file: loaded.file, name: t.name, sha256: loaded.sha256, counts })
    else io.stdout.write(`${loaded.file} (${t.name}): ok; ${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ')}\nsha256 ${loaded.sha256}\n`)
    return 0
  },
}
