// The pure decisions of split, mix, dedup and contamination: seeded plans, targets, caption similarity, region
// removal from a GPT4RoI row, and the parsing of command-line specs.
import { describe, expect, it } from 'vitest'
import { captionSimilarity, levenshtein, normalizeCaption } from '../../src/dataset/caption-similarity.js'
import { dropRowRegions, regionDropBlocker } from '../../src/dataset/drop-regions.js'
import { cocoIdOfFileName, parseEvaluationSetSpec } from '../../src/dataset/evaluation-sets.js'
import { drawMultiplicities, mixTargets, parseMixPart } from '../../src/dataset/mix-corpora.js'
import { checkSplitRatios, parseSplitRatios, planImageSplit, splitSizes } from '../../src/dataset/split-corpus.js'

describe('split plan', () => {
  it('sizes by largest remainder and sums to n', () => {
    expect(splitSizes(10, parseSplitRatios('train=0.9,validation=0.05,test=0.05'))).toEqual([9, 1, 0])
    expect(splitSizes(7, parseSplitRatios('a=0.5,b=0.5'))).toEqual([4, 3])
    expect(splitSizes(0, parseSplitRatios('a=1'))).toEqual([0])
  })

  it('is a function of the keys and the seed; every key gets one split with the planned sizes', () => {
    const keys = Array.from({ length: 100 }, (_, i) => `img${i}`)
    const ratios = parseSplitRatios('train=0.8,validation=0.1,test=0.1')
    const a = planImageSplit(keys, ratios, 3)
    expect([...a.entries()]).toEqual([...planImageSplit(keys, ratios, 3).entries()])
    expect(a.size).toBe(100)
    const counts = [0, 0, 0]
    for (const s of a.values()) counts[s]!++
    expect(counts).toEqual([80, 10, 10])
    const b = planImageSplit(keys, ratios, 4)
    expect(keys.map((k) => b.get(k))).not.toEqual(keys.map((k) => a.get(k)))
  })

  it.each([
    ['train=0.5,train=0.5', 'split "train" is named twice'],
    ['train=1.2,test=-0.2', 'split "test": ratio must be > 0, got -0.2'],
    ['dev=1', 'split name "dev" is an alias; the Hub\'s canonical name is "validation"'],
    ['Training=1', 'split name "Training" is an alias; the Hub\'s canonical name is "train"'],
  ])('refuses %s', (text, message) => {
    expect(() => checkSplitRatios(parseSplitRatios(text))).toThrow(message)
  })
})

describe('mix plan', () => {
  it('weights share a total by largest remainder; counts are taken as given', () => {
    expect(mixTargets([{ weight: 1 }, { weight: 2 }], [10, 10], 10)).toEqual([3, 7])
    expect(mixTargets([{ weight: 1 }, { weight: 1 }], [6, 40])).toEqual([23, 23])
    expect(mixTargets([{ count: 5 }, { count: 0 }], [1, 1])).toEqual([5, 0])
    expect(() => mixTargets([{ weight: 1 }, { count: 3 }], [1, 1])).toThrow('give every part a weight (dir:0.3) or every part a count (dir=20000), not a mixture')
    expect(() => mixTargets([{ count: 3 }], [1], 10)).toThrow('--total applies to weights')
  })

  it('draws each row floor(target/rows) times plus a seeded remainder without replacement', () => {
    const up = drawMultiplicities(4, 10, 1)
    expect([...up].reduce((a, b) => a + b, 0)).toBe(10)
    expect([...up].every((m) => m === 2 || m === 3)).toBe(true)
    const down = drawMultiplicities(10, 3, 1)
    expect([...down].filter((m) => m === 1).length).toBe(3)
    expect([...down].every((m) => m <= 1)).toBe(true)
    expect([...drawMultiplicities(10, 3, 1)]).toEqual([...down])
  })

  it('parses DIR:WEIGHT and DIR=COUNT', () => {
    expect(parseMixPart('corpora/vg:0.25')).toEqual({ dir: 'corpora/vg', weight: 0.25 })
    expect(parseMixPart('refcocog=20000')).toEqual({ dir: 'refcocog', count: 20000 })
    expect(() => parseMixPart('vg')).toThrow('--part: expected DIR:WEIGHT')
  })
})

