// Question templates are data (templates/*.json|yaml), validated here. A template's `<region>` slot becomes
// `region{i} <bbox>` (or a comma-joined list of them); this mirrors GPT4RoI's `<spi_descript>` slot
// (reference/gpt4roi.md §2 text convention, §6 template lists). Template ids are recorded per sample.
import { z } from 'zod'
import { PixcapError, toJsonPath, type JsonPath } from '../errors.js'

/** Placeholder replaced by one `region{i} <bbox>` mention or a comma-joined list of them. */
export const REGION_SLOT = '<region>'
/** Placeholder replaced by a region caption (referring templates). */
export const CAPTION_SLOT = '<caption>'

/**
 * Tokens a template must never contain: each `<bbox>` is bound to one box by position and `<image>` is counted
 * against the image list (gpt4roi.md §2; formats.md §3), so a literal one in a template would break the counts.
 */
export const RESERVED_TOKENS = ['<bbox>', '<image>', '<img>', '</img>', '<im_start>', '<im_end>', '<im_patch>', '<ref>', '<box>'] as const

/** Template kinds and how many of each slot their text must contain. */
export const TEMPLATE_KINDS = {
  /** One region per question (GPT4RoI `FINAL_QUESTIONS` in vg.py / `REFG_QUESTIONS`). */
  single_region: { region: 1, caption: 0 },
  /** A set of regions in one question (GPT4RoI `FINAL_QUESTIONS` in flickr30k.py). */
  multi_region: { region: 1, caption: 0 },
  /** The Pix2Cap task: find and describe every region; no region is given as input. */
  dense: { region: 0, caption: 0 },
  /** Caption -> region: the candidates fill `<region>`, the caption fills `<caption>`. */
  referring: { region: 1, caption: 1 },
} as const satisfies Record<string, { region: number; caption: number }>
export type TemplateKind = keyof typeof TEMPLATE_KINDS

/** One template: a stable id and the question text with its slots. */
export const Template = z.object({
  id: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_./:-]*$/, 'expected an id of letters, digits and _ . / : - (e.g. "single/01")'),
  text: z.string().min(1, 'expected a non-empty question'),
})
export type Template = z.infer<typeof Template>

/** A template file as stored on disk. */
export const TemplateFile = z.object({
  name: z.string().min(1),
  version: z.literal(1),
  description: z.string().optional(),
  single_region: z.array(Template).min(1, 'expected at least one single_region template'),
  multi_region: z.array(Template).default([]),
  dense: z.array(Template).default([]),
  referring: z.array(Template).default([]),
})
export type TemplateFile = z.infer<typeof TemplateFile>

/** A validated template set (the file's content; kinds may be empty except single_region). */
export type TemplateSet = TemplateFile

/** One problem found in a template file. */
export interface TemplateIssue {
  path: JsonPath
  message: string
}

function countOf(text: string, token: string): number {
  return text.split(token).length - 1
}

/** Checks slot counts, reserved tokens and id uniqueness; returns every issue (pure). */
export function checkTemplateSet(set: TemplateSet): TemplateIssue[] {
  const issues: TemplateIssue[] = []
  const seen = new Map<string, string>()
  for (const kind of Object.keys(TEMPLATE_KINDS) as TemplateKind[]) {
    const want = TEMPLATE_KINDS[kind]
    set[kind].forEach((tpl, i) => {
      const at: JsonPath = [kind, i]
      const first = seen.get(tpl.id)
      if (first !== undefined) issues.push({ path: [...at, 'id'], message: `duplicate id "${tpl.id}" (first used at ${first})` })
      else seen.set(tpl.id, toJsonPath(at))
      for (const [slot, n] of [[REGION_SLOT, want.region], [CAPTION_SLOT, want.caption]] as const) {
        const got = countOf(tpl.text, slot)
        if (got !== n) {
          const hint = n === 0 ? `; ${kind} templates take no ${slot}` : ''
          issues.push({ path: [...at, 'text'], message: `expected exactly ${n} "${slot}" slot${n === 1 ? '' : 's'}, found ${got}${hint}` })
        }
      }
      for (const token of RESERVED_TOKENS) {
        if (tpl.text.includes(token)) {
          const hint = token === '<bbox>' ? `; write "${REGION_SLOT}" where the region goes` : ''
          issues.push({ path: [...at, 'text'], message: `contains the reserved token "${token}"${hint}` })
        }
      }
    })
  }
  return issues
}

/** Validates a parsed template document; throws PixcapError('schema') naming every issue, first one in the path. */
export function parseTemplateSet(doc: unknown, file: string): TemplateSet {
  const parsed = TemplateFile.safeParse(doc)
  const issues: TemplateIssue[] = parsed.success
    ? checkTemplateSet(parsed.data)
    : parsed.error.issues.map((iss) => ({ path: iss.path.filter((k) => typeof k !== 'symbol'), message: iss.message }))
  const [first, ...rest] = issues
  if (first !== undefined) {
    const more = rest.length === 0 ? '' : ` (and ${rest.length} more: ${rest.map((r) => `${toJsonPath(r.path)}: ${r.message}`).join('; ')})`
    throw new PixcapError('schema', file, first.path, `${first.message}${more}`)
  }
  if (!parsed.success) throw new PixcapError('schema', file, [], 'invalid template file')
  return parsed.data
}

// A template's text split at its region slots, computed once per template (it is filled once per region turn).
const regionPartsCache = new WeakMap<Template, { text: string; parts: string[] }>()

function regionParts(tpl: Template): string[] {
  const hit = regionPartsCache.get(tpl)
  if (hit !== undefined && hit.text === tpl.text) return hit.parts
  const parts = tpl.text.split(REGION_SLOT)
  regionPartsCache.set(tpl, { text: tpl.text, parts })
  return parts
}

/** Fills the slots of a template. `region` replaces `<region>`, `caption` replaces `<caption>`. */
export function fillTemplate(tpl: Template, fill: { region?: string; caption?: string }): string {
  // split/join, not String.replace: a caption may contain `$&` and friends.
  let text = tpl.text
  if (fill.region !== undefined) text = regionParts(tpl).join(fill.region)
  if (fill.caption !== undefined) text = text.split(CAPTION_SLOT).join(fill.caption)
  return text
}
