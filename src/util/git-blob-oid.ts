// The git object id of a file's content: sha1("blob <size>\0" + content). The Hub's tree listing gives this `oid` for
// files stored in git (not LFS), so it is how a small file is known to be unchanged on the Hub.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'

/** sha1 git blob id of a file, streamed. */
export async function gitBlobOidFile(file: string): Promise<string> {
  const { size } = await stat(file)
  const hash = createHash('sha1').update(`blob ${size}\0`)
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** sha1 git blob id of bytes. */
export function gitBlobOid(data: Uint8Array | string): string {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data
  return createHash('sha1').update(`blob ${bytes.byteLength}\0`).update(bytes).digest('hex')
}
