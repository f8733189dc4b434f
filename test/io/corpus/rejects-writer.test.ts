import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openRejectsWriter } from '../../../src/io/corpus/rejects-writer.js'
import type { RejectRecord } from '../../../src/records/index.js'
import { useTempDir } from '../../helpers/temp-dir.js'

let dir: string
useTempDir('pixcap-rejects-', (d) => (dir = d))

const reject = (i: number): RejectRecord => ({ source: 'pix2cap-coco', imageId: i, segmentId: i, regionId: `${i}:${i}`, reason: i % 2 ? 'crowd' : 'tiny_box', detail: `d${i}` })

describe('openRejectsWriter', () => {
  it('writes one JSON line per reject, in order, only visible after close', async () => {
    const dest = join(dir, 'a', 'rejects.jsonl')
    const w = await openRejectsWriter(dest)
    // enough lines to cross the flush threshold
    for (let i = 0; i < 5000; i++) await w.write(reject(i))
    expect((await readdir(join(dir, 'a'))).filter((f) => f === 'rejects.jsonl')).toEqual([])
    await w.close()
    const lines = (await readFile(dest, 'utf8')).split('\n')
    expect(lines.pop()).toBe('')
    expect(lines.map((l) => JSON.parse(l))).toEqual(Array.from({ length: 5000 }, (_, i) => reject(i)))
    expect(w.counts).toEqual({ total: 5000, byReason: { tiny_box: 2500, crowd: 2500 } })
  })

  it('abort leaves nothing behind; an invalid reject is refused', async () => {
    const w = await openRejectsWriter(join(dir, 'b', 'rejects.jsonl'))
    await expect(w.write({ ...reject(1), reason: 'nope' as RejectRecord['reason'] })).rejects.toThrow()
    await w.abort()
    expect(await readdir(join(dir, 'b'))).toEqual([])
  })
})
