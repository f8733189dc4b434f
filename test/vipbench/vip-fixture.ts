// A small ViP-Bench-shaped directory written by the tests (our own questions; the real benchmark is not shipped).
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const VIP_META = {
  v1_0: { image_source: 'v1_0.png', image: 'v1_0_0.png', question: 'What is written on the sign <obj>?', answer: 'STOP<OR>stop sign', capability: ['ocr', 'rec'] },
  v1_1: { image_source: 'v1_1.png', image: 'v1_1_0.png', question: 'Is the animal in <obj1> bigger than the one in <obj2>? Compare <obj1> again.', answer: 'yes', capability: ['rec', 'spat'] },
  v1_2: { image_source: 'v1_2.png', image: 'v1_2_0.png', question: 'What is 3 + <obj>?', answer: '7<AND>seven', capability: ['ocr', 'math'] },
}

/** Writes meta-data, bbox/questions.jsonl and source_image LabelMe files; returns the root. */
export async function writeVipFixture(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'pixcap-vip-'))
  await mkdir(join(root, 'bbox'), { recursive: true })
  await mkdir(join(root, 'source_image'), { recursive: true })
  await writeFile(join(root, 'vip-bench-meta-data.json'), JSON.stringify(VIP_META))
  const q = [
    { question_id: 0, image: 'v1_0_0.png', text: 'What is written on the sign within the red rectangle?', category: 'ocr' },
    { question_id: 1, image: 'v1_1_0.png', text: 'Is the animal in the blue box bigger than the one in the green box?', category: 'rec' },
    { question_id: 2, image: 'v1_2_0.png', text: 'What is 3 + the digit inside the yellow rectangle?', category: 'math' },
  ]
  await writeFile(join(root, 'bbox', 'questions.jsonl'), `${q.map((x) => JSON.stringify(x)).join('\n')}\n`)
  const lm = (imagePath: string, w: number, h: number, shapes: unknown[]) => JSON.stringify({ imagePath, imageWidth: w, imageHeight: h, shapes })
  // Rectangle given bottom-right first: the box must still come out as x1 < x2.
  await writeFile(join(root, 'source_image', 'v1_0.json'), lm('v1_0.png', 200, 100, [{ label: 'obj', points: [[150, 80], [50, 20]], shape_type: 'rectangle' }]))
  await writeFile(join(root, 'source_image', 'v1_1.json'), lm('v1_1.png', 400, 200, [
    { label: 'obj2', points: [[200, 100], [300, 100], [250, 180]], shape_type: 'polygon' },
    { label: 'obj1', points: [[0, 0], [100, 50]], shape_type: 'rectangle' },
  ]))
  await writeFile(join(root, 'source_image', 'v1_2.json'), lm('v1_2.png', 100, 100, [{ label: 'obj', points: [[10, 10], [20, 30]], shape_type: 'rectangle' }]))
  return root
}
