// Each box convention on known boxes of square and non-square images. Expected numbers are worked out by hand from
// the cited rule (the working is in the comments), not produced by the code under test.
import { describe, expect, it } from 'vitest'
import { BOX_CONVENTIONS, pyRound, pyRound2, smartResize, squarePadding, type BoxConventionName } from '../../src/formats/box-convention.js'
import type { BBoxXYWH } from '../../src/records/region-record.js'

interface Case {
  convention: BoxConventionName
  image: [number, number] // W, H
  bbox: BBoxXYWH
  numbers: number[]
  inline: string
}

// 640x480, bbox [100, 50, 200, 300] -> pixel xyxy [100, 50, 300, 350].
// Padded square (expand2square): S = 640, dx = 0, dy = (640 - 480) // 2 = 80 -> [100, 130, 300, 430] / 640
//   = [0.15625, 0.203125, 0.46875, 0.671875].
// Qwen2.5-VL: smart_resize(480, 640) = (round(480/28)*28, round(640/28)*28) = (17*28, 23*28) = (476, 644), within
//   [56*56, 14*14*4*1280]; x * 644/640, y * 476/480 -> [100.625, 49.58, 301.875, 347.08] -> round -> [101, 50, 302, 347].
// 1000-grids: int(100*1000/640) = 156, int(50*1000/480) = 104, int(300*1000/640) = 468, int(350*1000/480) = 729.
const wide: Case[] = [
  { convention: 'original-3dp', image: [640, 480], bbox: [100, 50, 200, 300], numbers: [0.15625, 50 / 480, 0.46875, 350 / 480], inline: '[0.156,0.104,0.469,0.729]' },
  { convention: 'llava-1.5', image: [640, 480], bbox: [100, 50, 200, 300], numbers: [0.15625, 0.203125, 0.46875, 0.671875], inline: '[0.16, 0.2, 0.47, 0.67]' },
  { convention: 'shikra', image: [640, 480], bbox: [100, 50, 200, 300], numbers: [0.15625, 0.203125, 0.46875, 0.671875], inline: '[0.156,0.203,0.469,0.672]' },
  { convention: 'ferret', image: [640, 480], bbox: [100, 50, 200, 300], numbers: [156, 104, 468, 729], inline: '[156, 104, 468, 729]' },
  { convention: 'qwen-vl', image: [640, 480], bbox: [100, 50, 200, 300], numbers: [156, 104, 468, 729], inline: '<box>(156,104),(468,729)</box>' },
  { convention: 'qwen2.5-vl', image: [640, 480], bbox: [100, 50, 200, 300], numbers: [101, 50, 302, 347], inline: '[101, 50, 302, 347]' },
  { convention: 'qwen3-vl', image: [640, 480], bbox: [100, 50, 200, 300], numbers: [156, 104, 468, 729], inline: '[156, 104, 468, 729]' },
  { convention: 'internvl', image: [640, 480], bbox: [100, 50, 200, 300], numbers: [156, 104, 468, 729], inline: '<box>[[156, 104, 468, 729]]</box>' },
  { convention: 'gpt4roi', image: [640, 480], bbox: [100, 50, 200, 300], numbers: [0.15625, 50 / 480, 0.46875, 350 / 480], inline: '<bbox>' },
]

// 300x600 (tall), bbox [30, 60, 90, 120] -> xyxy [30, 60, 120, 180]. Padded square: S = 600, dx = (600-300)//2 = 150,
// dy = 0 -> [180, 60, 270, 180] / 600 = [0.3, 0.1, 0.45, 0.3]. smart_resize(600, 300) = (21*28, 11*28) = (588, 308):
// [30*308/300, 60*588/600, 120*308/300, 180*588/600] = [30.8, 58.8, 123.2, 176.4] -> [31, 59, 123, 176].
const tall: Case[] = [
  { convention: 'llava-1.5', image: [300, 600], bbox: [30, 60, 90, 120], numbers: [0.3, 0.1, 0.45, 0.3], inline: '[0.3, 0.1, 0.45, 0.3]' },
  { convention: 'shikra', image: [300, 600], bbox: [30, 60, 90, 120], numbers: [0.3, 0.1, 0.45, 0.3], inline: '[0.300,0.100,0.450,0.300]' },
  { convention: 'qwen2.5-vl', image: [300, 600], bbox: [30, 60, 90, 120], numbers: [31, 59, 123, 176], inline: '[31, 59, 123, 176]' },
  { convention: 'ferret', image: [300, 600], bbox: [30, 60, 90, 120], numbers: [100, 100, 400, 300], inline: '[100, 100, 400, 300]' },
]

