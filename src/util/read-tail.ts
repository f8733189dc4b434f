// The end of a (possibly large) log file, without reading the rest.
import { existsSync } from 'node:fs'
import { open } from 'node:fs/promises'

/** The last `bytes` of a file as UTF-8 text ('' when it does not exist). */
export async function readTail(file: string, bytes: number): Promise<string> {
  if (!existsSync(file)) return ''
  const fh = await open(file, 'r')
  try {
    const { size } = await fh.stat()
    const start = Math.max(0, size - bytes)
    const buf = Buffer.alloc(size - start)
    await fh.read(buf, 0, buf.length, start)
    return buf.toString('utf8')
  } finally {
    await fh.close()
  }
}
