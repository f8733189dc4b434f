// Content hashes for manifests and run records.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'

/** sha256 of a file, streamed (never loads the file into memory). */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** sha256 of a string or bytes. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}
