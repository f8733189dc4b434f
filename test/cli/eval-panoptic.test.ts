// `pixcap eval panoptic` in-process: argument handling, text and --json output, errors naming file + JSON path.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../src/cli/main.js'
import { captureIo } from '../helpers/io.js'
import { HAS_SHARED, PANOPTIC_SAMPLE_DIR, PIX2CAP_SAMPLE_JSON } from '../helpers/fixtures.js'
import { SAMPLE_GT_JSON, writePerturbedPrediction } from '../helpers/panoptic-perturb.js'

describe.skipIf(!HAS_SHARED)('pixcap eval panoptic', () => {
  let dir = ''
  let pred = { predJson: '', predDir: '' }
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pixcap-cli-pq-'))
    pred = await writePerturbedPrediction(dir)
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })
  const args = () => ['eval', 'panoptic', '--gt-json', SAMPLE_GT_JSON, '--gt-dir', PANOPTIC_SAMPLE_DIR, '--pred-json', pred.predJson, '--pred-dir', pred.predDir, '--workers', '0']

  it('prints panopticapi-style rows', async () => {
    const io = captureIo()
    expect(await main(args(), io)).toBe(0)
    expect(io.out()).toContain('All       |  94.8   99.7   95.1     8')
    expect(io.out()).toContain('Things    |  89.6   99.5   90.1     4')
    expect(io.out()).toContain('Stuff     | 100.0  100.0  100.0     4')
    expect(io.out()).toMatch(/person\s+1\s+thing\s+91\.9\s+97\.9\s+93\.9\s+23\s+0\s+3/)
  })

  it('--json gives the exact numbers and per-category table', async () => {
    const io = captureIo()
    expect(await main([...args(), '--json'], io)).toBe(0)
    const out = JSON.parse(io.out()) as { ok: boolean; images: number; pq: { All: { pq: number }; perCategory: { categoryId: number }[] } }
    expect(out.ok).toBe(true)
    expect(out.images).toBe(2)
    expect(out.pq.All.pq).toBe(0.9481969717279358)
    expect(out.pq.perCategory).toHaveLength(8)
  })

  it('a GT image without a prediction fails, naming the prediction file', async () => {
    const predJson = JSON.parse(await readFile(pred.predJson, 'utf8')) as { annotations: unknown[] }
    predJson.annotations = predJson.annotations.slice(1)
    const partial = join(dir, 'partial.json')
    await writeFile(partial, JSON.stringify(predJson))
    const a = args()
    a[a.indexOf('--pred-json') + 1] = partial
    const io = captureIo()
    expect(await main(a, io)).toBe(1)
    expect(io.err()).toContain(`${partial}: annotations: no prediction for image_id 142238 (GT ${SAMPLE_GT_JSON} annotations[0], 000000142238.png)`)
  })

  it('a file_name escaping the prediction directory is refused', async () => {
    const predJson = JSON.parse(await readFile(pred.predJson, 'utf8')) as { annotations: { file_name: string }[] }
    ;(predJson.annotations[1] as { file_name: string }).file_name = '../../etc/passwd'
    const bad = join(dir, 'escape.json')
    await writeFile(bad, JSON.stringify(predJson))
    const a = args()
    a[a.indexOf('--pred-json') + 1] = bad
    const io = captureIo()
    expect(await main([...a, '--json'], io)).toBe(1)
    expect(JSON.parse(io.out())).toMatchObject({ ok: false, error: { code: 'path_escape', path: 'annotations[1].file_name' } })
  })

  it('a missing flag is a usage error', async () => {
    const io = captureIo()
    expect(await main(['eval', 'panoptic', '--gt-json', SAMPLE_GT_JSON], io)).toBe(2)
    expect(io.err()).toContain('--gt-dir is required')
  })

  it('--captions reports Pix2Cap caption scores and a mAP labelled NOT METEOR', async () => {
    const capDir = join(dir, 'cap')
    const capPred = await writePerturbedPrediction(capDir, { captions: true, perturb: false })
    const base = ['eval', 'panoptic', '--gt-json', PIX2CAP_SAMPLE_JSON, '--gt-dir', PANOPTIC_SAMPLE_DIR, '--pred-json', capPred.predJson, '--pred-dir', capPred.predDir, '--workers', '0', '--captions']
    const text = captureIo()
    expect(await main(base, text)).toBe(0)
    expect(text.out()).toContain('Caption quality (Pix2Cap): 46 matched pairs / 47 TP+FP+FN')
    expect(text.out()).toContain('caption score: ROUGE_L, NOT METEOR')
    const json = captureIo()
    expect(await main([...base, '--json'], json)).toBe(0)
    const out = JSON.parse(json.out()) as { captions: { matched: number; METEOR: null }; denseMap: { captionScorer: { isMeteor: boolean }; map: number } }
    expect(out.captions).toMatchObject({ matched: 46, METEOR: null })
    expect(out.denseMap.captionScorer.isMeteor).toBe(false)
    expect(out.denseMap.map).toBeGreaterThan(0)
  })
})
