// Pix2Cap caption scores on PQ matches (reference/metrics.md §12) and the dense mAP, on the shared sample with
// predicted captions copied from the GT descriptions.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { evalPanopticCaptions, type CaptionPairScorer } from '../../src/eval/panoptic-captions.js'
import { HAS_SHARED, PANOPTIC_SAMPLE_DIR, PIX2CAP_SAMPLE_JSON } from '../helpers/fixtures.js'
import { writePerturbedPrediction } from '../helpers/panoptic-perturb.js'

describe.skipIf(!HAS_SHARED)('evalPanopticCaptions on the COCO panoptic sample', () => {
  let dir = ''
  let same = { predJson: '', predDir: '' }
  let perturbed = { predJson: '', predDir: '' }
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pixcap-pqcap-'))
    same = await writePerturbedPrediction(join(dir, 'same'), { captions: true, perturb: false })
    perturbed = await writePerturbedPrediction(join(dir, 'perturbed'), { captions: true })
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })
  const gt = { gtJson: PIX2CAP_SAMPLE_JSON, gtDir: PANOPTIC_SAMPLE_DIR, workers: 0 }

  // The sample has one list-valued description (439180/5768384): copied as a list caption, Pix2Cap skips that pair.
  it('identical captions: 46 of 47 TP pairs scored (one list caption skipped), weight 46/47', async () => {
    const r = await evalPanopticCaptions({ ...gt, ...same })
    expect(r.captions).toMatchObject({ matched: 46, total: 47, weight: 46 / 47, METEOR: null })
    expect(r.captions.skipped).toEqual({ listCaption: 1, missingCaption: 0, missingDescription: 0 })
    const raw = r.captions.raw
    if (raw === null) throw new Error('expected raw scores')
    expect(r.captions.weighted).toEqual({ Bleu_4: raw.Bleu_4 * (46 / 47), ROUGE_L: raw.ROUGE_L * (46 / 47), CIDEr: raw.CIDEr * (46 / 47) })
    expect(r.denseMap).toMatchObject({ detections: 50, npos: 47, defaultScores: 50, captionScorer: { name: 'ROUGE_L', isMeteor: false } })
    // the 3 crowd predictions have no candidate GT: false positives ranked in file order among the 47 TPs
    expect(r.denseMap.detmap).toBeGreaterThan(0.9)
    expect(r.denseMap.detmap).toBeLessThan(1)
    // every assigned caption equals its reference, so each caption AP equals its detection AP (means differ in the last bit)
    expect(r.denseMap.map).toBeCloseTo(r.denseMap.detmap, 14)
  })

  it('perturbed: 3 person TPs lost and 1 FP: matched / (TP+FP+FN) = 43 / 48 weights every score', async () => {
    const r = await evalPanopticCaptions({ ...gt, ...perturbed })
    expect(r.captions).toMatchObject({ matched: 43, total: 48 })
    expect(r.captions.weight).toBe(43 / 48)
    const raw = r.captions.raw
    if (raw === null) throw new Error('expected raw scores')
    expect(r.captions.weighted).toEqual({ Bleu_4: raw.Bleu_4 * (43 / 48), ROUGE_L: raw.ROUGE_L * (43 / 48), CIDEr: raw.CIDEr * (43 / 48) })
  })

  it('uses an injected caption scorer and detection scores to rank', async () => {
    const seen: number[] = []
    const scorer: CaptionPairScorer = {
      name: 'length-ratio', isMeteor: false, note: 'test scorer',
      score: async (pairs) => pairs.map((p) => {
        seen.push(p.references.length)
        return 0.2
      }),
    }
    const r = await evalPanopticCaptions({ ...gt, ...same, mapScorer: scorer })
    expect(seen).toHaveLength(47)
    expect(r.denseMap.captionScorer.name).toBe('length-ratio')
    // score 0.2 passes thresholds 0 .. 0.15 and fails 0.2, 0.25: 4 of 6 caption thresholds per IoU
    expect(r.denseMap.apBreakdown['ov0.7_score0.15']).toBe(r.denseMap.detBreakdown['ov0.7'])
    expect(r.denseMap.apBreakdown['ov0.7_score0.2']).toBe(0)
  })
})
