import { resolve } from 'node:path'
import { UsageError } from '../../errors.js'
import { findContamination } from '../../dataset/contamination.js'
import { DEFAULT_PHASH_RADIUS } from '../../dataset/dedup-corpus.js'
import { parseEvaluationSetSpec } from '../../dataset/evaluation-sets.js'
import { intFlag, parseCommandArgs, printJson, type Command } from '../command.js'
import { createProgressBar } from '../progress.js'

const usage = 'pixcap contamination <corpus> --against [NAME=]PATH[@IMAGES]... [--images-dir DIR] [--report DIR] [--write-filtered DIR] [--radius R] [--json]'

/** `pixcap contamination`: training images that are evaluation images (COCO id, file hash, pHash), with a report. */
export const contaminationCommand: Command = {
  name: 'contamination',
  summary: 'find evaluation images in a corpus (COCO id, sha256, pHash), report them with a contact sheet, optionally filter',
  usage,
  options: [
    { flag: '--against [NAME=]PATH[@IMAGES]', description: 'an evaluation set: a COCO-style JSON (COCO val2017, mdetr final_refcoco*_val/test, VG test.json) with its images folder after @, or a folder of images (ViP-Bench); repeat per set' },
    { flag: '--images-dir DIR', description: "folder the corpus rows' image paths are relative to (needed for sha256 and pHash)" },
    { flag: '--report DIR', description: 'where contamination.json and contamination.png go', default: 'contamination-report' },
    { flag: '--write-filtered DIR', description: 'also write the corpus without the contaminated images here' },
    { flag: '--radius R', description: 'pHash Hamming radius (of 64 bits)', default: String(DEFAULT_PHASH_RADIUS) },
    { flag: '--sheet-pairs N', description: 'pairs drawn on the contact sheet', default: '48' },
    { flag: '--concurrency N', description: 'images decoded at once', default: '8' },
    { flag: '--overwrite', description: 'replace a corpus already in --write-filtered' },
    { flag: '--json', description: 'print the result (or the error) as JSON on stdout; no progress' },
  ],
  async run(rawArgs, io) {
    const { values, positionals } = parseCommandArgs(this, rawArgs, {
      allowPositionals: true,
      options: {
        against: { type: 'string', multiple: true }, 'images-dir': { type: 'string' }, report: { type: 'string' }, 'write-filtered': { type: 'string' },
        radius: { type: 'string' }, 'sheet-pairs': { type: 'string' }, concurrency: { type: 'string' }, overwrite: { type: 'boolean' }, json: { type: 'boolean' },
      },
    })
    if (positionals.length !== 1) throw new UsageError(`pixcap contamination: expected one corpus directory, got ${positionals.length}`, usage)
    if (!values.against || values.against.length === 0) throw new UsageError('pixcap contamination: expected at least one --against', usage)
    const against = values.against.map((a) => {
      const spec = parseEvaluationSetSpec(a)
      return { ...spec, path: resolve(io.cwd, spec.path), ...(spec.imagesDir ? { imagesDir: resolve(io.cwd, spec.imagesDir) } : {}) }
    })
    const progress = createProgressBar(io, values.json === true)
    const result = await findContamination({
      dir: resolve(io.cwd, positionals[0]!),
      against,
      ...(values['images-dir'] !== undefined ? { imagesDir: resolve(io.cwd, values['images-dir']) } : {}),
      reportDir: resolve(io.cwd, values.report ?? 'contamination-report'),
      ...(values['write-filtered'] !== undefined ? { writeFiltered: resolve(io.cwd, values['write-filtered']) } : {}),
      radius: intFlag('radius', values.radius, DEFAULT_PHASH_RADIUS, usage),
      sheetPairs: intFlag('sheet-pairs', values['sheet-pairs'], 48, usage),
      concurrency: intFlag('concurrency', values.concurrency, 8, usage),
      overwrite: values.overwrite === true,
      onProgress: progress,
    }).finally(() => progress.finish())
    if (values.json) printJson(io, { ok: true, ...result, filtered: result.filtered ? { manifestPath: result.filtered.manifestPath, counts: result.filtered.manifest.counts } : null })
    else {
      const c = result.corpus
      io.stdout.write(`${c.contaminatedImages} of ${c.images} corpus images (${c.contaminatedRegions} regions) are in an evaluation set\n`)
      for (const s of result.sets) {
        io.stdout.write(`  ${s.name.padEnd(20)} ${String(s.contaminated.images).padStart(6)} images  (coco_id ${s.contaminated.coco_id}, sha256 ${s.contaminated.sha256}, phash ${s.contaminated.phash}; ${s.images} evaluation images; by ${s.methods.join(', ')})\n`)
      }
      io.stdout.write(`report ${result.reportPath}\n`)
      if (result.sheetPath) io.stdout.write(`contact sheet ${result.sheetPath}\n`)
      if (result.filtered) io.stdout.write(`filtered corpus ${result.filtered.manifestPath} (${result.filtered.manifest.counts.regions.inSamples} regions kept, ${result.filtered.manifest.counts.regions.rejected} rejected)\n`)
    }
    return 0
  },
}
