// conversation-sources: reading LLaVA-Instruct-150k and VCR (the image-level conversation sources) into records,
// beside bench/conversation_peer.py reading the same files the way GPT4RoI's loaders do (json.load of the array;
// json.loads per line plus json.load of each line's metadata). Self-contained: it writes its own synthetic files.
// Options: --llava-items=N (default 150000, one photo shared by all items: the reader reads each photo's header
// once), --vcr-lines=N (default 50000, 4 questions per image), --python=PATH.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import sharp from 'sharp'
import { openSource } from '../../src/sources/open-source.js'
import { createRng } from '../../src/util/rng.js'
import type { BenchContext, BenchResult, BenchStage } from '../stage.js'

const HERE = dirname(fileURLToPath(import.meta.url))
const WORDS = 'the a bus red white street person cat couch table sits near on with of in and is are there picture what where why'.split(' ')
const rss = (): number => Math.round(process.resourceUsage().maxRSS / 1024)

async function readAll(annotations: string, imagesDir: string): Promise<{ records: number; conversations: number; ms: number }> {
  const t0 = performance.now()
  const { reader } = await openSource({ annotations, imagesDir })
  let records = 0
  let conversations = 0
  for await (const r of reader.records()) {
    records++
    conversations += r.conversations?.length ?? 0
  }
  return { records, conversations, ms: performance.now() - t0 }
}

async function peer(python: string, args: string[], stage: string, unit: string, ours: BenchResult): Promise<BenchResult> {
  const r = await execa(python, [join(HERE, '../conversation_peer.py'), ...args], { reject: false })
  if (r.failed) return { stage, items: 0, unit, wallMs: 0, perSecond: 0, peakRssMb: 0, skipped: `python failed: ${r.shortMessage} ${String(r.stderr).slice(-400)}` }
  const p = JSON.parse(String(r.stdout)) as { items: number; seconds: number }
  const perSecond = Math.round(p.items / p.seconds)
  return { stage, items: p.items, unit, wallMs: Math.round(p.seconds * 1000), perSecond, peakRssMb: 0, oursVsPeer: Math.round((ours.perSecond / perSecond) * 10) / 10 }
}

export const conversationSourcesStage: BenchStage = {
  name: 'conversation-sources',
  async run(ctx: BenchContext): Promise<BenchResult[]> {
    const nItems = Number(ctx.options['llava-items'] ?? 150_000)
    const nLines = Number(ctx.options['vcr-lines'] ?? 50_000)
    const python = ctx.options.python ?? process.env.PIXCAP_PYTHON ?? resolve(HERE, '../../.venv/bin/python')
    const dir = await mkdtemp(join(tmpdir(), 'pixcap-bench-conv-'))
    const results: BenchResult[] = []
    const rng = createRng(7)
    const sentence = (n: number): string => Array.from({ length: n }, () => rng.pick(WORDS)).join(' ')
    try {
      const photo = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 90, g: 120, b: 160 } } }).jpeg().toBuffer()
      await mkdir(join(dir, 'images'), { recursive: true })
      await writeFile(join(dir, 'images', 'a.jpg'), photo)
      // LLaVA-Instruct: 1-4 rounds per item, about the upstream file's ~1 KB per item.
      const items = Array.from({ length: nItems }, (_, i) => {
        const turns = [{ from: 'human', value: `<image>\n${sentence(12)}?` }, { from: 'gpt', value: `${sentence(60)}.` }]
        for (let t = rng.int(4); t > 0; t--) turns.push({ from: 'human', value: `${sentence(10)}?` }, { from: 'gpt', value: `${sentence(40)}.` })
        return { id: String(i).padStart(12, '0'), image: 'a.jpg', conversations: turns }
      })
      const llava = join(dir, 'llava_instruct_150k.json')
      await writeFile(llava, JSON.stringify(items))
      const l = await readAll(llava, join(dir, 'images'))
      const oursL: BenchResult = { stage: 'conversation-sources:llava-instruct', items: l.records, unit: 'items', wallMs: Math.round(l.ms), perSecond: Math.round((l.records / l.ms) * 1000), peakRssMb: rss() }
      results.push(oursL, await peer(python, ['llava', llava], 'conversation-sources:llava-instruct:gpt4roi-peer', 'items', oursL))

      // VCR: 4 questions per image, 2-6 objects each, metadata under vcr1images/<movie>/.
      const vcrImages = join(dir, 'vcr1images')
      await mkdir(join(vcrImages, 'movie'), { recursive: true })
      const lines: string[] = []
      for (let i = 0; i < nLines; i++) {
        const img = Math.floor(i / 4)
        const stem = `movie/img${img}`
        const objects = Array.from({ length: 2 + (img % 5) }, (_, k) => (k % 2 === 0 ? 'person' : 'chair'))
        if (i % 4 === 0) await writeFile(join(vcrImages, `${stem}.json`), JSON.stringify({ boxes: objects.map((_, k) => [10 * k, 10 * k, 10 * k + 50, 10 * k + 80, 0.9]), width: 640, height: 480, names: objects }))
        lines.push(JSON.stringify({ annot_id: `train-${i}`, img_id: `train-${img}`, img_fn: `${stem}.jpg`, metadata_fn: `${stem}.json`, objects, question_orig: `Why is 1 ${sentence(6)} 2?`, answer_orig: `1 ${sentence(10)}.`, rationale_orig: `2 ${sentence(14)}.` }))
      }
      const vcrFile = join(dir, 'train.jsonl')
      await writeFile(vcrFile, `${lines.join('\n')}\n`)
      const v = await readAll(vcrFile, vcrImages)
      const oursV: BenchResult = { stage: 'conversation-sources:vcr', items: v.records, unit: 'lines', wallMs: Math.round(v.ms), perSecond: Math.round((v.records / v.ms) * 1000), peakRssMb: rss(), conversations: v.conversations }
      results.push(oursV, await peer(python, ['vcr', vcrFile, vcrImages], 'conversation-sources:vcr:gpt4roi-peer', 'lines', oursV))
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
    return results
  },
}
