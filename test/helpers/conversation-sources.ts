// Small real-shaped LLaVA-Instruct-150k and VCR inputs (with the photos and VCR's per-image metadata) for the
// reader and CLI tests: the upstream file layouts, a few good items and one of each bad kind the readers reject.
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { cocoName, sceneJpeg, SCENE_H, SCENE_W } from './curation-corpus.js'

/** Writes `<dir>/llava/llava_instruct_150k.json` and its COCO photos under `<dir>/llava/train2017`. */
export async function writeLlavaInstructSet(dir: string): Promise<{ json: string; imagesDir: string; items: unknown[] }> {
  const root = join(dir, 'llava')
  const imagesDir = join(root, 'train2017')
  await mkdir(imagesDir, { recursive: true })
  for (const id of [33471, 52846]) await writeFile(join(imagesDir, cocoName(id)), await sceneJpeg(id % 97))
  const items: unknown[] = [
    {
      id: '000000033471',
      image: cocoName(33471),
      conversations: [
        { from: 'human', value: '<image>\nWhat are the colors of the bus in the image?' },
        { from: 'gpt', value: 'The bus in the image is white and red.' },
        { from: 'human', value: 'What feature can be seen on the back of the bus?' },
        { from: 'gpt', value: 'The back of the bus features an advertisement.' },
      ],
    },
    {
      id: '000000052846',
      image: cocoName(52846),
      conversations: [
        { from: 'human', value: 'Where is the cat positioned in the image?\n<image>' },
        { from: 'gpt', value: 'The cat is positioned on top of the back of the couch.' },
      ],
    },
    // The same photo again (the upstream file repeats images across its conversation/detail/reasoning items).
    { id: '000000033471', image: cocoName(33471), conversations: [{ from: 'human', value: '<image>\nDescribe the image in detail.' }, { from: 'gpt', value: 'A red and white bus drives down a street.' }] },
    // Bad: no <image> in the first turn; a turn from an unknown role; a photo that is not there; a path escape.
    { id: '000000000001', image: cocoName(33471), conversations: [{ from: 'human', value: 'No picture token here.' }, { from: 'gpt', value: 'Yes.' }] },
    { id: '000000000002', image: cocoName(33471), conversations: [{ from: 'human', value: '<image>\nHi' }, { from: 'system', value: 'x' }] },
    { id: '000000000003', image: cocoName(3), conversations: [{ from: 'human', value: '<image>\nWhat is this?' }, { from: 'gpt', value: 'A photo.' }] },
    { id: '000000000004', image: '../secret.jpg', conversations: [{ from: 'human', value: '<image>\nWhat is this?' }, { from: 'gpt', value: 'A photo.' }] },
  ]
  const json = join(root, 'llava_instruct_150k.json')
  await writeFile(json, JSON.stringify(items, null, 1))
  return { json, imagesDir, items }
}

/** The three good items of {@link writeLlavaInstructSet}. */
export const GOOD_LLAVA_ITEMS = 3

/** One VCR annotation line (only the keys GPT4RoI reads, plus ids). */
export function vcrLine(i: number, o: { objects: string[]; q: string; a: string; r: string; movie?: string }) {
  const movie = o.movie ?? 'lsmdc_3001_21_JUMP_STREET'
  const stem = `${movie}/${movie}_00.00.${String(i).padStart(2, '0')}.000-00.00.10.000@0`
  return { movie, objects: o.objects, img_fn: `${stem}.jpg`, metadata_fn: `${stem}.json`, question_orig: o.q, answer_orig: o.a, rationale_orig: o.r, img_id: `train-${i}`, annot_id: `train-${i}`, question_number: 0 }
}

/** Writes `<dir>/vcr/train.jsonl` and `<dir>/vcr/vcr1images/<movie>/*.{jpg,json}` (GPT4RoI's stage-2 layout). */
export async function writeVcrSet(dir: string): Promise<{ jsonl: string; imagesDir: string; lines: ReturnType<typeof vcrLine>[] }> {
  const root = join(dir, 'vcr')
  const imagesDir = join(root, 'vcr1images')
  const lines = [
    vcrLine(0, { objects: ['person', 'person', 'car'], q: 'Why is 1 pointing at 2?', a: '1 wants 2 to look at the 3.', r: '2 is facing away from the 3 and 1 is gesturing toward it.' }),
    vcrLine(1, { objects: ['person', 'dog'], q: 'What will 1 do next?', a: '1 will walk the 2.', r: '1 is holding a leash attached to 2.' }),
    // Bad: a number that names no object (upstream skips it); a metadata file that is missing.
    vcrLine(2, { objects: ['person'], q: 'Is 1 talking to 2?', a: 'No.', r: 'There is nobody else.' }),
    vcrLine(3, { objects: ['person'], q: 'What is 1 holding?', a: 'A cup.', r: 'It has a handle.' }),
    // Good, and also used by GPT4RoI's single_vcr (one object in the question) and multi_vcr (several).
    vcrLine(4, { objects: ['person', 'chair'], q: 'What is 1 doing?', a: '1 is waving at someone.', r: '1 has a raised hand.' }),
    vcrLine(5, { objects: ['person', 'person', 'cup'], q: 'Is 2 older than 1?', a: 'Yes, 2 is older than 1.', r: '2 has grey hair and 1 does not.' }),
  ]
  const boxes: Record<number, number[][]> = {
    0: [[10, 20, 110, 200, 0.99], [150, 30, 230, 210, 0.98], [200, 100, 330, 230, 0.9]], // the car's box passes the right edge (320)
    1: [[5, 5, 100, 220, 0.99], [120, 150, 200, 235, 0.95]],
    2: [[40, 40, 120, 200, 0.97]],
    4: [[10, 10, 100, 200, 0.99], [150, 120, 250, 230, 0.9]],
    5: [[10, 10, 100, 200, 0.99], [120, 10, 220, 200, 0.99], [250, 150, 280, 190, 0.8]],
  }
  for (const [i, line] of lines.entries()) {
    await mkdir(join(imagesDir, line.movie), { recursive: true })
    await writeFile(join(imagesDir, line.img_fn), await sceneJpeg(40 + i))
    if (boxes[i]) await writeFile(join(imagesDir, line.metadata_fn), JSON.stringify({ boxes: boxes[i], segms: [], names: line.objects, width: SCENE_W, height: SCENE_H }))
  }
  const jsonl = join(root, 'train.jsonl')
  await writeFile(jsonl, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`)
  return { jsonl, imagesDir, lines }
}
