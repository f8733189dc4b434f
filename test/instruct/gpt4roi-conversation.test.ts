import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { BEGIN_STRING } from '../../src/instruct/gpt4roi-tokens.js'
import { isSmallAt224, normaliseBox } from '../../src/instruct/region-selection.js'
import { buildGpt4RoiConversations, checkSample, chunkSizes, countToken, type RegionSample } from '../../src/instruct/gpt4roi-conversation.js'
import { loadTemplates } from '../../src/instruct/load-templates.js'
import { fillTemplate, type TemplateSet } from '../../src/instruct/template-set.js'
import type { ImageRecord, RegionRecord } from '../../src/records/region-record.js'
import { HAS_SHARED, PIX2CAP_SAMPLE_JSON } from '../helpers/fixtures.js'
import { readSampleImages } from '../helpers/pix2cap-images.js'

const templates = (await loadTemplates()).templates
const sampleImages = await readSampleImages()

function region(i: number, bbox: [number, number, number, number], captions = [`caption of region ${i}`]): RegionRecord {
  return { regionId: `7:${i}`, segmentId: i, categoryId: 1, category: 'person', isThing: true, isCrowd: false, bbox, area: bbox[2] * bbox[3], captions }
}

function image(regions: RegionRecord[], size: [number, number] = [640, 480]): ImageRecord {
  return { source: 'test', split: 'val', imageId: 7, imagePath: '7.jpg', width: size[0], height: size[1], regions }
}

/** Every human question must be a template with its slot filled by `region{k} <bbox>`, k = the turn's region. */
function questionTemplateIds(sample: RegionSample, set: TemplateSet): string[] {
  return sample.conversations
    .filter((t) => t.from === 'human')
    .map((turn, k) => {
      const q = k === 0 ? turn.value.slice(BEGIN_STRING.length) : turn.value
      const hit = set.single_region.find((tpl) => fillTemplate(tpl, { region: `region${k + 1} <bbox>` }) === q)
      if (hit === undefined) throw new Error(`question not from the template file: ${JSON.stringify(q)}`)
      return hit.id
    })
}

function allSamplesOk(samples: RegionSample[]): void {
  for (const s of samples) {
    const text = s.conversations.map((t) => t.value).join('\n')
    expect(countToken(text, '<bbox>')).toBe(s.boxes.length)
    expect(s.regions).toHaveLength(s.boxes.length)
    expect(s.conversations[0]?.value.startsWith(BEGIN_STRING)).toBe(true)
    expect(countToken(text, '<image>')).toBe(1)
  }
}

