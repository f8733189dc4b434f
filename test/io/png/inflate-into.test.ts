// RawInflater reuses one zlib engine and the caller's buffer. Its fast path uses node:zlib internals, so both paths
// must give the same answers on good, damaged, truncated and oversized streams, and a damaged stream must never
// leave a closed engine behind (writing to one aborts the process).
import zlib from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { RawInflater, type InflatePath } from '../../../src/io/png/inflate-into.js'
import { createRng } from '../../../src/util/rng.js'

function sampleData(n: number, seed: number): Buffer {
  const rng = createRng(seed)
  const out = Buffer.alloc(n)
  for (let i = 0; i < n; ) {
    const run = 1 + rng.int(200)
    out.fill(rng.int(4), i, Math.min(n, i + run))
    i += run
  }
  return out
}

const PATHS: InflatePath[] = ['native-handle', 'public-api']

describe('RawInflater', () => {
  it('takes the native-handle path on Node 20, the version pixcap targets and CI runs', () => {
    const major = Number(process.versions.node.split('.')[0])
    if (major === 20) expect(new RawInflater().path).toBe('native-handle')
    else expect(['native-handle', 'public-api']).toContain(new RawInflater().path)
    expect(new RawInflater({ path: 'public-api' }).path).toBe('public-api')
  })

  it.each(PATHS)('%s: inflates into the caller buffer, again and again', (path) => {
    const inf = new RawInflater({ path: path === 'native-handle' ? undefined : path })
    const out = new Uint8Array(300_001)
    for (const seed of [1, 2, 3]) {
      const data = sampleData(100_000 * seed, seed)
      const n = inf.inflate(zlib.deflateRawSync(data, { level: seed * 3 }), out)
      expect(n).toBe(data.length)
      expect(Buffer.from(out.subarray(0, data.length)).equals(data)).toBe(true)
    }
  })

  it.each(PATHS)('%s: null for damaged, truncated, empty and too-large streams, and recovers after each', (path) => {
    const inf = new RawInflater({ path: path === 'native-handle' ? undefined : path })
    const data = sampleData(50_000, 9)
    const z = zlib.deflateRawSync(data)
    const out = new Uint8Array(data.length + 1)
    const good = () => {
      out.fill(0)
      expect(inf.inflate(z, out)).toBe(data.length)
      expect(Buffer.from(out.subarray(0, data.length)).equals(data)).toBe(true)
    }
    const bad: [string, Uint8Array, Uint8Array][] = [
      ['not deflate', Buffer.from([0xff, 0xff, 0xff, 0xff, 1, 2, 3]), out],
      ['truncated', z.subarray(0, z.length >> 1), out],
      ['empty', new Uint8Array(0), out],
      ['exactly the buffer size (no spare byte)', z, new Uint8Array(data.length)],
      ['larger than the buffer', z, new Uint8Array(1000)],
    ]
    for (const [what, input, into] of bad) {
      expect(inf.inflate(input, into), what).toBeNull()
      good()
    }
    // Bytes after the end of the deflate stream are not part of it (zlib stops at the end block).
    expect(inf.inflate(Buffer.concat([z, Buffer.from([1, 2, 3])]), out)).toBe(data.length)
  })

  it('the two paths agree byte for byte', () => {
    const fast = new RawInflater()
    const slow = new RawInflater({ path: 'public-api' })
    for (const seed of [4, 5, 6, 7]) {
      const z = zlib.deflateRawSync(sampleData(20_000 + seed * 999, seed))
      const a = new Uint8Array(70_000)
      const b = new Uint8Array(70_000)
      const n = fast.inflate(z, a) as number
      expect(n).toBeGreaterThan(20_000)
      expect(slow.inflate(z, b)).toBe(n)
      // Only the first n bytes are the output: zlib may use the room after them as scratch.
      expect(Buffer.from(a.subarray(0, n)).equals(Buffer.from(b.subarray(0, n)))).toBe(true)
    }
  })
})
