// LLaVA-Instruct-150k -> canonical ImageRecords with one image-level conversation each and no regions
// (records/region-record.ts ImageConversation), so that a mix can carry LLaVA's instruction data beside region data,
// as GPT4RoI's stage 2 does (jshilong/GPT4RoI gpt4roi/configs/stage2.py, `det_llava`).
// One record per item, in file order: the file repeats an image across its conversation / detail / reasoning items,
// and each item is a training sample of its own (LLaVA's LazySupervisedDataset reads one item per index).
//   imageId: the item's `id` (the zero-padded COCO id); imagePath: `image`, checked to stay under the images root.
//   width/height: read from the photo's header under `imagesDir` (the items carry no size; formats write it).
// An item is a reject (reason `invalid`, path `[i]...`) when it does not match the schema, its turns do not alternate
// human/gpt starting with human, its first turn does not hold exactly one `<image>` (or another turn holds one), or
// it holds a `<bbox>` token (it refers to no region); a missing photo is a `no_image` reject.
// The whole array is parsed at once (JSON.parse): the upstream file is about 230 MB, under V8's string limit.
import { basename, join } from 'node:path'
import { stat } from 'node:fs/promises'
import { OptionError, PixcapError, type JsonPath } from '../../errors.js'
import { readJsonFile } from '../../io/input/read-json.js'
import { checkRelativePath } from '../../io/input/safe-path.js'
import { readImageSize } from '../../io/png/image-size.js'
import { countToken } from '../../instruct/gpt4roi-conversation.js'
import { BBOX_TOKEN } from '../../instruct/gpt4roi-tokens.js'
import { addSourceIssue, IMAGE_TOKEN, type ConversationTurn, type DroppedRegion, type SourceEntry, type SourceReport } from '../../records/index.js'
import { parseWithProblems } from '../../util/zod-issues.js'
import type { OpenSourceOptions, SourceReader } from '../source-reader.js'
import { onePassReader } from '../one-pass-reader.js'
import { RawLlavaInstructFile, RawLlavaInstructItem } from './raw-schema.js'

/** The `source` of every record this reader produces. */
export const LLAVA_INSTRUCT_SOURCE = 'llava-instruct'

/** Why turns cannot be an image-level conversation (relative path and detail), or null when they can. */
export function turnsProblem(turns: readonly ConversationTurn[]): { path: JsonPath; detail: string } | null {
  for (const [t, turn] of turns.entries()) {
    const want = t % 2 === 0 ? 'human' : 'gpt'
    if (turn.from !== want) return { path: [t, 'from'], detail: `turn ${t} is from "${turn.from}", expected "${want}": turns alternate human/gpt, starting with human` }
    const images = countToken(turn.value, IMAGE_TOKEN)
    if (t === 0 && images !== 1) return { path: [t, 'value'], detail: `the first turn holds ${images} "${IMAGE_TOKEN}" tokens, expected exactly 1` }
    if (t > 0 && images > 0) return { path: [t, 'value'], detail: `turn ${t} holds "${IMAGE_TOKEN}"; only the first turn may (one image per conversation)` }
  }
  return null
}

/** Opens a LLaVA-Instruct-150k file; nothing is read until iterated. */
export function readLlavaInstruct(options: OpenSourceOptions): SourceReader {
  return onePassReader(LLAVA_INSTRUCT_SOURCE, options, readEntries)
}

async function* readEntries(options: OpenSourceOptions, split: string, report: SourceReport): AsyncGenerator<SourceEntry> {
  const file = options.annotations
  const imagesDir = options.imagesDir
  if (imagesDir === undefined) throw new OptionError('{imagesDir} is needed by the llava-instruct source: its items carry no image size, which is read from each photo')
  const originFile = basename(file)
  const items = await readJsonFile(file, RawLlavaInstructFile)
  report.bytesRead = (await stat(file)).size
  const c = report.counts
  c.annotations = items.length
  const sizes = new Map<string, { width: number; height: number } | string>()
  for (const [i, raw] of items.entries()) {
    options.onProgress?.({ kind: 'progress', stage: 'items', done: i + 1, total: items.length })
    c.segments++
    const idOf = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : `item ${i}`)
    const rawId = typeof raw === 'object' && raw !== null ? idOf((raw as { id?: unknown }).id) : `item ${i}`
    const drop = (reason: DroppedRegion['reason'], path: JsonPath, detail: string): SourceEntry => {
      c.droppedSegments++
      addSourceIssue(report, { kind: reason === 'no_image' ? 'missing_image' : 'invalid_item', severity: 'error', path: [...path], imageId: rawId, detail })
      return { imageId: rawId, record: null, dropped: [{ imageId: rawId, conversationId: rawId, reason, detail, origin: { file: originFile, path: [...path] } }] }
    }
    const parsed = parseWithProblems(RawLlavaInstructItem, raw, [i])
    if (!parsed.ok) {
      const first = parsed.problems[0]
      yield drop('invalid', first?.path ?? [i], first?.detail ?? 'does not match {id, image, conversations}')
      continue
    }
    const item = parsed.data
    const id = String(item.id)
    const bad = turnsProblem(item.conversations)
    if (bad) {
      yield drop('invalid', [i, 'conversations', ...bad.path], bad.detail)
      continue
    }
    const bboxAt = item.conversations.findIndex((t) => t.value.includes(BBOX_TOKEN))
    if (bboxAt >= 0) {
      yield drop('invalid', [i, 'conversations', bboxAt, 'value'], `holds "${BBOX_TOKEN}", but LLaVA-Instruct items refer to no region`)
      continue
    }
    let imagePath: string
    try {
      imagePath = checkRelativePath(item.image, { file, path: [i, 'image'] })
    } catch (err) {
      if (!(err instanceof PixcapError)) throw err
      yield drop('invalid', err.path, err.detail)
      continue
    }
    let size = sizes.get(imagePath)
    if (size === undefined) {
      c.images++
      try {
        size = await readImageSize(join(imagesDir, imagePath))
      } catch (err) {
        size = `${imagePath} cannot be read under the images folder ${imagesDir}: ${(err as Error).message}`
      }
      sizes.set(imagePath, size)
    }
    if (typeof size === 'string') {
      yield drop('no_image', [i, 'image'], size)
      continue
    }
    c.records++
    const origin = { file: originFile, path: [i] }
    yield {
      imageId: id,
      record: { source: LLAVA_INSTRUCT_SOURCE, split, imageId: id, imagePath, width: size.width, height: size.height, regions: [], conversations: [{ id, turns: item.conversations, regions: [], origin }], origin },
      dropped: [],
      imageEntryPath: [i],
    }
  }
  report.complete = true
}
