// The format registry: a new format is one file plus one line here (STYLE.md §7).
import { gpt4roi } from './gpt4roi.js'
import type { TargetFormat } from './target-format.js'

/** Every target format by name. */
export const FORMATS = {
  gpt4roi,
} satisfies Record<string, TargetFormat>

/** A registered format name. */
export type FormatName = keyof typeof FORMATS
