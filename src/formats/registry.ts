// The format registry: a new format is one file plus one line here (STYLE.md §7).
import { densecoco } from './densecoco.js'
import { gpt4roi } from './gpt4roi.js'
import { llava } from './llava.js'
import { qwenVl } from './qwen-vl.js'
import { sharegpt } from './sharegpt.js'
import type { TargetFormat } from './target-format.js'
import { vgdata } from './vgdata.js'

/** Every target format by name. */
export const FORMATS = {
  gpt4roi,
  densecoco,
  vgdata,
  llava,
  sharegpt,
  'qwen-vl': qwenVl,
} satisfies Record<string, TargetFormat>

/** A registered format name. */
export type FormatName = keyof typeof FORMATS
