// Images for `pixcap view`, resized on the server with sharp so that a grid of thumbnails moves kilobytes, not the
// original photos, and kept in a byte-bounded LRU cache keyed by file, modification time and width. Mask outlines
// (src/geometry/mask-outline.ts) are encoded here too: sharp lives only in io/.
import { stat } from 'node:fs/promises'
import { loadSharp } from './load-sharp.js'
import { previewColor } from './preview-svg.js'
import { segmentOutline } from '../../geometry/mask-outline.js'
import { decodePanopticPng } from './panoptic-png.js'

/** Widths a client may ask for; anything else is rounded up to one of these (bounds the cache's variety). */
const VIEW_IMAGE_WIDTHS = [160, 320, 640, 1280] as const

/** A resized image or outline layer. */
interface ResizedImage {
  bytes: Buffer
  contentType: string
}

/** Resizes photos and draws outlines; counts sharp encodes so tests can see the cache work. */
export interface ImageResizer {
  photo(file: string, width: number): Promise<ResizedImage>
  /** Transparent PNG with the outlines of `segmentIds` of a panoptic PNG, coloured like the overlays. */
  outline(panopticPng: string, segmentIds: readonly number[], width: number, height: number): Promise<ResizedImage>
  stats(): { encodes: number; hits: number; cachedBytes: number }
}

/** The width served for a requested width. */
export function servedWidth(requested: number): number {
  const widths: readonly number[] = VIEW_IMAGE_WIDTHS
  return widths.find((w) => w >= requested) ?? (widths[widths.length - 1] as number)
}

/** A resizer with a cache of at most `maxCacheBytes` (default 64 MiB). */
export function createImageResizer(o: { maxCacheBytes?: number } = {}): ImageResizer {
  const maxBytes = o.maxCacheBytes ?? 64 * 2 ** 20
  const cache = new Map<string, Promise<ResizedImage>>()
  const sizes = new Map<string, number>()
  let cachedBytes = 0
  let encodes = 0
  let hits = 0

  const cached = async (key: string, make: () => Promise<ResizedImage>): Promise<ResizedImage> => {
    const hit = cache.get(key)
    if (hit) {
      hits++
      cache.delete(key)
      cache.set(key, hit)
      return hit
    }
    encodes++
    const pending = make()
    cache.set(key, pending)
    try {
      const done = await pending
      sizes.set(key, done.bytes.length)
      cachedBytes += done.bytes.length
      for (const old of cache.keys()) {
        if (cachedBytes <= maxBytes || old === key) break
        cachedBytes -= sizes.get(old) ?? 0
        sizes.delete(old)
        cache.delete(old)
      }
      return done
    } catch (err) {
      cache.delete(key)
      throw err
    }
  }

  return {
    async photo(file, width) {
      const w = servedWidth(width)
      const { mtimeMs, size } = await stat(file)
      return cached(`photo\0${file}\0${mtimeMs}\0${size}\0${w}`, async () => ({
        bytes: await (await loadSharp())(file).rotate().resize({ width: w, withoutEnlargement: true }).jpeg({ quality: 82 }).toBuffer(),
        contentType: 'image/jpeg',
      }))
    },
    async outline(panopticPng, segmentIds, width, height) {
      const w = servedWidth(width)
      const h = Math.max(1, Math.round((height * w) / Math.max(1, width)))
      const { mtimeMs } = await stat(panopticPng)
      return cached(`outline\0${panopticPng}\0${mtimeMs}\0${segmentIds.join(',')}\0${w}`, async () => {
        const o = segmentOutline(await decodePanopticPng(panopticPng), segmentIds, w, h)
        const rgba = Buffer.alloc(o.width * o.height * 4)
        for (let i = 0; i < o.labels.length; i++) {
          const label = o.labels[i] as number
          if (label === 0) continue
          const [r, g, b] = previewColor(label - 1)
          rgba[i * 4] = r
          rgba[i * 4 + 1] = g
          rgba[i * 4 + 2] = b
          rgba[i * 4 + 3] = 255
        }
        return { bytes: await (await loadSharp())(rgba, { raw: { width: o.width, height: o.height, channels: 4 } }).png().toBuffer(), contentType: 'image/png' }
      })
    },
    stats: () => ({ encodes, hits, cachedBytes }),
  }
}