describe.skipIf(!HAS_SHARED)('GPT4RoI conversations on the Pix2Cap sample', () => {
  const images = sampleImages
  const byId = new Map(images.flatMap((im) => im.regions.map((r) => [r.regionId, { im, r }] as const)))
  // The raw JSON, read independently of the reader: `<image_id>:<segment id>` -> bbox, and image sizes.
  const raw = HAS_SHARED ? JSON.parse(readFileSync(PIX2CAP_SAMPLE_JSON, 'utf8')) : { images: [], annotations: [] }
  const rawBox = new Map<string, number[]>(
    raw.annotations.flatMap((a: any) => a.segments_info.map((s: any) => [`${a.image_id}:${s.id}`, s.bbox])),
  )
  const rawSize = new Map<number, [number, number]>(raw.images.map((i: any) => [i.id, [i.width, i.height]]))
  const build = (seed: number, im: ImageRecord, maxRegions?: number) => buildGpt4RoiConversations(im, { seed, templates, maxRegions })

  it('counts, boxes, templates and answers hold in every sample', () => {
    for (const seed of [0, 1, 42]) {
      for (const im of images) {
        const { samples } = build(seed, im)
        allSamplesOk(samples)
        for (const s of samples) {
          expect(s.regions.length).toBeLessThanOrEqual(15)
          expect(s.id).toBe(`${im.imageId}-${s.chunk}`)
          expect(questionTemplateIds(s, templates)).toEqual(s.templateIds)
          s.regions.forEach((r, k) => {
            // The box is the JSON box normalised by the image size, in <bbox> order.
            const src = byId.get(r.regionId)
            expect(src).toBeDefined()
            const [x, y, w, h] = rawBox.get(r.regionId)!
            const [W, H] = rawSize.get(Number(im.imageId))!
            expect(s.boxes[k]).toEqual([x! / W, y! / H, (x! + w!) / W, (y! + h!) / H])
            // The answer to question k is one of region k's captions.
            expect(src!.r.captions).toContain(s.conversations[2 * k + 1]?.value)
          })
          // Only the first human turn carries the begin string.
          expect(s.conversations.slice(1).some((t) => t.value.includes('<image>'))).toBe(false)
        }
      }
    }
  })

  it('splits the 32-region image into 3 samples covering every region exactly once', () => {
    const im = images.find((i) => i.imageId === 439180)!
    expect(im.regions).toHaveLength(32)
    const { samples, rejects } = build(3, im)
    expect(rejects).toEqual([])
    expect(samples).toHaveLength(3)
    expect(samples.map((s) => s.regions.length)).toEqual([11, 11, 10])
    const ids = samples.flatMap((s) => s.regions.map((r) => r.regionId))
    expect(ids).toHaveLength(32)
    expect(new Set(ids)).toEqual(new Set(im.regions.map((r) => r.regionId)))
    // Region numbering restarts in every sample.
    for (const s of samples) expect(s.conversations.at(-2)?.value).toContain(`region${s.regions.length} <bbox>`)
  })

  it('honours maxRegions', () => {
    const im = images.find((i) => i.imageId === 439180)!
    const { samples } = build(3, im, 5)
    expect(samples.map((s) => s.regions.length)).toEqual([5, 5, 5, 5, 4, 4, 4])
    allSamplesOk(samples)
  })

  it('reports the empty-caption region instead of dropping it silently', () => {
    const im = images.find((i) => i.imageId === 142238)!
    const { samples, rejects } = build(0, im)
    expect(rejects).toEqual([
      expect.objectContaining({ imageId: 142238, segmentId: 3997935, regionId: '142238:3997935', reason: 'empty_caption' }),
    ])
    expect(samples.reduce((n, s) => n + s.regions.length, 0) + rejects.length).toBe(im.regions.length)
  })

  it('same input and seed give identical samples; another seed changes only order, templates and caption picks', () => {
    for (const im of images) {
      const a = build(11, im)
      expect(build(11, im)).toEqual(a)
      const b = build(12, im)
      const regionsOf = (r: typeof a) => r.samples.flatMap((s) => s.regions.map((x, k) => ({ id: x.regionId, box: s.boxes[k] })))
      const sortById = <T extends { id: string }>(xs: T[]) => [...xs].sort((p, q) => p.id.localeCompare(q.id))
      expect(sortById(regionsOf(b))).toEqual(sortById(regionsOf(a)))
      expect(regionsOf(b).map((r) => r.id)).not.toEqual(regionsOf(a).map((r) => r.id))
      expect(b.samples.flatMap((s) => s.templateIds)).not.toEqual(a.samples.flatMap((s) => s.templateIds))
      // Single-caption regions keep their caption under any seed.
      for (const s of b.samples) s.regions.forEach((r, k) => r.captions.length === 1 && expect(s.captions[k]).toBe(r.captions[0]))
    }
  })

  it('does not depend on which other images were processed first (shards agree)', () => {
    const [p, q] = images as [ImageRecord, ImageRecord]
    const first = [p, q].map((im) => build(5, im))
    const reversed = [q, p].map((im) => build(5, im)).reverse()
    expect(reversed).toEqual(first)
  })

  it('referring: one token per region in the first turn, answers name the region of the caption', () => {
    for (const im of images) {
      const { samples } = buildGpt4RoiConversations(im, { seed: 9, templates, task: 'referring' })
      allSamplesOk(samples)
      for (const s of samples) {
        expect(countToken(s.conversations[0]!.value, '<bbox>')).toBe(s.regions.length)
        const answers = s.conversations.filter((t) => t.from === 'gpt').map((t) => t.value)
        expect([...answers].sort()).toEqual(s.regions.map((_, k) => `region${k + 1}`).sort())
        s.conversations.forEach((turn, i) => {
          if (turn.from !== 'human') return
          const k = Number(/^region(\d+)$/.exec(s.conversations[i + 1]!.value)![1]) - 1
          expect(turn.value).toContain(s.captions[k])
        })
      }
    }
  })
})

