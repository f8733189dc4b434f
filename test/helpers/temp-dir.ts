// A temp directory per test file (or per test) with its removal, registered as vitest hooks: the setup block many
// test files wrote out by hand.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest'

/**
 * Creates `<tmpdir>/<prefix>XXXXXX` before the file's tests (before each test with `each: true`), hands it to `set`,
 * and removes it afterwards. Call at module or describe level: `let dir: string; useTempDir('pixcap-x-', (d) => (dir = d))`.
 */
export function useTempDir(prefix: string, set: (dir: string) => void, o: { each?: boolean } = {}): void {
  let dir: string | undefined
  ;(o.each ? beforeEach : beforeAll)(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix))
    set(dir)
  })
  ;(o.each ? afterEach : afterAll)(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true })
  })
}
