// An image file's fingerprints: sha256 of its bytes (exact copies) and the DCT pHash of its pixels (re-encoded or
// resized copies). The file is streamed once: each chunk feeds the hash and is kept for sharp, so nothing reads it
// twice. sharp reduces the image to 32x32 with its lanczos3 kernel (imagehash resizes with PIL's LANCZOS); for JPEG,
// libvips decodes at 1/2, 1/4 or 1/8 scale first when the target is that small ("shrink-on-load"), most of the speed.
// The grayscale and DCT steps are pure (src/geometry/phash.ts).
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { loadSharp } from './load-sharp.js'
import { PixcapError } from '../../errors.js'
import { lumaOf, PHASH_INPUT_SIDE, phashFromGray, type Phash64 } from '../../geometry/phash.js'

/** What {@link fingerprintImage} computes. */
export interface ImageFingerprint {
  sha256: string
  phash: Phash64
  bytes: number
}

/** The pHash of encoded image bytes (any format sharp reads). `where` names the file in errors. */
export async function phashOfImage(data: Buffer, where: string): Promise<Phash64> {
  const sharp = await loadSharp()
  let raw: { data: Buffer; info: { channels: number } }
  try {
    raw = await sharp(data, { failOn: 'error' })
      .resize(PHASH_INPUT_SIDE, PHASH_INPUT_SIDE, { fit: 'fill', kernel: 'lanczos3' })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true })
  } catch (err) {
    throw new PixcapError('io', where, [], `cannot decode the image for its perceptual hash: ${(err as Error).message}`, { cause: err })
  }
  return phashFromGray(lumaOf(raw.data, raw.info.channels))
}

/** sha256 (streamed) and pHash of an image file. */
export async function fingerprintImage(file: string): Promise<ImageFingerprint> {
  const hash = createHash('sha256')
  const chunks: Buffer[] = []
  let bytes = 0
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
      hash.update(chunk as Buffer)
      chunks.push(chunk as Buffer)
      bytes += (chunk as Buffer).length
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new PixcapError(code === 'ENOENT' ? 'not_found' : 'io', file, [], `cannot read the image: ${(err as Error).message}`, { cause: err })
  }
  return { sha256: hash.digest('hex'), phash: await phashOfImage(Buffer.concat(chunks, bytes), file), bytes }
}

/**
 * Fingerprints many files with at most `concurrency` in flight (sharp runs on libuv's thread pool), calling
 * `onDone` after each; results keep the order of `files`.
 */
export async function fingerprintImages(files: readonly string[], o: { concurrency?: number; onDone?: (done: number) => void } = {}): Promise<ImageFingerprint[]> {
  const out: ImageFingerprint[] = new Array(files.length)
  let next = 0
  let done = 0
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const i = next++
      out[i] = await fingerprintImage(files[i]!)
      o.onDone?.(++done)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency ?? 8, files.length)) }, worker))
  return out
}