describe('GPT4RoI rules on constructed images', () => {
  it.each([
    { n: 0, max: 15, want: [] },
    { n: 15, max: 15, want: [15] },
    { n: 16, max: 15, want: [8, 8] },
    { n: 32, max: 15, want: [11, 11, 10] },
    { n: 7, max: 1, want: [1, 1, 1, 1, 1, 1, 1] },
  ])('chunkSizes($n, $max)', ({ n, max, want }) => expect(chunkSizes(n, max)).toEqual(want))

  it('normalises xywh to xyxy by the image size', () => {
    expect(normaliseBox([64, 48, 320, 240], 640, 480)).toEqual([0.1, 0.1, 0.6, 0.6])
  })

  it.each([
    // 448 px wide: 2 * 448 / 224 = 4 px is the limit; w <= 4 is dropped (GPT4RoI keeps w > 2 at 224).
    { bbox: [0, 0, 4, 100], size: [448, 448], small: true },
    { bbox: [0, 0, 5, 100], size: [448, 448], small: false },
    { bbox: [0, 0, 100, 4], size: [448, 448], small: true },
    { bbox: [0, 0, 3, 50], size: [640, 480], small: true }, // 3 * 224 / 640 = 1.05 px
    { bbox: [0, 0, 9, 44], size: [640, 427], small: false }, // 3.15 px wide: kept
  ] as const)('isSmallAt224($bbox in $size) = $small', ({ bbox, size, small }) => {
    expect(isSmallAt224(bbox, size[0], size[1])).toBe(small)
  })

  it('reports small boxes as small_box_224 rejects only when asked', () => {
    const im = image([region(1, [0, 0, 4, 100]), region(2, [10, 10, 50, 50])], [448, 448])
    const off = buildGpt4RoiConversations(im, { seed: 1, templates })
    expect(off.rejects).toEqual([])
    expect(off.samples[0]?.regions).toHaveLength(2)
    const on = buildGpt4RoiConversations(im, { seed: 1, templates, dropSmall224: true })
    expect(on.samples[0]?.regions.map((r) => r.segmentId)).toEqual([2])
    expect(on.rejects).toEqual([
      {
        source: 'test',
        imageId: 7,
        segmentId: 1,
        regionId: '7:1',
        reason: 'small_box_224',
        detail: 'bbox [0, 0, 4, 100] is 2.00 x 50.00 px after the 448x448 -> 224x224 stretch; GPT4RoI drops w or h <= 2',
      },
    ])
  })

  it('rejects a caption that contains a region token instead of breaking the count', () => {
    const im = image([region(1, [0, 0, 50, 50], ['a <bbox> inside']), region(2, [10, 10, 50, 50])])
    const { samples, rejects } = buildGpt4RoiConversations(im, { seed: 1, templates })
    expect(rejects.map((r) => [r.segmentId, r.reason])).toEqual([[1, 'invalid']])
    allSamplesOk(samples)
  })

  it('picks among several captions with the rng, reproducibly', () => {
    const caps = ['first', 'second', 'third']
    const picked = new Set<string>()
    for (let seed = 0; seed < 20; seed++) {
      const s = buildGpt4RoiConversations(image([region(1, [0, 0, 50, 50], caps)]), { seed, templates }).samples[0]!
      expect(caps).toContain(s.captions[0])
      expect(s.conversations[1]?.value).toBe(s.captions[0])
      picked.add(s.captions[0]!)
    }
    expect(picked.size).toBeGreaterThan(1)
  })

  it('checkSample throws an invariant error when tokens and boxes disagree', () => {
    const s = buildGpt4RoiConversations(image([region(1, [0, 0, 50, 50])]), { seed: 1, templates }).samples[0]!
    const broken = { ...s, conversations: [...s.conversations, { from: 'human' as const, value: 'and region2 <bbox>?' }] }
    expect(() => checkSample(broken)).toThrow('test: sample 7-0: 2 "<bbox>" tokens but 1 boxes; the k-th token must get boxes[k]')
    const outside = { ...s, boxes: [[0, 0, 1.2, 0.5] as [number, number, number, number]] }
    expect(() => checkSample(outside)).toThrow('boxes[0] = [0, 0, 1.2, 0.5] is not a normalised xyxy box in [0, 1]')
  })

  it('throws on an out-of-image box instead of writing it', () => {
    expect(() => buildGpt4RoiConversations(image([region(1, [600, 10, 80, 50])]), { seed: 1, templates })).toThrow(/invariant|not a normalised xyxy box/)
  })

  it('refuses a bad maxRegions', () => {
    expect(() => buildGpt4RoiConversations(image([]), { seed: 1, templates, maxRegions: 0 })).toThrow('maxRegions must be a positive integer, got 0')
  })
})
