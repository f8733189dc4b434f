// phash: perceptual hashing (images/s) and near-duplicate search (all pairs within a Hamming radius among 100k
// hashes), each beside its Python peer in bench/phash_peer.py (numpy + PIL, imagehash's DCT pHash; numpy brute-force
// search). Self-contained: it makes its own synthetic JPEGs in a temp folder.
// Options: --phash-images=N (default 400, 640x480 JPEGs), --phash-hashes=N (default 100000), --phash-radius=R
// (default 8), --phash-peer-queries=Q (default 2000; the peer's all-pairs time is extrapolated from Q queries),
// --python=PATH.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import sharp from 'sharp'
import { pairsWithin } from '../../src/geometry/hamming-index.js'
import { phashToHex } from '../../src/geometry/phash.js'
import { fingerprintImages } from '../../src/io/png/image-fingerprint.js'
import { createRng } from '../../src/util/rng.js'
import type { BenchContext, BenchResult, BenchStage } from '../stage.js'

const HERE = dirname(fileURLToPath(import.meta.url))
const W = 640
const H = 480

/** A photo-like synthetic scene: a gradient sky, a few filled discs and boxes, mild noise (so JPEG has work). */
async function syntheticJpeg(seed: number): Promise<Buffer> {
  const rng = createRng(seed)
  const px = Buffer.alloc(W * H * 3)
  const shapes = Array.from({ length: 6 }, () => ({ x: rng.next() * W, y: rng.next() * H, r: 20 + rng.next() * 120, c: [rng.int(256), rng.int(256), rng.int(256)], disc: rng.next() < 0.5 }))
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = (y * W + x) * 3
      let c = [(y * 200) / H + 30, (x * 120) / W + 60, 180 - (y * 100) / H]
      for (const s of shapes) {
        const inside = s.disc ? (x - s.x) ** 2 + (y - s.y) ** 2 < s.r * s.r : Math.abs(x - s.x) < s.r && Math.abs(y - s.y) < s.r / 2
        if (inside) c = s.c
      }
      const n = rng.int(17) - 8
      px[i] = c[0]! + n
      px[i + 1] = c[1]! + n
      px[i + 2] = c[2]! + n
    }
  }
  return sharp(px, { raw: { width: W, height: H, channels: 3 } }).jpeg({ quality: 85 }).toBuffer()
}

const rss = (): number => Math.round(process.resourceUsage().maxRSS / 1024)

