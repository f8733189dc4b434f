// Content hashes for manifests and run records.
import { createHash } from 'node:crypto'
import { open } from 'node:fs/promises'

/** Bytes read per step of sha256File. */
const READ_BYTES = 1 << 20

/**
 * sha256 of a file, streamed (never loads the file into memory). One buffer is read into again and again: a read
 * stream hands out a fresh buffer per chunk, whose pages the kernel must map and zero first (for the 39 MB bench input
 * of `pixcap convert`, ~10k page faults, 8% of the process's).
 */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256')
  const handle = await open(file, 'r')
  try {
    const buf = Buffer.allocUnsafe(READ_BYTES)
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, buf.length, null)
      if (bytesRead === 0) break
      hash.update(buf.subarray(0, bytesRead))
    }
  } finally {
    await handle.close()
  }
  return hash.digest('hex')
}

/** sha256 of a string or bytes. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}