// 500x500 (square), bbox [0, 250, 500, 250] touches the right and bottom edges: no padding; grids that stop at 999
// (Ferret, Qwen-VL) clamp int(500*1000/500) = 1000 to 999, the 0..1000 grids keep 1000. smart_resize(500, 500) =
// (18*28, 18*28) = (504, 504): [0, 252, 504, 504].
const square: Case[] = [
  { convention: 'original-3dp', image: [500, 500], bbox: [0, 250, 500, 250], numbers: [0, 0.5, 1, 1], inline: '[0.000,0.500,1.000,1.000]' },
  { convention: 'llava-1.5', image: [500, 500], bbox: [0, 250, 500, 250], numbers: [0, 0.5, 1, 1], inline: '[0.0, 0.5, 1.0, 1.0]' },
  { convention: 'ferret', image: [500, 500], bbox: [0, 250, 500, 250], numbers: [0, 500, 999, 999], inline: '[0, 500, 999, 999]' },
  { convention: 'qwen-vl', image: [500, 500], bbox: [0, 250, 500, 250], numbers: [0, 500, 999, 999], inline: '<box>(0,500),(999,999)</box>' },
  { convention: 'qwen3-vl', image: [500, 500], bbox: [0, 250, 500, 250], numbers: [0, 500, 1000, 1000], inline: '[0, 500, 1000, 1000]' },
  { convention: 'internvl', image: [500, 500], bbox: [0, 250, 500, 250], numbers: [0, 500, 1000, 1000], inline: '<box>[[0, 500, 1000, 1000]]</box>' },
  { convention: 'qwen2.5-vl', image: [500, 500], bbox: [0, 250, 500, 250], numbers: [0, 252, 504, 504], inline: '[0, 252, 504, 504]' },
]

describe('box conventions', () => {
  it.each([...wide, ...tall, ...square])('$convention on $image.0x$image.1 $bbox', ({ convention, image, bbox, numbers, inline }) => {
    const c = BOX_CONVENTIONS[convention]
    const got = c.encode(bbox, image[0], image[1])
    got.forEach((v, i) => expect(v).toBeCloseTo(numbers[i]!, 12))
    expect(c.inline(got)).toBe(inline)
  })

  it('every convention names the upstream rule it follows', () => {
    for (const c of Object.values(BOX_CONVENTIONS)) expect(c.source.length).toBeGreaterThan(20)
  })

  it('expand2square pads the short side equally, floor on odd differences (llava/mm_utils.py L150-161)', () => {
    expect(squarePadding(640, 480)).toEqual({ side: 640, dx: 0, dy: 80 })
    expect(squarePadding(300, 601)).toEqual({ side: 601, dx: 150, dy: 0 })
    expect(squarePadding(333, 333)).toEqual({ side: 333, dx: 0, dy: 0 })
  })

  it('smart_resize: rounding to 28, and the max_pixels branch (4000x3000 -> beta = sqrt(12e6 / 1003520))', () => {
    expect(smartResize(480, 640)).toEqual({ height: 476, width: 644 })
    // beta = 3.4580; floor(3000 / 3.458 / 28) = 30 -> 840; floor(4000 / 3.458 / 28) = 41 -> 1148.
    expect(smartResize(3000, 4000)).toEqual({ height: 840, width: 1148 })
    // min_pixels branch: 40x40 rounds to 28x28 = 784 < 3136; beta = sqrt(3136/1600) = 1.4; ceil(56/28)*28 = 56.
    expect(smartResize(40, 40)).toEqual({ height: 56, width: 56 })
  })

  it("Python's round: half to even, and round(v, 2) printed as Python prints it", () => {
    expect([0.5, 1.5, 2.5, 2.4, 2.6].map(pyRound)).toEqual([0, 2, 2, 2, 3])
    // round(0.125, 2) = 0.12 and round(0.375, 2) = 0.38 (exact binary ties, half to even); 0.6 not 0.60; 1 -> 1.0.
    expect([0.125, 0.375, 0.6, 1, 0, 0.505].map(pyRound2)).toEqual(['0.12', '0.38', '0.6', '1.0', '0.0', '0.51'])
  })

  it('answers: JSON bbox_2d for Qwen2.5/3-VL, <ref><box> for InternVL and Qwen-VL', () => {
    const items = [{ label: 'a dog', xyxy: [1, 2, 3, 4] }]
    expect(JSON.parse(BOX_CONVENTIONS['qwen2.5-vl'].answer(items).replace(/^```json\n|\n```$/g, ''))).toEqual([{ bbox_2d: [1, 2, 3, 4], label: 'a dog' }])
    expect(BOX_CONVENTIONS.internvl.answer(items)).toBe('<ref>a dog</ref><box>[[1, 2, 3, 4]]</box>')
    expect(BOX_CONVENTIONS['qwen-vl'].answer(items)).toBe('<ref>a dog</ref><box>(1,2),(3,4)</box>')
  })
})