export const phashStage: BenchStage = {
  name: 'phash',
  async run(ctx: BenchContext): Promise<BenchResult[]> {
    const nImages = Number(ctx.options['phash-images'] ?? 400)
    const nHashes = Number(ctx.options['phash-hashes'] ?? 100_000)
    const radius = Number(ctx.options['phash-radius'] ?? 8)
    const peerQueries = Number(ctx.options['phash-peer-queries'] ?? 2000)
    const python = ctx.options.python ?? process.env.PIXCAP_PYTHON ?? resolve(HERE, '../../.venv/bin/python')
    const dir = await mkdtemp(join(tmpdir(), 'pixcap-bench-phash-'))
    const results: BenchResult[] = []
    try {
      const files: string[] = []
      for (let i = 0; i < nImages; i++) {
        const f = join(dir, `img${String(i).padStart(5, '0')}.jpg`)
        await writeFile(f, await syntheticJpeg(1000 + i))
        files.push(f)
      }
      await writeFile(join(dir, 'files.txt'), files.join('\n'))

      // Hashing: ours (sha256 + pHash, streamed, 8 in flight on libuv's pool), then the peer on the same files.
      const t0 = performance.now()
      const prints = await fingerprintImages(files, { concurrency: 8 })
      const hashMs = performance.now() - t0
      const ours: BenchResult = { stage: 'phash:hash', items: nImages, unit: 'images', wallMs: Math.round(hashMs), perSecond: Math.round((nImages / hashMs) * 1000), peakRssMb: rss(), imageSize: `${W}x${H} JPEG q85`, withSha256: true }
      results.push(ours)
      const peer = await execa(python, [join(HERE, '../phash_peer.py'), 'hash', join(dir, 'files.txt')], { reject: false })
      if (peer.failed) {
        results.push({ stage: 'phash:hash:numpy-peer', items: 0, unit: 'images', wallMs: 0, perSecond: 0, peakRssMb: 0, skipped: `python failed: ${peer.shortMessage} ${String(peer.stderr).slice(-400)}` })
      } else {
        const p = JSON.parse(String(peer.stdout)) as { hashes: string[]; seconds: number }
        let bitsApart = 0
        let maxApart = 0
        prints.forEach((fp, i) => {
          const d = [...(BigInt(`0x${phashToHex(fp.phash)}`) ^ BigInt(`0x${p.hashes[i]}`)).toString(2)].filter((b) => b === '1').length
          bitsApart += d
          maxApart = Math.max(maxApart, d)
        })
        const perSecond = Math.round(nImages / p.seconds)
        results.push({ stage: 'phash:hash:numpy-peer', items: nImages, unit: 'images', wallMs: Math.round(p.seconds * 1000), perSecond, peakRssMb: 0, oursVsPeer: Math.round((ours.perSecond / perSecond) * 10) / 10, meanBitsFromPeer: Math.round((bitsApart / nImages) * 100) / 100, maxBitsFromPeer: maxApart })
      }

      // Search: nHashes random 64-bit hashes, 1% of them planted near-copies (1-4 bits flipped) of another.
      const rng = createRng(42)
      const hi = new Uint32Array(nHashes)
      const lo = new Uint32Array(nHashes)
      for (let i = 0; i < nHashes; i++) {
        if (i > 0 && rng.next() < 0.01) {
          const j = rng.int(i)
          hi[i] = hi[j]!
          lo[i] = lo[j]!
          const flips = 1 + rng.int(4)
          for (let f = 0; f < flips; f++) {
            const bit = rng.int(64)
            if (bit < 32) hi[i] = (hi[i]! ^ (1 << bit)) >>> 0
            else lo[i] = (lo[i]! ^ (1 << (bit - 32))) >>> 0
          }
        } else {
          hi[i] = rng.int(2 ** 32) >>> 0
          lo[i] = rng.int(2 ** 32) >>> 0
        }
      }
      const t1 = performance.now()
      const pairs = pairsWithin(hi, lo, radius)
      const searchMs = performance.now() - t1
      const oursSearch: BenchResult = { stage: 'phash:search', items: nHashes, unit: 'hashes', wallMs: Math.round(searchMs), perSecond: Math.round((nHashes / searchMs) * 1000), peakRssMb: rss(), radius, pairs: pairs.length, index: 'multi-index hashing, 5 tables of 13/13/13/13/12 bits' }
      results.push(oursSearch)
      const hashFile = join(dir, 'hashes.txt')
      await writeFile(hashFile, Array.from(hi, (h, i) => h.toString(16).padStart(8, '0') + lo[i]!.toString(16).padStart(8, '0')).join('\n'))
      const ps = await execa(python, [join(HERE, '../phash_peer.py'), 'search', hashFile, String(radius), String(peerQueries)], { reject: false })
      if (ps.failed) {
        results.push({ stage: 'phash:search:numpy-peer', items: 0, unit: 'hashes', wallMs: 0, perSecond: 0, peakRssMb: 0, skipped: `python failed: ${ps.shortMessage} ${String(ps.stderr).slice(-400)}` })
      } else {
        const p = JSON.parse(String(ps.stdout)) as { queries: number; pairs: number; seconds: number }
        // Query i compares against the n-1-i hashes after it; scale by comparisons done vs the full self-join.
        const done = p.queries * (nHashes - 1) - (p.queries * (p.queries - 1)) / 2
        const full = (nHashes * (nHashes - 1)) / 2
        const estMs = (p.seconds * 1000 * full) / done
        results.push({ stage: 'phash:search:numpy-peer', items: nHashes, unit: 'hashes', wallMs: Math.round(estMs), perSecond: Math.round((nHashes / estMs) * 1000), peakRssMb: 0, radius, extrapolatedFromQueries: p.queries, measuredMs: Math.round(p.seconds * 1000), oursVsPeer: Math.round((estMs / searchMs) * 10) / 10 })
      }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
    return results
  },
}