describe('caption similarity', () => {
  it('normalises case, spaces and end punctuation; scores by Levenshtein', () => {
    expect(normalizeCaption('  A man in a  RED shirt. ')).toBe('a man in a red shirt')
    expect(levenshtein('kitten', 'sitting')).toBe(3)
    expect(captionSimilarity('A man in a red shirt.', 'a man in a red shirt')).toBe(1)
    expect(captionSimilarity('a man in a red shirt', 'a man in a red shirts')).toBeCloseTo(20 / 21, 10)
    expect(captionSimilarity('a dog', 'a red bus')).toBeLessThan(0.5)
  })
})

describe('removing regions from a gpt4roi row', () => {
  const BEGIN = 'The <image> provides an overview of the picture.\n'
  const row = {
    id: 'r',
    regions: [{ region_id: 'a' }, { region_id: 'b' }, { region_id: 'c' }],
    boxes: [[0, 0, 1, 1], [0, 0, 0.5, 0.5], [0.5, 0.5, 1, 1]],
    template_ids: ['t1', 't2', 't3'],
    masks: [],
    conversations: [
      { from: 'human', value: `${BEGIN}Describe region1 <bbox>.` }, { from: 'gpt', value: 'A' },
      { from: 'human', value: 'What is region2 <bbox>?' }, { from: 'gpt', value: 'B' },
      { from: 'human', value: 'And region3 <bbox>?' }, { from: 'gpt', value: 'C' },
    ],
  }
  it('drops the region, its box, template id and turns, renumbers, and keeps the begin string first', () => {
    const out = dropRowRegions(row, new Set([0]), { file: 'm.json', row: 0 })!
    expect(out.regions).toEqual([{ region_id: 'b' }, { region_id: 'c' }])
    expect(out.boxes).toEqual([[0, 0, 0.5, 0.5], [0.5, 0.5, 1, 1]])
    expect(out.template_ids).toEqual(['t2', 't3'])
    expect(out.masks).toEqual([]) // an empty masks column (no masks) stays empty
    expect((out.conversations as { value: string }[]).map((t) => t.value)).toEqual([`${BEGIN}What is region1 <bbox>?`, 'B', 'And region2 <bbox>?', 'C'])
    expect(dropRowRegions(row, new Set([0, 1, 2]), { file: 'm.json', row: 0 })).toBeNull()
  })

  it('refuses a row without one question/answer pair per region, naming the row', () => {
    const referring = { ...row, conversations: row.conversations.slice(0, 2) }
    expect(regionDropBlocker(referring)).toBe('2 turns for 3 regions; one question/answer pair per region is needed (gpt4roi --task region_caption)')
    expect(() => dropRowRegions(referring, new Set([1]), { file: 'manifest.json', row: 7 })).toThrow('manifest.json: [7]: cannot remove single regions from this row')
  })
})

describe('evaluation sets', () => {
  it('parses [NAME=]PATH[@IMAGES] and reads COCO ids from file names', () => {
    expect(parseEvaluationSetSpec('vg_test=grit/test.json@vg/VG_100K')).toEqual({ name: 'vg_test', path: 'grit/test.json', imagesDir: 'vg/VG_100K' })
    expect(parseEvaluationSetSpec('annotations/final_refcocog_val.json')).toEqual({ name: 'final_refcocog_val', path: 'annotations/final_refcocog_val.json' })
    expect(cocoIdOfFileName('COCO_train2014_000000581857.jpg')).toBe(581857)
    expect(cocoIdOfFileName('val2017/000000397133.jpg')).toBe(397133)
    expect(cocoIdOfFileName('VG_100K/2345.jpg')).toBeUndefined()
  })
})
