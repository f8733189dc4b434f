import { createHash, randomBytes } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { sha256, sha256File } from '../../src/util/sha256.js'
import { useTempDir } from '../helpers/temp-dir.js'

let dir: string
useTempDir('pixcap-sha256-', (d) => (dir = d))

const reference = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

describe('sha256File', () => {
  it.each([0, 1, (1 << 20) - 1, 1 << 20, (5 << 19) + 7])('hashes a %i-byte file as its bytes hash (reads of one reused buffer)', async (size) => {
    const bytes = randomBytes(size)
    const file = join(dir, `f${size}.bin`)
    await writeFile(file, bytes)
    expect(await sha256File(file)).toBe(reference(bytes))
    expect(sha256(bytes)).toBe(reference(bytes))
  })

  it('rejects a missing file or a folder with the system error', async () => {
    await expect(sha256File(join(dir, 'missing.bin'))).rejects.toMatchObject({ code: 'ENOENT' })
    await expect(sha256File(dir)).rejects.toMatchObject({ code: 'EISDIR' })
  })
})
