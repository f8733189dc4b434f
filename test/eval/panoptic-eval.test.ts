// PQ through the whole pipeline (JSON, PNG decode in workers, merge) on the shared COCO panoptic sample, against
// panopticapi's numbers to the last digit (reference/metrics.md §10).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PixcapError } from '../../src/errors.js'
import { evalPanoptic } from '../../src/eval/panoptic-eval.js'
import { HAS_SHARED, PANOPTIC_SAMPLE_DIR } from '../helpers/fixtures.js'
import { SAMPLE_GT_JSON, writePerturbedPrediction } from '../helpers/panoptic-perturb.js'

describe.skipIf(!HAS_SHARED)('evalPanoptic on the COCO panoptic sample', () => {
  let dir = ''
  let pred = { predJson: '', predDir: '' }
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pixcap-pq-'))
    pred = await writePerturbedPrediction(dir)
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('GT against itself is 1.0 with n = 8 / 4 / 4', async () => {
    const r = await evalPanoptic({ gtJson: SAMPLE_GT_JSON, gtDir: PANOPTIC_SAMPLE_DIR, predJson: SAMPLE_GT_JSON, predDir: PANOPTIC_SAMPLE_DIR, workers: 2 })
    expect(r.pq.All).toEqual({ pq: 1, sq: 1, rq: 1, n: 8 })
    expect(r.pq.Things).toEqual({ pq: 1, sq: 1, rq: 1, n: 4 })
    expect(r.pq.Stuff).toEqual({ pq: 1, sq: 1, rq: 1, n: 4 })
    expect(r.pq.perCategory.map((c) => c.categoryId)).toEqual([1, 8, 19, 37, 125, 184, 187, 193])
    expect(r.pngDecodes).toBe(4)
  })

  it.each([0, 1, 2])('perturbed prediction equals panopticapi to the last digit (workers: %i)', async (workers) => {
    const r = await evalPanoptic({ gtJson: SAMPLE_GT_JSON, gtDir: PANOPTIC_SAMPLE_DIR, ...pred, workers })
    expect(r.pq.All).toEqual({ pq: 0.9481969717279358, sq: 0.9973547452464244, rq: 0.9506802721088435, n: 8 })
    expect(r.pq.Things).toEqual({ pq: 0.8963939434558716, sq: 0.9947094904928488, rq: 0.9013605442176871, n: 4 })
    expect(r.pq.Stuff).toEqual({ pq: 1, sq: 1, rq: 1, n: 4 })
    const person = r.pq.perCategory.find((c) => c.categoryId === 1)
    expect(person).toMatchObject({ pq: 0.9189091071568201, sq: 0.9788379619713953, rq: 0.9387755102040817, tp: 23, fp: 0, fn: 3 })
    const ball = r.pq.perCategory.find((c) => c.categoryId === 37)
    expect(ball).toMatchObject({ pq: 0.6666666666666666, sq: 1, rq: 0.6666666666666666, tp: 1, fp: 1, fn: 0 })
    for (const c of r.pq.perCategory.filter((c) => c.categoryId !== 1 && c.categoryId !== 37)) {
      expect(c, c.name).toMatchObject({ pq: 1, sq: 1, rq: 1 })
    }
  })

  it.each([0, 2])('a worker-side sanity error arrives as the same PixcapError (workers: %i)', async (workers) => {
    const json = JSON.parse(await readFile(pred.predJson, 'utf8')) as { annotations: { segments_info: { id: number }[] }[] }
    json.annotations[1]?.segments_info.splice(0, 1)
    const bad = join(dir, `missing-seg-${workers}.json`)
    await writeFile(bad, JSON.stringify(json))
    const run = evalPanoptic({ gtJson: SAMPLE_GT_JSON, gtDir: PANOPTIC_SAMPLE_DIR, predJson: bad, predDir: pred.predDir, workers })
    await expect(run).rejects.toThrow(PixcapError)
    await expect(run).rejects.toThrow(`${bad}: annotations[1].segments_info: segment id 3937500 (RGB 220,20,60) covers`)
  })

  it('stops when aborted', async () => {
    const ac = new AbortController()
    ac.abort()
    await expect(evalPanoptic({ gtJson: SAMPLE_GT_JSON, gtDir: PANOPTIC_SAMPLE_DIR, ...pred, workers: 1, signal: ac.signal })).rejects.toThrow('evaluation aborted')
  })
})
