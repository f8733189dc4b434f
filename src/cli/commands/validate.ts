import { validateSource, type ValidationReport } from '../../dataset/validate-source.js'
import { UsageError } from '../../errors.js'
import { intFlag, parseCommandArgs, printJson, type Command } from '../command.js'
import { createProgressBar } from '../progress.js'
import { FROM_FLAG, FROM_OPTION, fromOption } from '../source-flag.js'

const usage =
  'pixcap validate <annotations.json> [--from NAME] [--panoptic-dir D] [--images-dir D] [--categories F] [--split S] [--concurrency N] [--max-issues N (50)] [--json]'

/** Renders the human report: one line per problem (file: path: detail), then a summary. */
export function renderValidation(report: ValidationReport, maxIssues: number): string {
  const lines: string[] = []
  const shown = report.issues.slice(0, maxIssues)
  for (const i of shown) lines.push(`${i.severity === 'error' ? 'error' : 'warning'} [${i.kind}] ${i.message}`)
  if (report.issues.length > shown.length) lines.push(`... ${report.issues.length - shown.length} more (--max-issues N or --json shows all)`)
  const c = report.counts
  if (lines.length > 0) lines.push('')
  lines.push(
    `${report.file} (${report.split}): ${c.images} images, ${c.annotations} annotations, ${c.segments} segments, ${c.categories} categories; ` +
      `${c.masksChecked} masks checked${c.imagesChecked > 0 ? `, ${c.imagesChecked} photos checked` : ''}`,
  )
  const kinds = Object.entries(report.issuesByKind).map(([k, n]) => `${k} ${n}`).join(', ')
  lines.push(report.ok ? `ok: no errors${report.warnings > 0 ? `, ${report.warnings} warnings (${kinds})` : ''}` : `FAILED: ${report.errors} errors, ${report.warnings} warnings (${kinds})`)
  return `${lines.join('\n')}\n`
}

/** `pixcap validate`: schema, join, panoptic PNG and photo checks of any registered source's file; exit 1 on any error. */
export const validateCommand: Command = {
  name: 'validate',
  summary: 'check an annotation file against its schema, its panoptic PNGs (Pix2Cap-COCO) and (optionally) its photos',
  usage,
  options: [
    FROM_OPTION,
    { flag: '--panoptic-dir D', description: 'panoptic PNG folder (required by sources with panoptic masks: pix2cap-coco)' },
    { flag: '--images-dir D', description: 'photo folder: each photo must exist with the size images[] gives (llava-instruct: needed, sizes are read there; vcr: its metadata root)', default: 'photos not checked' },
    { flag: '--categories F', description: 'categories JSON replacing the file\'s own' },
    { flag: '--split S', description: 'split name in the report', default: 'from the file name, else train' },
    { flag: '--concurrency N', description: 'PNG decodes in flight', default: '4, or 2 per core on more than 2 cores' },
    { flag: '--max-issues N', description: 'problems printed (--json lists all)', default: '50' },
    { flag: '--json', description: 'print the result (or the error) as JSON on stdout' },
  ],
  async run(rawArgs, io) {
    const { values, positionals } = parseCommandArgs({ name: 'validate', usage }, rawArgs, {
      allowPositionals: true,
      options: {
        ...FROM_FLAG,
        'panoptic-dir': { type: 'string' },
        'images-dir': { type: 'string' },
        categories: { type: 'string' },
        split: { type: 'string' },
        concurrency: { type: 'string' },
        'max-issues': { type: 'string' },
        json: { type: 'boolean' },
      },
    })
    if (positionals.length !== 1) throw new UsageError(`pixcap validate: expected one annotations file, got ${positionals.length}`, usage)
    const maxIssues = intFlag('max-issues', values['max-issues'], 50, usage)
    const bar = createProgressBar(io, values.json === true)
    const report = await validateSource({
      annotations: positionals[0]!,
      ...fromOption(values.from, usage),
      ...(values['panoptic-dir'] !== undefined ? { panopticDir: values['panoptic-dir'] } : {}),
      ...(values['images-dir'] !== undefined ? { imagesDir: values['images-dir'] } : {}),
      ...(values.categories !== undefined ? { categories: values.categories } : {}),
      ...(values.split !== undefined ? { split: values.split } : {}),
      ...(values.concurrency !== undefined ? { concurrency: intFlag('concurrency', values.concurrency, 4, usage) } : {}),
      onProgress: bar,
    })
    bar.finish()
    if (values.json) printJson(io, report)
    else io.stdout.write(renderValidation(report, maxIssues))
    return report.ok ? 0 : 1
  },
}
