import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { execa } from 'execa'
import { describe, expect, it } from 'vitest'
import { hammingDistance, lowFrequencyDct, lumaOf, phashFromGray, phashFromHex, phashToHex, popcount32 } from '../../src/geometry/phash.js'
import { fingerprintImage } from '../../src/io/png/image-fingerprint.js'
import { sha256 } from '../../src/util/sha256.js'
import { createRng } from '../../src/util/rng.js'
import { HAS_PYTHON, PYTHON, REPO_ROOT } from '../helpers/fixtures.js'
import { sceneJpeg } from '../helpers/curation-corpus.js'
import { useTempDir } from '../helpers/temp-dir.js'

/** The 2-D DCT-II coefficient (k, l) of a 32x32 block, straight from the definition (no factor 2 per axis). */
function dctByDefinition(gray: Float64Array, k: number, l: number): number {
  let s = 0
  for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) s += gray[y * 32 + x]! * Math.cos((Math.PI * k * (2 * y + 1)) / 64) * Math.cos((Math.PI * l * (2 * x + 1)) / 64)
  return s
}

describe('phash (imagehash DCT pHash)', () => {
  it('lowFrequencyDct equals the DCT-II definition on the 8x8 block, rows along axis 0', () => {
    const rng = createRng(3)
    const gray = Float64Array.from({ length: 1024 }, () => rng.int(256))
    const dct = lowFrequencyDct(gray)
    for (const [k, l] of [[0, 0], [0, 5], [3, 1], [7, 7], [6, 2]] as const) expect(dct[k * 8 + l]).toBeCloseTo(dctByDefinition(gray, k, l), 6)
  })

  it('a horizontal ramp sets the first row of coefficients that are positive (bit order is row-major, MSB first)', () => {
    const gray = Float64Array.from({ length: 1024 }, (_, i) => 255 - (i % 32) * 8)
    const dct = lowFrequencyDct(gray)
    const sorted = Float64Array.from(dct).sort()
    const med = (sorted[31]! + sorted[32]!) / 2
    const bits = Array.from(dct, (v) => (v > med ? '1' : '0')).join('')
    expect(phashToHex(phashFromGray(gray))).toBe(BigInt(`0b${bits}`).toString(16).padStart(16, '0'))
  })

  it('rejects a block of the wrong size', () => {
    expect(() => phashFromGray(new Float64Array(100))).toThrow('pHash needs 32x32 = 1024 grayscale pixels, got 100')
  })

  it('lumaOf uses PIL convert("L") weights', () => {
    expect(Array.from(lumaOf([255, 0, 0, 0, 255, 0, 0, 0, 255], 3))).toEqual([76.245, 149.685, 29.07])
  })

  it('hex round-trips and distances count differing bits', () => {
    const a = phashFromHex('ffd7918181c9ffff')
    expect(phashToHex(a)).toBe('ffd7918181c9ffff')
    expect(hammingDistance(a, phashFromHex('9f172786e71f1e00'))).toBe(33) // imha's README pair: hash1 - hash2 == 33
    expect(popcount32(0xffffffff)).toBe(32)
    expect(() => phashFromHex('xyz')).toThrow('16 hex digits')
  })
})

describe('fingerprintImage', () => {
  let dir = ''
  useTempDir('pixcap-phash-', (d) => (dir = d))

  it('streams the sha256 of the file bytes and finds a re-encoded half-size copy within 4 bits, a different scene far away', async () => {
    const original = await sceneJpeg(1)
    await writeFile(join(dir, 'a.jpg'), original)
    await writeFile(join(dir, 'b.jpg'), await sceneJpeg(1, { quality: 55, scale: 0.5 }))
    await writeFile(join(dir, 'c.jpg'), await sceneJpeg(2))
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((n) => fingerprintImage(join(dir, `${n}.jpg`))))
    expect(a!.sha256).toBe(sha256(original))
    expect(a!.bytes).toBe(original.length)
    expect(hammingDistance(a!.phash, b!.phash)).toBeLessThanOrEqual(4)
    expect(hammingDistance(a!.phash, c!.phash)).toBeGreaterThan(12)
  })

  it('names the file when it cannot be read or decoded', async () => {
    await expect(fingerprintImage(join(dir, 'missing.jpg'))).rejects.toThrow(/missing\.jpg: cannot read the image/)
    await writeFile(join(dir, 'bad.jpg'), 'not a jpeg')
    await expect(fingerprintImage(join(dir, 'bad.jpg'))).rejects.toThrow(/bad\.jpg: cannot decode the image for its perceptual hash/)
  })

  it.skipIf(!HAS_PYTHON)('agrees with the numpy + PIL peer (imagehash steps) within a few bits on generated photos', async () => {
    const files: string[] = []
    for (let s = 0; s < 8; s++) {
      const f = join(dir, `peer${s}.jpg`)
      await writeFile(f, await sceneJpeg(100 + s, { quality: 80 }))
      files.push(f)
    }
    await writeFile(join(dir, 'list.txt'), files.join('\n'))
    const r = await execa(PYTHON, [join(REPO_ROOT, 'bench/phash_peer.py'), 'hash', join(dir, 'list.txt')])
    const peer = (JSON.parse(r.stdout) as { hashes: string[] }).hashes
    const ours = await Promise.all(files.map(async (f) => (await fingerprintImage(f)).phash))
    const apart = ours.map((h, i) => hammingDistance(h, phashFromHex(peer[i]!)))
    // PIL's LANCZOS and libvips' lanczos3 (after JPEG shrink-on-load) differ by rounding only: a few bits at most.
    expect(Math.max(...apart)).toBeLessThanOrEqual(4)
    expect(apart.reduce((x, y) => x + y, 0) / apart.length).toBeLessThanOrEqual(1.5)
  })
})
