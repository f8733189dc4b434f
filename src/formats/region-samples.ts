// The region samples of an image under a format context: what every conversation format (gpt4roi, llava, sharegpt,
// qwen-vl, osprey) renders, so that formats share this module instead of importing a sibling format.
import { buildGpt4RoiConversations } from '../instruct/gpt4roi-conversation.js'
import type { ImageRecord } from '../records/region-record.js'
import type { FormatContext } from './target-format.js'

/** Builds the region samples of an image for a format context (seeded per image and epoch). */
export function samplesFor(image: ImageRecord, ctx: FormatContext, opts: { task: 'region_caption' | 'referring'; dropSmall224: boolean }) {
  return buildGpt4RoiConversations(image, { seed: ctx.seed, templates: ctx.templates, maxRegions: ctx.maxRegions, epoch: ctx.epoch ?? 0, ...opts })
}
