// LLaVA-Instruct-150k as stored on disk (`llava_instruct_150k.json`, liuhaotian/LLaVA-Instruct-150K; reference/
// formats.md §2): ONE JSON array of items
//   { id: "000000033471", image: "000000033471.jpg", conversations: [{ from: "human" | "gpt", value }, ...] }
// `image` is relative to the COCO train2017 folder (LLaVA's --image_folder; GPT4RoI's det_llava `data_path`,
// jshilong/GPT4RoI gpt4roi/configs/stage2.py `det_llava` entry). The first human turn holds `<image>`, before or
// after the question. Only the keys pixcap reads are declared.
import { z } from 'zod'
import { ConversationTurn } from '../../records/region-record.js'

/** One item of the array. */
export const RawLlavaInstructItem = z.looseObject({
  id: z.union([z.string().min(1), z.number().int()]),
  image: z.string().min(1),
  conversations: z.array(ConversationTurn).min(2),
})
export type RawLlavaInstructItem = z.infer<typeof RawLlavaInstructItem>

/** The file: an array; each item is checked on its own, so one bad item is that item's reject, not the file's end. */
export const RawLlavaInstructFile = z.array(z.unknown())
