// evalPanoptic sends consecutive pairs to its workers in batches: the result, the order of the per-image callbacks
// and the reported error must not depend on the worker count or the batch size.
import { cp, readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { writeSynthPanoptic, type SynthPanopticSet } from '../../bench/panoptic-synth.js'
import { PixcapError } from '../../src/errors.js'
import { evalPanoptic, PQ_BATCH, type PanopticEvalOptions } from '../../src/eval/panoptic-eval.js'
import { useTempDir } from '../helpers/temp-dir.js'

const IMAGES = 45 // with 2 workers: batches of PQ_BATCH (8) and a last short one

describe('evalPanoptic in batches', () => {
  let dir = ''
  useTempDir('pixcap-pq-batches-', (d) => (dir = d))
  let set: SynthPanopticSet
  const setUp = async () => (set ??= await writeSynthPanoptic(join(dir, 'set'), { images: IMAGES, width: 48, height: 40, seed: 11, adaptiveFiltering: true }))

  const evaluate = async (o: Partial<PanopticEvalOptions>) => {
    const s = await setUp()
    const seen: (number | string)[] = []
    const r = await evalPanoptic({ gtJson: s.gtJson, gtDir: s.gtDir, predJson: s.predJson, predDir: s.predDir, ...o }, (x) => seen.push(x.gt.image_id))
    return { r, seen }
  }

  it('gives the same result and callback order for every worker count and batch size', async () => {
    expect(Math.ceil(IMAGES / (2 * 4))).toBeLessThan(PQ_BATCH + 1)
    const base = await evaluate({ workers: 0 })
    const gt = JSON.parse(await readFile(set.gtJson, 'utf8')) as { annotations: { image_id: number }[] }
    expect(base.seen).toEqual(gt.annotations.map((a) => a.image_id))
    expect(base.r.pngDecodes).toBe(2 * IMAGES)
    for (const o of [{ workers: 1 }, { workers: 2 }, { workers: 2, maxInFlight: 1 }, { workers: 2, maxInFlight: 3 }, { workers: 3, maxInFlight: 64 }]) {
      const other = await evaluate(o)
      expect(other.r.pq, JSON.stringify(o)).toEqual(base.r.pq)
      expect(other.r.stats, JSON.stringify(o)).toEqual(base.r.stats)
      expect(other.seen, JSON.stringify(o)).toEqual(base.seen)
      expect(other.r.pngDecodes).toBe(2 * IMAGES)
    }
  })

  it('mixes PNGs for sharp (async) with reused decode buffers without mixing up pixels', async () => {
    // Interlaced PNGs go to sharp, which awaits; meanwhile other in-flight pairs decode on the same thread, into the
    // same reused buffers. The pixels of a pair must not change under it.
    const s = await setUp()
    const base = await evaluate({ workers: 0 })
    const mixed = join(dir, 'mixed')
    await cp(s.gtDir, join(mixed, 'gt'), { recursive: true })
    await cp(s.predDir, join(mixed, 'pred'), { recursive: true })
    const files = (await readdir(join(mixed, 'gt'))).sort()
    for (const [k, f] of files.entries()) {
      const side = k % 3 === 0 ? 'gt' : k % 3 === 1 ? 'pred' : null
      if (side === null) continue
      const at = join(mixed, side, f)
      await writeFile(at, await sharp(await readFile(at)).png({ progressive: true }).toBuffer())
    }
    for (const o of [{ workers: 0 }, { workers: 0, maxInFlight: 64 }, { workers: 2 }]) {
      const seen: (number | string)[] = []
      const r = await evalPanoptic({ gtJson: s.gtJson, gtDir: join(mixed, 'gt'), predJson: s.predJson, predDir: join(mixed, 'pred'), ...o }, (x) => seen.push(x.gt.image_id))
      expect(r.pq, JSON.stringify(o)).toEqual(base.r.pq)
      expect(r.stats, JSON.stringify(o)).toEqual(base.r.stats)
      expect(seen).toEqual(base.seen)
    }
  })

  it('reports the earliest broken image whatever the batching', async () => {
    const s = await setUp()
    const pred = JSON.parse(await readFile(s.predJson, 'utf8')) as { annotations: { image_id: number; segments_info: unknown[] }[] }
    // Predictions are listed in reverse; break GT images 13 and 30 (both mid-batch) by listing a segment with no pixels.
    for (const imageId of [100013, 100030]) {
      const a = pred.annotations.find((x) => x.image_id === imageId)
      a?.segments_info.push({ id: 0xfffffe, category_id: 1 })
    }
    const bad = join(dir, 'bad-pred.json')
    await writeFile(bad, JSON.stringify(pred))
    const at = pred.annotations.findIndex((x) => x.image_id === 100013)
    for (const o of [{ workers: 0 }, { workers: 2 }, { workers: 2, maxInFlight: 2 }, { workers: 1 }]) {
      const run = evalPanoptic({ gtJson: s.gtJson, gtDir: s.gtDir, predJson: bad, predDir: s.predDir, ...o })
      await expect(run, JSON.stringify(o)).rejects.toThrow(PixcapError)
      await expect(run, JSON.stringify(o)).rejects.toThrow(`${bad}: annotations[${at}].segments_info[`)
      await expect(run, JSON.stringify(o)).rejects.toThrow('(image_id 100013)')
    }
  })
})
