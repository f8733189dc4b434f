// knip (knip.json) in the suite: no unused files, exports, types, dependencies or unlisted ones. An export nothing
// imports is either dead or belongs behind a subpath index (src/<folder>/index.ts), which knip treats as an entry.
import { join } from 'node:path'
import { execa } from 'execa'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../helpers/fixtures.js'

describe('knip', () => {
  it('finds nothing unused or unlisted', { timeout: 120_000 }, async () => {
    const r = await execa('node', [join(REPO_ROOT, 'node_modules/knip/bin/knip.js'), '--no-progress', '--reporter', 'json'], { cwd: REPO_ROOT, reject: false })
    const report = JSON.parse(r.stdout || '{"issues":[]}') as { issues: Record<string, unknown>[] }
    const found = report.issues.map((i) => JSON.stringify(i))
    expect(found, r.stderr).toEqual([])
    expect(r.exitCode, r.stderr).toBe(0)
  })
})
