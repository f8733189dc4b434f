// Imports GPT4RoI's own question lists from a user's GPT4RoI (or Pix2Cap third_party/gpt4roi) checkout at run time,
// so a corpus can use the upstream templates exactly without pixcap shipping them (reference/gpt4roi.md §6).
// The Python sources are read as text and parsed as literals (python-string-list.ts); nothing is executed.
// Upstream's slot `<spi_descript>` becomes our `<region>`; ids are `gpt4roi/<file>/<index>`, stable as long as the
// upstream list is (the manifest records the template file's sha256 either way).
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PixcapError } from '../errors.js'
import { writeFileAtomic } from '../util/atomic-write.js'
import { sha256 } from '../util/sha256.js'
import { loadTemplates } from './load-templates.js'
import { readPythonStringList } from './python-string-list.js'
import { parseTemplateSet, REGION_SLOT, type Template, type TemplateKind, type TemplateSet } from './template-set.js'

/** GPT4RoI's slot for a region mention (gpt4roi.md §6). */
export const GPT4ROI_SLOT = '<spi_descript>'

/** Where each upstream list lives in a GPT4RoI checkout, and which of our kinds it fills (gpt4roi.md §6). */
export const GPT4ROI_TEMPLATE_SOURCES = [
  { key: 'vg', file: 'gpt4roi/datasets/vg.py', variable: 'FINAL_QUESTIONS', kind: 'single_region' },
  { key: 'refcoco', file: 'gpt4roi/datasets/refcoco.py', variable: 'REFG_QUESTIONS', kind: 'single_region' },
  { key: 'flickr30k', file: 'gpt4roi/datasets/flickr30k.py', variable: 'FINAL_QUESTIONS', kind: 'multi_region' },
] as const satisfies readonly { key: string; file: string; variable: string; kind: TemplateKind }[]

/** Options of importGpt4RoiTemplates. */
export interface ImportGpt4RoiOptions {
  /** Root of the GPT4RoI checkout (the folder that contains `gpt4roi/datasets/`). */
  checkout: string
  /** Which single-region list to use: vg.py's FINAL_QUESTIONS (VGDATA, DENSECOCO; default) or refcoco.py's REFG_QUESTIONS. */
  single?: 'vg' | 'refcoco'
  /** Kinds GPT4RoI has no list for (dense, referring) are taken from this set, e.g. the bundled defaults. */
  fallback?: TemplateSet
}

/** The imported set and what was read. */
export interface ImportedTemplates {
  templates: TemplateSet
  /** Per upstream list read: its file, sha256 and count; missing optional files are listed with `missing: true`. */
  sources: { key: string; file: string; variable: string; sha256?: string; count?: number; missing?: boolean }[]
  /** True when refcoco.py's REFG_QUESTIONS equals vg.py's FINAL_QUESTIONS (gpt4roi.md §6 says they are the same list). */
  refgEqualsVg?: boolean
}

/** Converts one upstream list to our templates: `<spi_descript>` -> `<region>`, ids `gpt4roi/<key>/<nn>`. */
export function convertGpt4RoiList(questions: readonly string[], key: string, file: string, variable: string): Template[] {
  return questions.map((q, i) => {
    const n = q.split(GPT4ROI_SLOT).length - 1
    if (n !== 1) throw new PixcapError('schema', file, [variable, i], `expected exactly one "${GPT4ROI_SLOT}" slot, found ${n} in ${JSON.stringify(q)}`)
    return { id: `gpt4roi/${key}/${String(i).padStart(2, '0')}`, text: q.split(GPT4ROI_SLOT).join(REGION_SLOT) }
  })
}

/** Reads GPT4RoI's template lists from a checkout and returns them as a validated template set. */
export async function importGpt4RoiTemplates(options: ImportGpt4RoiOptions): Promise<ImportedTemplates> {
  const single = options.single ?? 'vg'
  const lists = new Map<string, Template[]>()
  const sources: ImportedTemplates['sources'] = []
  const raw = new Map<string, string[]>()
  for (const src of GPT4ROI_TEMPLATE_SOURCES) {
    const path = join(options.checkout, src.file)
    let text: string
    try {
      text = await readFile(path, 'utf8')
    } catch (err) {
      // The chosen single-region list is required; the others are optional.
      if (src.key === single) throw new PixcapError('not_found', path, [], `cannot read ${src.variable}: ${(err as Error).message}; is ${options.checkout} a GPT4RoI checkout?`, { cause: err })
      sources.push({ key: src.key, file: path, variable: src.variable, missing: true })
      continue
    }
    const questions = readPythonStringList(text, src.variable, path)
    raw.set(src.key, questions)
    lists.set(src.key, convertGpt4RoiList(questions, src.key, path, src.variable))
    sources.push({ key: src.key, file: path, variable: src.variable, sha256: sha256(text), count: questions.length })
  }
  const vg = raw.get('vg')
  const refg = raw.get('refcoco')
  const doc = {
    name: `gpt4roi-upstream-${single}`,
    version: 1,
    description: `GPT4RoI question lists read from ${options.checkout} (${sources
      .filter((s) => s.missing !== true)
      .map((s) => `${s.file} ${s.variable} sha256 ${s.sha256}`)
      .join('; ')}); <spi_descript> -> <region>.`,
    single_region: lists.get(single) ?? [],
    multi_region: lists.get('flickr30k') ?? options.fallback?.multi_region ?? [],
    dense: options.fallback?.dense ?? [],
    referring: options.fallback?.referring ?? [],
  }
  const templates = parseTemplateSet(doc, `${options.checkout} (imported GPT4RoI templates)`)
  const result: ImportedTemplates = { templates, sources }
  if (vg !== undefined && refg !== undefined) result.refgEqualsVg = vg.length === refg.length && vg.every((q, i) => q === refg[i])
  return result
}

/** Options of exportGpt4RoiTemplates: the import options plus where to write. */
export interface ExportGpt4RoiOptions extends ImportGpt4RoiOptions {
  /** Output template file (.json); written atomically. */
  out: string
}

/** What exportGpt4RoiTemplates wrote: the file, its sha256 (what a manifest will record), counts and sources. */
export interface ExportedTemplates {
  file: string
  sha256: string
  counts: Record<TemplateKind, number>
  sources: ImportedTemplates['sources']
  refgEqualsVg?: boolean
}

/** Imports GPT4RoI's lists (dense/referring from the bundled defaults) and writes them as a template file. */
export async function exportGpt4RoiTemplates(options: ExportGpt4RoiOptions): Promise<ExportedTemplates> {
  const fallback = options.fallback ?? (await loadTemplates()).templates
  const imported = await importGpt4RoiTemplates({ ...options, fallback })
  const text = `${JSON.stringify(imported.templates, null, 2)}\n`
  await writeFileAtomic(options.out, text)
  const t = imported.templates
  const result: ExportedTemplates = {
    file: options.out,
    sha256: sha256(text),
    counts: { single_region: t.single_region.length, multi_region: t.multi_region.length, dense: t.dense.length, referring: t.referring.length },
    sources: imported.sources,
  }
  if (imported.refgEqualsVg !== undefined) result.refgEqualsVg = imported.refgEqualsVg
  return result
}
