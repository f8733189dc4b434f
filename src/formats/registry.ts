// The format registry: a new format is one file plus one line here (STYLE.md §7).
import { densecoco } from './densecoco.js'
import { gpt4roi } from './gpt4roi.js'
import { llava } from './llava.js'
import { osprey } from './osprey.js'
import { qwenVl } from './qwen-vl.js'
import { sharegpt } from './sharegpt.js'
import type { TargetFormat } from './target-format.js'
import { vgdata } from './vgdata.js'
import { vipLlava } from './vip-llava.js'

/** Every target format by name. */
export const FORMATS = {
  gpt4roi,
  densecoco,
  vgdata,
  llava,
  sharegpt,
  'qwen-vl': qwenVl,
  osprey,
  'vip-llava': vipLlava,
} satisfies Record<string, TargetFormat>

/** A registered format name. */
export type FormatName = keyof typeof FORMATS
